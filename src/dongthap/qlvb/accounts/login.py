"""Logging in with the code of two-factor login, in Vietnamese.

* Plone's own login form (``/login``, ``/login_form``) gets a field ``__ac_otp`` under the password:
  the 6-digit code of the authenticator app, or a recovery code, for accounts that use two-factor
  login. It is always there (showing it only after a right password would tell that the password was
  right); the PAS plugin (:mod:`.plugin`) reads it.
* ``POST @login`` takes ``{"login", "password", "otp"?}`` and answers every failure in Vietnamese, with
  one body for every refused login whatever the reason (wrong password, unknown account, locked
  account, missing or wrong code), so no answer tells whether an account exists.
"""

from __future__ import annotations

import os

from dongthap.qlvb.i18n import _
from plone.restapi.services.auth.login import Login as PloneLogin
from Products.CMFPlone.browser.login import login as plone_login
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import field
from zope import schema
from zope.i18n import translate
from zope.interface import Interface

OTP_FIELD = "__ac_otp"


class ICodeField(Interface):
    ac_otp = schema.TextLine(
        title=_("label_login_otp", default="Code (two-factor login)"),
        description=_("help_login_otp",
                      default="Only for accounts with two-factor login: the 6-digit code of the "
                              "authenticator app, or a recovery code."),
        required=False,
    )


class QlvbLoginForm(plone_login.LoginForm):
    """Plone's login form and one more field, the code."""

    fields = field.Fields(plone_login.ILoginFormSchema).omit("came_from") + field.Fields(ICodeField) + \
        field.Fields(plone_login.ILoginFormSchema).select("came_from")
    index = ViewPageTemplateFile(os.path.join(os.path.dirname(plone_login.__file__), "templates", "login.pt"))

    def updateWidgets(self):
        super().updateWidgets()
        widget = self.widgets["ac_otp"]
        widget.name = widget.id = OTP_FIELD
        widget.klass = (widget.klass or "") + " qlvb-otp"
        widget.value = ""  # never shown again after a failed login


def _error(status, kind, message, request):
    request.response.setStatus(status)
    return {"error": {"type": kind, "message": translate(message, context=request)}}


class Login(PloneLogin):
    """``POST @login``: Plone's service (JWT), the code ``otp`` read by the PAS plugin, Vietnamese
    errors."""

    def reply(self):
        from dongthap.qlvb.accounts import api as accounts
        from plone.restapi.deserializer import json_body

        try:
            data = json_body(self.request)
        except Exception:
            data = None
        if not isinstance(data, dict) or not data.get("login") or "password" not in data:
            return _error(400, "Missing credentials", _(
                "error_login_missing", default="Give the account name and the password (\"login\", "
                                               "\"password\"; \"otp\": the code of two-factor login)."),
                self.request)
        answer = super().reply()
        status = self.request.response.getStatus()
        if status == 401:
            return _error(401, "Invalid credentials", accounts.LOGIN_REFUSED, self.request)
        if status == 501:
            return _error(501, "Login failed", _("error_login_no_jwt",
                                                 default="Login with a token is not available on this site."),
                          self.request)
        if status >= 400:
            return _error(status, "Login failed", accounts.LOGIN_REFUSED, self.request)
        return answer
