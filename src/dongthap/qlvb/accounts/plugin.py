"""The PAS plugin of account security, first among the authentication plugins.

* **IAuthenticationPlugin** - it authenticates nobody itself; it looks at the credentials every other
  plugin is about to check and *empties* them when they must be refused, so that no plugin after it
  authenticates them:

  - login and password (login form, ``@login``, Basic auth, the JWT plugin's JSON login): refused while
    the account or the client address is locked; otherwise the password is checked once here to count
    failures (in memory, :mod:`.throttle`) and to ask the second factor of an enrolled account
    (``otp`` in the JSON body, ``__ac_otp`` in the form, or the ``X-Qlvb-Otp`` header);
  - the plone.session cookie and the JWT token: refused while the account is locked and when issued
    before the account's "not before" time (the lost-account procedure ends every session at once).

* **IValidationPlugin** - the password policy, in Vietnamese, for every form that sets a password
  (Plone's password form, ``@users``, the registration tool).
* **IUserManagement** - ``doChangeUser`` records the hash of every new password (history, expiry).
"""

from __future__ import annotations

import base64
import binascii
import logging

from AccessControl.class_init import InitializeClass
from AuthEncoding import AuthEncoding
from Products.PlonePAS.interfaces.plugins import IUserManagement
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin, IValidationPlugin
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from zope.globalrequest import getRequest
from zope.i18n import translate
from zope.interface import implementer

logger = logging.getLogger("dongthap.qlvb.accounts")

PLUGIN_ID = "qlvb_account_security"
_DUMMY = AuthEncoding.pw_encrypt("qlvb-timing-equaliser")
_SEEN = "_qlvb_login_seen"


def _otp_from(request):
    if request is None:
        return ""
    code = request.form.get("__ac_otp") or request.getHeader("X-Qlvb-Otp") or ""
    if not code and "application/json" in (request.getHeader("Content-Type") or ""):
        try:
            import json

            data = json.loads(request.get("BODY") or b"{}")
            code = data.get("otp") or "" if isinstance(data, dict) else ""
        except (ValueError, TypeError):
            code = ""
    return str(code)


@implementer(IAuthenticationPlugin, IValidationPlugin, IUserManagement)
class AccountSecurityPlugin(BasePlugin):
    """Lockout, per-user invalidation, second factor, password policy (see module doc)."""

    meta_type = "QLVB Account Security"

    def __init__(self, id=PLUGIN_ID, title="Bảo mật tài khoản (QLVB)"):
        self._setId(id)
        self.title = title

    # -- authentication ---------------------------------------------------------------------------
    def authenticateCredentials(self, credentials):
        from dongthap.qlvb.accounts import api

        try:
            if "login" in credentials and "password" in credentials:
                result = self._password_accepted(credentials)
                if result is False:
                    credentials.clear()
                elif isinstance(result, tuple):
                    # checked here once: the user manager after us sees no password to hash again
                    credentials.pop("password", None)
                    return result
            elif credentials.get("source") == "plone.session":
                userid, issued = self._ticket(credentials.get("cookie"))
                if userid and api.refuses(userid, issued):
                    credentials.clear()
            elif credentials.get("token"):
                userid, issued = self._jwt(credentials["token"])
                if userid and api.refuses(userid, issued):
                    credentials.clear()
        except Exception:
            logger.exception("account security check failed; credentials refused")
            credentials.clear()
        return None

    def _password_accepted(self, credentials):
        """False: refused; a ``(userid, login)`` pair: the password (and second factor) is right, checked
        here once for the whole request; True: none of ours (no login, or an outer user folder's)."""
        from dongthap.qlvb.accounts import api, throttle

        login, password = credentials.get("login"), credentials.get("password")
        if not login or password is None:
            return True
        request = getRequest()
        seen = getattr(request, _SEEN, None) if request is not None else None
        if seen is None:
            seen = {}
            if request is not None:
                setattr(request, _SEEN, seen)
        if (login, password) in seen:
            return seen[(login, password)]
        address = api.client_address(request)
        userid = api.userid_for_login(login)
        if userid is None and self._outer_user(login, password, request):
            seen[(login, password)] = True  # an account of an outer user folder (the Zope administrator)
            return True
        if throttle.address_blocked(address) or (userid and api.is_locked(userid)) or (
                userid is None and throttle.unknown_locked(login)):
            AuthEncoding.pw_validate(_DUMMY, password)  # same time as a wrong password
            seen[(login, password)] = False
            return False
        found = self._password_right(userid, login, password) if userid is not None else None
        if userid is None:
            AuthEncoding.pw_validate(_DUMMY, password)
        ok = found is not None
        code = ""
        if ok and api.second_factor_asked(userid):
            code = _otp_from(request)
            ok = api.check_second_factor(userid, code, address=address)
        if ok:
            throttle.success(login)
        else:
            api.login_failed(login, address, digest=throttle.digest(login, password, code))
        result = tuple(found) if ok else False
        seen[(login, password)] = result
        return result

    def _outer_user(self, login, password, request) -> bool:
        """Whether a user folder above the site's knows ``login`` with ``password``."""
        from Acquisition import aq_parent

        pas = self._getPAS()
        outer = getattr(aq_parent(aq_parent(pas)), "acl_users", None) if aq_parent(pas) is not None else None
        seen = set()
        while outer is not None and id(outer) not in seen and outer is not pas:
            seen.add(id(outer))
            try:
                if outer.authenticate(login, password, request) is not None:
                    return True
            except Exception:
                return False
            parent = aq_parent(aq_parent(outer))
            outer = getattr(parent, "acl_users", None) if parent is not None else None
        return False

    def _password_right(self, userid, login, password):
        """The ``(userid, login)`` of Plone's user manager when ``password`` is right, else None."""
        pas = self._getPAS()
        for plugin_id, plugin in pas.plugins.listPlugins(IAuthenticationPlugin):
            if plugin_id == self.getId() or not hasattr(plugin, "_user_passwords"):
                continue
            try:
                result = plugin.authenticateCredentials({"login": login, "password": password})
            except Exception:
                continue
            if result is not None:
                return result
        return None

    @staticmethod
    def _ticket(cookie):
        from plone.session import tktauth

        if not cookie:
            return None, None
        try:
            _digest, userid, _tokens, _data, timestamp = tktauth.splitTicket(cookie)
        except (ValueError, binascii.Error):
            return None, None
        return userid, float(timestamp)

    def _jwt(self, token):
        import json

        try:
            payload = token.split(".")[1]
            data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        except (IndexError, ValueError, binascii.Error):
            return None, None
        userid = data.get("sub")
        issued = data.get("iat")
        if issued is None and data.get("exp"):
            timeout = 0
            for _id, plugin in self._getPAS().plugins.listPlugins(IAuthenticationPlugin):
                if getattr(plugin, "meta_type", "") == "JWT Authentication Plugin":
                    timeout = plugin.token_timeout or 0
            issued = float(data["exp"]) - timeout
        return userid, issued

    # -- password policy ----------------------------------------------------------------------------
    def validateUserInfo(self, user, set_id, set_info):
        """The policy applies to passwords typed through the web (a published request: Plone's forms,
        ``@users``); scripts and the demo seeding set theirs directly. One entry, every broken rule
        (Plone's tool cannot join several entries itself)."""
        from dongthap.qlvb.accounts import api

        if not set_info or set_info.get("password") is None:
            return []
        request = getRequest()
        if request is None or request.get("PUBLISHED") is None:
            return []
        userid = user.getId() if user is not None else self._own_change()
        found = api.password_problems(set_info["password"], userid)
        if not found:
            return []
        return [{"id": "password", "error": " ".join(translate(m, context=request) for m in found)}]

    @staticmethod
    def _own_change():
        """The current user when he changes his own password (his history applies)."""
        from dongthap.qlvb.accounts import api

        request = getRequest()
        url = (request.get("ACTUAL_URL", "") if request is not None else "") or ""
        if "change-password" in url or "@users" in url:
            return api._current_id() or None
        return None

    # -- user management: record each new password ---------------------------------------------
    def doChangeUser(self, principal_id, password):
        from dongthap.qlvb.accounts import api

        if password:
            api.record_password(principal_id, password)

    def doAddUser(self, login, password):
        return False  # accounts are stored by Plone's user manager

    def doDeleteUser(self, principal_id):
        from dongthap.qlvb.accounts import store
        from plone import api as papi

        store.remove(papi.portal.get(), principal_id)


InitializeClass(AccountSecurityPlugin)


def install(portal):
    """Add the plugin to the site's PAS, first among authenticators; Plone's English password policy
    gives way to ours. Idempotent."""
    pas = portal.acl_users
    if PLUGIN_ID not in pas.objectIds():
        pas._setObject(PLUGIN_ID, AccountSecurityPlugin())
    plugin = pas[PLUGIN_ID]
    plugins = pas.plugins
    for iface in (IAuthenticationPlugin, IValidationPlugin, IUserManagement):
        active = [pid for pid, _p in plugins.listPlugins(iface)]
        if PLUGIN_ID not in active:
            plugins.activatePlugin(iface, PLUGIN_ID)
    while [pid for pid, _p in plugins.listPlugins(IAuthenticationPlugin)][0] != PLUGIN_ID:
        plugins.movePluginsUp(IAuthenticationPlugin, [PLUGIN_ID])
    if "password_policy" in [pid for pid, _p in plugins.listPlugins(IValidationPlugin)]:
        plugins.deactivatePlugin(IValidationPlugin, "password_policy")
    return plugin
