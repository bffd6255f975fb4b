"""Registry records of account security (control panel "Bảo mật tài khoản",
prefix ``dongthap.qlvb.accounts``)."""

from dongthap.qlvb.i18n import _
from zope import schema
from zope.interface import Interface
from zope.schema.vocabulary import SimpleTerm, SimpleVocabulary

PREFIX = "dongthap.qlvb.accounts"


#: The two-factor modes, from the weakest: not used; each user may enrol; leaders and administrators
#: must; everyone must.
TWO_FACTOR_MODES = ("off", "optional", "leaders", "everyone")
TWO_FACTOR_TITLES = {
    "off": _("two_factor_off", default="Off"),
    "optional": _("two_factor_optional", default="Optional (each user may turn it on)"),
    "leaders": _("two_factor_leaders", default="Required for leaders and administrators"),
    "everyone": _("two_factor_everyone", default="Required for everyone"),
}


def two_factor_vocabulary(context=None):
    return SimpleVocabulary([SimpleTerm(mode, mode, TWO_FACTOR_TITLES[mode]) for mode in TWO_FACTOR_MODES])


class IAccountSettings(Interface):
    """Password policy, lockout and two-factor login."""

    min_length = schema.Int(title=_("label_pw_min_length", default="Minimum length of a password"),
                            default=10, min=6, max=128)
    require_lower = schema.Bool(title=_("label_pw_lower", default="Needs a lowercase letter"),
                                default=True, required=False)
    require_upper = schema.Bool(title=_("label_pw_upper", default="Needs an uppercase letter"),
                                default=True, required=False)
    require_digit = schema.Bool(title=_("label_pw_digit", default="Needs a digit"),
                                default=True, required=False)
    require_symbol = schema.Bool(title=_("label_pw_symbol", default="Needs a symbol (e.g. @ # ! -)"),
                                 default=True, required=False)
    history = schema.Int(title=_("label_pw_history", default="The last N passwords may not be used again"),
                         default=5, min=0, max=24)
    max_age_days = schema.Int(
        title=_("label_pw_max_age", default="A password expires after (days, 0: never)"),
        default=90, min=0, max=3650)
    warn_days = schema.Int(title=_("label_pw_warn", default="Warn before the password expires (days)"),
                           default=14, min=0, max=90)
    max_failures = schema.Int(
        title=_("label_lock_failures", default="Lock an account after this many wrong passwords in a row"),
        default=5, min=1, max=100)
    address_max_failures = schema.Int(
        title=_("label_lock_address_failures",
                default="Refuse a client address for a while after this many wrong passwords"),
        default=20, min=1, max=10000)
    address_block_minutes = schema.Int(
        title=_("label_lock_address_minutes", default="How long a client address is refused (minutes)"),
        default=15, min=1, max=1440)
    two_factor_default = schema.Choice(
        title=_("label_2fa_default", default="Two-factor login (default for every agency)"),
        description=_("help_2fa_default",
                      default="Each agency's administrator may choose otherwise for his agency (page "
                              "\"Đăng nhập hai bước\" of the agency)."),
        vocabulary=two_factor_vocabulary(),
        default="optional", required=True)


DEFAULTS = {name: IAccountSettings[name].default for name in IAccountSettings.names()}


def values():
    """Every record (the defaults without a registry or before the upgrade step)."""
    from plone.registry.interfaces import IRegistry
    from zope.component import queryUtility

    registry = queryUtility(IRegistry)
    result = dict(DEFAULTS)
    if registry is not None:
        for name in DEFAULTS:
            value = registry.get(f"{PREFIX}.{name}")
            if value is not None:
                result[name] = value
    return result
