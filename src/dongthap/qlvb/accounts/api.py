"""Account security, called by views, REST services and the PAS plugin alike.

Password policy (:func:`check_password`, :func:`record_password`, :func:`password_expiry`), lockout
(:func:`login_failed`, :func:`lock`, :func:`unlock`), the lost-account procedure (:func:`report_lost`),
two-factor login (:func:`start_enrolment`, :func:`confirm_enrolment`, :func:`check_second_factor`).
Events of :mod:`.events` are fired for the audit trail; locks and lost accounts are also incidents.
"""

from __future__ import annotations

import logging
import time

from dongthap.qlvb.accounts import events, policy, settings, store, throttle, totp
from dongthap.qlvb.errors import QlvbError, forbidden
from dongthap.qlvb.i18n import _
from plone import api
from zope.event import notify

logger = logging.getLogger("dongthap.qlvb.accounts")

LOCK_FAILURES = "failures"
LOCK_ADMIN = "admin"
LOCK_COMPROMISED = "compromised"

#: The one answer of every refused login, whatever the reason (never tells whether an account exists).
LOGIN_REFUSED = _("error_login_refused",
                  default="Login failed: wrong account name or password, or the account is locked.")


def _site():
    return api.portal.get()


def client_address(request) -> str:
    if request is None:
        return ""
    try:
        return request.getClientAddr() or ""
    except Exception:
        return request.get("REMOTE_ADDR", "") or ""


# -- password policy -----------------------------------------------------------------------------

def password_problems(password: str, userid: str | None = None) -> list:
    history = store.get(_site(), userid).get("history", ()) if userid else ()
    return policy.problems(password, settings.values(), history)


def check_password(password: str, userid: str | None = None, field: str = "password"):
    """Refuse (400, Vietnamese, one error per broken rule) a password the policy does not accept."""
    found = password_problems(password, userid)
    if found:
        raise QlvbError(found[0], errors=[{"field": field, "message": message} for message in found])


def record_password(userid: str, password: str, by: str = ""):
    """Remember that ``userid`` now has ``password`` (its hash joins the history)."""
    site = _site()
    record = store.get(site, userid)
    keep = max(settings.values()["history"], 1)
    history = [policy.make_hash(password)] + list(record.get("history", ()))[: keep - 1]
    store.update(site, userid, history=history, password_changed=time.time(), must_change=False)
    notify(events.PasswordChanged(userid, by=by or _current_id()))


def password_expiry(userid: str):
    """(expired, days left) of ``userid``'s password; days left is None when it never expires."""
    record = store.get(_site(), userid)
    if record.get("must_change"):
        return True, 0
    max_age = settings.values()["max_age_days"]
    changed = record.get("password_changed")
    if not max_age or not changed:
        return False, None
    left = changed + max_age * 86400 - time.time()
    return left <= 0, max(int(left // 86400), 0)


# -- lockout -------------------------------------------------------------------------------------

def userid_for_login(login: str):
    pas = api.portal.get_tool("acl_users")
    info = pas._verifyUser(pas.plugins, login=login)
    return info["id"] if info else None


def is_locked(userid: str) -> bool:
    return bool(userid) and bool(store.get(_site(), userid).get("locked"))


def refuses(userid: str, issued_at: float | None) -> bool:
    """Whether credentials of ``userid`` issued at ``issued_at`` are refused (locked, or older than
    the account's "not before" time set by the lost-account procedure and its re-enabling)."""
    record = store.get(_site(), userid)
    if record.get("locked"):
        return True
    not_before = record.get("not_before")
    # tickets and tokens carry whole seconds: what was issued in the second of the revocation is refused too
    return bool(not_before and issued_at is not None and issued_at < int(not_before) + 1)


def login_failed(login: str, address: str = "", digest: str = ""):
    """Count one wrong password for ``login`` from ``address``; lock at the limit. The same wrong
    password again (``digest`` of :func:`.throttle.digest`) counts once."""
    values = settings.values()
    count, counted = throttle.failure(login, address, max_failures=values["max_failures"],
                                      address_max=values["address_max_failures"],
                                      block_minutes=values["address_block_minutes"], digest=digest)
    if not counted:
        return
    notify(events.LoginFailed(login, address=address, failures=count))
    if count >= values["max_failures"]:
        userid = userid_for_login(login)
        if userid is None:
            throttle.lock_unknown(login)
        elif not is_locked(userid):
            lock(userid, reason=LOCK_FAILURES, address=address, now=True)


def lock(userid: str, reason: str = LOCK_ADMIN, address: str = "", by: str = "", now: bool = False):
    """Lock ``userid`` (``now``: in a transaction of its own, for a request that will be refused)."""
    site = _site()
    values = {"locked": True, "locked_at": time.time(), "locked_reason": reason, "locked_by": by}
    (store.update_now if now else store.update)(site, userid, **values)
    logger.warning("account %s locked (%s) from %r by %r", userid, reason, address, by)
    notify(events.AccountLocked(userid, address=address, by=by, reason=reason))
    _incident(userid, "account_locked", reason=reason, address=address, by=by)


def unlock(userid: str, new_password: str | None = None, by: str = ""):
    """Re-enable ``userid``. An account reported lost needs a new password (policy-checked); every
    credential issued before now stays refused."""
    site = _site()
    record = store.get(site, userid)
    compromised = record.get("locked_reason") == LOCK_COMPROMISED or record.get("compromised")
    if compromised:
        if not new_password:
            raise QlvbError(_("error_unlock_needs_password",
                              default="This account was reported lost: give it a new password to "
                                      "re-enable it."),
                            errors=[{"field": "password", "message": _(
                                "error_password_required", default="Please enter a new password.")}])
    if new_password:
        check_password(new_password, userid)
        api.portal.get_tool("acl_users").userSetPassword(userid, new_password)  # records it (plugin)
    values = {"locked": False, "locked_reason": "", "compromised": False}
    if compromised or new_password:  # what was issued before stays refused
        values["not_before"] = time.time()
    store.update(site, userid, **values)
    user = api.user.get(userid=userid)
    throttle.forget(user.getUserName() if user is not None else userid)
    notify(events.AccountUnlocked(userid, by=by or _current_id()))


def report_lost(userid: str, by: str = "", address: str = ""):
    """"Tôi mất quyền kiểm soát tài khoản": disable ``userid`` at once and end every session and token."""
    by = by or _current_id()
    store.update(_site(), userid, locked=True, locked_at=time.time(), locked_reason=LOCK_COMPROMISED,
                 locked_by=by, compromised=True, not_before=time.time())
    logger.warning("account %s reported lost by %s", userid, by)
    notify(events.AccountCompromised(userid, address=address, by=by))
    _incident(userid, "account_compromised", reason=LOCK_COMPROMISED, address=address, by=by,
              admins=True)


def status(userid: str) -> dict:
    """What an administrator sees of an account's security."""
    record = store.get(_site(), userid)
    expired, days_left = password_expiry(userid)
    return {
        "userid": userid,
        "locked": bool(record.get("locked")),
        "locked_reason": record.get("locked_reason") or "",
        "compromised": bool(record.get("compromised")),
        "password_expired": expired,
        "password_days_left": days_left,
        "two_factor": bool(record.get("totp_enabled")),
    }


# -- who may act -------------------------------------------------------------------------------

def _current_id() -> str:
    try:
        user = api.user.get_current()
        return user.getId() or ""
    except Exception:
        return ""


def may_manage(userid: str) -> bool:
    """Whether the current user may lock, unlock and reset ``userid``: a site manager or provincial
    administrator, or an administrator of an agency where ``userid`` is staff."""
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R

    current = api.user.get_current()
    roles = api.user.get_roles(user=current)
    if "Manager" in roles or R.PROVINCE_ADMIN in roles:
        return True
    for agency in agencies.agencies_of(username=userid):
        if R.AGENCY_ADMIN in api.user.get_roles(user=current, obj=agency):
            return True
    return False


def check_may_manage(userid: str):
    if api.user.get(userid=userid) is None or not may_manage(userid):
        raise forbidden()


# -- two-factor login ----------------------------------------------------------------------------

def two_factor_enabled(userid: str) -> bool:
    return bool(store.get(_site(), userid).get("totp_enabled"))


#: The attribute of an agency holding its two-factor mode (absent or None: the site-wide default).
AGENCY_TWO_FACTOR = "qlvb_two_factor"
_ORDER = {mode: rank for rank, mode in enumerate(settings.TWO_FACTOR_MODES)}
_LEADERS = ("QlvbLeader", "QlvbAgencyAdmin", "QlvbProvinceAdmin", "Manager")


def default_two_factor() -> str:
    mode = settings.values()["two_factor_default"]
    return mode if mode in _ORDER else "optional"


def agency_two_factor(agency) -> str:
    """The two-factor mode of ``agency`` (its own choice, else the site-wide default)."""
    from Acquisition import aq_base

    mode = getattr(aq_base(agency), AGENCY_TWO_FACTOR, None) if agency is not None else None
    return mode if mode in _ORDER else default_two_factor()


def agency_two_factor_own(agency):
    """The agency's own choice, or None when it follows the site-wide default."""
    from Acquisition import aq_base

    mode = getattr(aq_base(agency), AGENCY_TWO_FACTOR, None)
    return mode if mode in _ORDER else None


def set_agency_two_factor(agency, mode):
    """The agency's administrators choose its two-factor mode (None or "": the site-wide default)."""
    from dongthap.qlvb.agencies import api as agencies

    if not agencies.can_manage_staff(agency):
        raise forbidden()
    if mode not in (None, "") and (not isinstance(mode, str) or mode not in _ORDER):
        raise QlvbError(_("error_two_factor_mode", default="Unknown two-factor mode."),
                        errors=[{"field": "mode", "message": _("error_two_factor_mode",
                                                               default="Unknown two-factor mode.")}])
    before = agency_two_factor_own(agency)
    setattr(agency, AGENCY_TWO_FACTOR, mode or None)
    store.set_agency_mode(_site(), agency.UID(), mode or None)
    logger.info("two-factor mode of %s: %r -> %r by %s", agency.getId(), before, mode or None, _current_id())
    notify(events.TwoFactorPolicyChanged(_current_id(), by=_current_id(), agency_uid=agency.UID(),
                                         before=before or "default", after=mode or "default"))


def _modes(userid: str) -> list[tuple]:
    """(agency, mode) of every agency of ``userid``; (None, default) when he has none."""
    from dongthap.qlvb.agencies import api as agencies

    user = api.user.get(userid=userid)
    found = agencies.agencies_of(username=user.getUserName()) if user is not None else []
    return [(agency, agency_two_factor(agency)) for agency in found] or [(None, default_two_factor())]


def _site_account(userid: str) -> bool:
    """Whether ``userid`` is an account of the site's own user folder (not of one above it)."""
    pas = api.portal.get_tool("acl_users")
    return bool(pas._verifyUser(pas.plugins, user_id=userid))


def two_factor_offered(userid: str) -> bool:
    """Whether ``userid`` may use two-factor login: one of his agencies (or the default) has it on."""
    return any(mode != "off" for _agency, mode in _modes(userid))


def second_factor_asked(userid: str) -> bool:
    """Whether a login of ``userid`` needs the code: he enrolled, and two-factor login is on for him."""
    return two_factor_enabled(userid) and two_factor_offered(userid)


def two_factor_required(userid: str) -> bool:
    """Whether ``userid`` must use two-factor login: an agency of his requires it of everyone, or of
    leaders and administrators and he is one there (or site-wide)."""
    if default_two_factor() not in ("leaders", "everyone") and not any(
            mode in ("leaders", "everyone") for mode in store.agency_modes(_site()).values()):
        return False  # required nowhere: no need to look for the user's agencies (every request)
    user = api.user.get(userid=userid)
    if user is None or not _site_account(userid):
        return False  # the Zope administrator (a user folder above the site) has no enrolment here
    modes = _modes(userid)
    if not any(mode in ("leaders", "everyone") for _agency, mode in modes):
        return False
    site_roles = set(api.user.get_roles(user=user))
    for agency, mode in modes:
        if mode == "everyone":
            return True
        if mode == "leaders":
            roles = set(site_roles)
            if agency is not None:
                roles |= set(api.user.get_roles(user=user, obj=agency))
            if roles & set(_LEADERS):
                return True
    return False


def start_enrolment(userid: str) -> dict:
    """A new secret (not active until confirmed with a code): the secret and the otpauth address."""
    if not two_factor_offered(userid):
        raise QlvbError(_("msg_two_factor_off", default="Two-factor login is not used in your agency."),
                        status=409)
    secret = totp.new_secret()
    store.update(_site(), userid, totp_pending=secret)
    login = api.user.get(userid=userid).getUserName()
    return {"secret": secret, "uri": totp.provisioning_uri(secret, login)}


def pending_enrolment(userid: str):
    """The enrolment started and not yet confirmed (after a wrong code), or None."""
    secret = store.get(_site(), userid).get("totp_pending")
    if not secret:
        return None
    return {"secret": secret, "uri": totp.provisioning_uri(secret, api.user.get(userid=userid).getUserName())}


def qr_svg(uri: str, title: str = "") -> str:
    """The QR code of ``uri`` (the ``otpauth://`` address), inline SVG made here (segno), no service."""
    import segno

    return segno.make(uri, error="m").svg_inline(scale=5, border=4, title=title or None,
                                                  svgclass="qlvb-qr", lineclass=None)


def confirm_enrolment(userid: str, code: str, now: float | None = None) -> list[str]:
    """Activate the pending secret when ``code`` is right; returns the recovery codes (shown once)."""
    site = _site()
    record = store.get(site, userid)
    secret = record.get("totp_pending")
    counter = totp.verify(secret, code, now=now) if secret else None
    if counter is None:
        raise QlvbError(_("error_totp_wrong", default="The code is wrong or has expired."),
                        errors=[{"field": "code", "message": _("error_totp_wrong",
                                                               default="The code is wrong or has expired.")}])
    codes = totp.new_recovery_codes()
    store.update(site, userid, totp_secret=secret, totp_pending=None, totp_enabled=True,
                 totp_last=counter, recovery=[totp.hash_code(c) for c in codes])
    return codes


def disable_two_factor(userid: str):
    store.update(_site(), userid, totp_secret=None, totp_pending=None, totp_enabled=False, recovery=[])


def check_second_factor(userid: str, code: str, now: float | None = None, address: str = "") -> bool:
    """Whether ``code`` (a TOTP code, or an unused recovery code) is right for ``userid``; each code
    works once (remembered with the request that logs in)."""
    site = _site()
    record = store.get(site, userid)
    if not record.get("totp_enabled"):
        return True
    code = (code or "").strip()
    counter = totp.verify(record.get("totp_secret") or "", code, now=now,
                          last_counter=record.get("totp_last", -1))
    if counter is not None:
        store.update(site, userid, totp_last=counter)
        return True
    hashed = totp.hash_code(code) if code else None
    if hashed and hashed in (record.get("recovery") or ()):
        store.update(site, userid, recovery=[h for h in record["recovery"] if h != hashed])
        return True
    notify(events.SecondFactorFailed(userid, address=address))
    return False


def recovery_codes_left(userid: str) -> int:
    return len(store.get(_site(), userid).get("recovery") or ())


# -- incidents -------------------------------------------------------------------------------------

def _incident(userid, kind, reason="", address="", by="", admins=False):
    """Record an incident (antivirus incident log for now) and notify the agency's officers (and admins)."""
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.antivirus import incidents, notify as av_notify

    site = _site()
    found = agencies.agencies_of(username=userid) or [None]
    for agency in found:
        incident = incidents.record(
            site, kind=kind, userid=userid, reason=reason, location=address,
            detail=f"by={by}" if by else "",
            agency_uid=agency.UID() if agency is not None else None,
            agency_code=getattr(agency, "agency_code", None),
            agency_title=agency.Title() if agency is not None else None,
        )
        try:
            av_notify.notify_officers(site, incident, agency)
        except Exception:
            logger.exception("account incident %s: officers not notified", kind)
        if admins and agency is not None:
            _mail_admins(site, agency, userid)


def _mail_admins(site, agency, userid):
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R
    from zope.i18n import translate

    gid = agencies.group_id(agency, R.AGENCY_ADMIN)
    group = api.group.get(groupname=gid) if gid else None
    to = [m.getProperty("email") for m in (group.getGroupMembers() if group else [])
          if "@" in (m.getProperty("email") or "")]
    sender = api.portal.get_registry_record("plone.email_from_address", default="") or ""
    if not to or not sender:
        return
    text = translate(_("mail_account_lost", default="The account ${userid} was reported lost and is "
                                                     "disabled. An administrator re-enables it with a "
                                                     "new password.", mapping={"userid": userid}),
                     target_language="vi")
    try:
        api.portal.send_email(recipient=", ".join(sorted(set(to))), sender=sender,
                              subject=text[:78], body=text)
    except Exception:
        logger.exception("lost account %s: agency admins not e-mailed", userid)
