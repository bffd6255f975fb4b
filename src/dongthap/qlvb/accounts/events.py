"""Events of account security, for subscribers (the audit trail, incidents) that must not edit this package.

Every event carries ``userid`` (the login as typed for :class:`LoginFailed`, which may name no account),
``address`` (client address, when known) and ``by`` (the acting user for admin actions)."""

from zope.interface import Attribute, implementer, Interface


class IAccountEvent(Interface):
    userid = Attribute("account id (or the login as typed)")
    address = Attribute("client address or ''")
    by = Attribute("id of the user who acted, or ''")


class _Base:
    def __init__(self, userid, address="", by="", **info):
        self.userid = userid
        self.address = address or ""
        self.by = by or ""
        self.info = info

    def __repr__(self):
        return f"<{type(self).__name__} {self.userid!r} from {self.address!r}>"


class ILoginFailed(IAccountEvent):
    """A wrong password (or a login refused while locked)."""


class IAccountLocked(IAccountEvent):
    """The account was locked: too many failures (``info['reason'] == 'failures'``) or by an admin."""


class IAccountUnlocked(IAccountEvent):
    """An administrator unlocked (re-enabled) the account."""


class IAccountCompromised(IAccountEvent):
    """"Tôi mất quyền kiểm soát tài khoản": the account is disabled and all its sessions ended."""


class IPasswordChanged(IAccountEvent):
    """The password of the account changed."""


class ISecondFactorFailed(IAccountEvent):
    """A wrong TOTP or recovery code."""


@implementer(ILoginFailed)
class LoginFailed(_Base):
    pass


@implementer(IAccountLocked)
class AccountLocked(_Base):
    pass


@implementer(IAccountUnlocked)
class AccountUnlocked(_Base):
    pass


@implementer(IAccountCompromised)
class AccountCompromised(_Base):
    pass


@implementer(IPasswordChanged)
class PasswordChanged(_Base):
    pass


@implementer(ISecondFactorFailed)
class SecondFactorFailed(_Base):
    pass


class ITwoFactorPolicyChanged(IAccountEvent):
    """An agency's administrator changed its two-factor mode (``userid``: who did; ``agency_uid``,
    ``before``, ``after``: the modes, ``default`` for the site-wide one)."""


@implementer(ITwoFactorPolicyChanged)
class TwoFactorPolicyChanged(_Base):
    def __init__(self, userid, agency_uid="", before="", after="", **kwargs):
        super().__init__(userid, **kwargs)
        self.agency_uid = agency_uid
        self.before = before
        self.after = after
