"""``@account-security`` (site root).

``GET`` → the security status of the current user (``?userid=`` another account: its admins only).
``POST {"action": "lost"}`` → "Tôi mất quyền kiểm soát tài khoản" for oneself (``"userid"``: an admin
on the user's behalf); ``{"action": "lock" | "unlock", "userid", "password"?}`` → admins of the user's
agency (``unlock`` of an account reported lost needs ``password``, a new one);
``{"action": "enrol"}`` → a new TOTP secret, ``{"action": "confirm", "code"}`` → recovery codes.
"""

from dongthap.qlvb.accounts import api as accounts
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import guarded
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


def _target(userid):
    me = api.user.get_current().getId()
    if not userid or userid == me:
        return me, True
    accounts.check_may_manage(userid)
    return userid, False


class StatusGet(Service):
    @guarded
    def reply(self):
        userid, _own = _target(self.request.form.get("userid"))
        return accounts.status(userid)


class ActionPost(Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        action = data.get("action")
        userid, own = _target(data.get("userid"))
        address = accounts.client_address(self.request)
        if action == "lost":
            accounts.report_lost(userid, address=address)
        elif action in ("lock", "unlock"):
            if own:
                raise QlvbError(_("error_account_own", default="You cannot do this to your own account."),
                                status=403)
            if action == "lock":
                accounts.lock(userid, by=api.user.get_current().getId(), address=address)
            else:
                accounts.unlock(userid, new_password=data.get("password") or None,
                                by=api.user.get_current().getId())
        elif action == "enrol" and own:
            return accounts.start_enrolment(userid)
        elif action == "confirm" and own:
            return {"recovery_codes": accounts.confirm_enrolment(userid, str(data.get("code") or ""))}
        else:
            raise QlvbError(_("error_unknown_action", default="Unknown action."),
                            errors=[{"field": "action", "message": _("error_unknown_action",
                                                                     default="Unknown action.")}])
        return accounts.status(userid)


def _policy(agency) -> dict:
    from dongthap.qlvb.accounts import settings

    return {"mode": accounts.agency_two_factor_own(agency), "effective": accounts.agency_two_factor(agency),
            "default": accounts.default_two_factor(), "modes": list(settings.TWO_FACTOR_MODES)}


class TwoFactorPolicyGet(Service):
    """``GET <agency>/@two-factor-policy``: the agency's two-factor mode (``mode`` null: the default)."""

    @guarded
    def reply(self):
        return _policy(self.context)


class TwoFactorPolicyPatch(Service):
    """``PATCH <agency>/@two-factor-policy {"mode": "off"|"optional"|"leaders"|"everyone"|null}``."""

    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, empty_ok=False)
        if "mode" not in data:
            raise QlvbError(_("error_two_factor_mode", default="Unknown two-factor mode."),
                            errors=[{"field": "mode", "message": _("error_two_factor_mode",
                                                                   default="Unknown two-factor mode.")}])
        accounts.set_agency_two_factor(self.context, data["mode"])
        return _policy(self.context)
