"""Pages of account security: the control panel, "Tôi mất quyền kiểm soát tài khoản", two-factor
enrolment (with its QR code), an agency's two-factor mode, and Plone's login form with the code."""

from dongthap.qlvb.accounts import api as accounts
from dongthap.qlvb.accounts.settings import IAccountSettings, PREFIX
from dongthap.qlvb.i18n import _
from plone import api
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper, RegistryEditForm
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate


class AccountSettingsForm(RegistryEditForm):
    schema = IAccountSettings
    schema_prefix = PREFIX
    label = _("heading_accounts_controlpanel", default="Account security")
    description = _("help_accounts_controlpanel",
                    default="Password policy, locking after wrong passwords and two-factor login.")


class AccountControlPanel(ControlPanelFormWrapper):
    form = AccountSettingsForm


class LostAccountView(BrowserView):
    """One button; after it the account is disabled and the user logged out everywhere."""

    def __call__(self):
        tr = lambda msg: translate(msg, context=self.request)  # noqa: E731
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            accounts.report_lost(api.user.get_current().getId(),
                                 address=accounts.client_address(self.request))
            self.request.response.expireCookie("__ac", path="/")
            return self._page(tr(_("msg_account_lost_done",
                                   default="Your account is disabled and every session of it ended. Ask "
                                           "your agency's administrator to re-enable it with a new "
                                           "password.")), form=False)
        return self._page(tr(_("help_account_lost",
                               default="If somebody else may know your password or use your account, "
                                       "press the button: the account is disabled at once, every session "
                                       "and token ends, and your agency's administrator and security "
                                       "officer are told.")), form=True)

    def _page(self, text, form):
        from html import escape
        from plone.protect.authenticator import createToken

        tr = lambda msg: translate(msg, context=self.request)  # noqa: E731
        button = ""
        if form:
            button = (f'<form method="post"><input type="hidden" name="_authenticator" '
                      f'value="{createToken()}"/><button type="submit" class="btn btn-danger">'
                      f'{escape(tr(_("button_account_lost", default="I lost control of my account")))}'
                      f"</button></form>")
        self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
        title = escape(tr(_("heading_account_lost", default="I lost control of my account")))
        return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><main><h1>{title}</h1><p>{escape(text)}</p>{button}</main></body></html>")


class TwoFactorView(BrowserView):
    """Enrolment in two-factor login: the secret (text and ``otpauth://`` address for the app), then a
    code to confirm; the recovery codes are shown once."""

    def __call__(self):
        from html import escape
        from plone.protect.authenticator import createToken

        from dongthap.qlvb.errors import QlvbError

        tr = lambda msg: translate(msg, context=self.request)  # noqa: E731
        userid = api.user.get_current().getId()
        title = escape(tr(_("heading_two_factor", default="Two-factor login")))
        parts = []
        retry = False
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            try:
                codes = accounts.confirm_enrolment(userid, self.request.form.get("code", ""))
            except QlvbError as problem:
                parts.append(f'<p class="alert alert-danger">{escape(tr(problem.message))}</p>')
                retry = True  # the same key again: the app already holds it
            else:
                items = "".join(f"<li><code>{escape(c)}</code></li>" for c in codes)
                parts.append(f"<p>{escape(tr(_('msg_two_factor_on', default='Two-factor login is on. Keep these recovery codes somewhere safe; each works once.')))}</p><ul>{items}</ul>")  # noqa: E501
                return self._page(title, "".join(parts))
        if not accounts.two_factor_offered(userid):
            parts.append(f'<p class="alert alert-info">{escape(tr(_("msg_two_factor_off", default="Two-factor login is not used in your agency.")))}</p>')  # noqa: E501
            return self._page(title, "".join(parts))
        enrolment = (retry and accounts.pending_enrolment(userid)) or accounts.start_enrolment(userid)
        parts.append(
            f"<p>{escape(tr(_('help_two_factor', default='Add this key to an authenticator app (TOTP), then type the code it shows.')))}</p>"  # noqa: E501
            f'<figure id="totp-qr">{accounts.qr_svg(enrolment["uri"], tr(_("label_totp_qr", default="QR code of the key")))}'  # noqa: E501
            f"<figcaption>{escape(tr(_('help_totp_qr', default='Scan it with the authenticator app, or type the key below.')))}</figcaption></figure>"  # noqa: E501
            f'<p><code id="totp-secret">{escape(enrolment["secret"])}</code></p>'
            f'<p><a href="{escape(enrolment["uri"])}">{escape(enrolment["uri"])}</a></p>'
            f'<form method="post"><input type="hidden" name="_authenticator" value="{createToken()}"/>'
            f'<label>{escape(tr(_("label_totp_code", default="Code")))} '
            f'<input name="code" inputmode="numeric" autocomplete="one-time-code"/></label> '
            f'<button type="submit" class="btn btn-primary">'
            f'{escape(tr(_("button_confirm", default="Confirm")))}</button></form>')
        return self._page(title, "".join(parts))

    def _page(self, title, body):
        self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
        return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><main><h1>{title}</h1>{body}</main></body></html>")


class CodeLoginView(TwoFactorView):
    """The login form with the code of two-factor login (posts to Plone's login form)."""

    def __call__(self):
        from html import escape

        tr = lambda msg: escape(translate(msg, context=self.request))  # noqa: E731
        portal = api.portal.get().absolute_url()
        fields = "".join(
            f'<p><label>{label} <input name="{name}" type="{kind}" autocomplete="{auto}"/></label></p>'
            for name, kind, auto, label in (
                ("__ac_name", "text", "username", tr(_("label_login_name", default="Account name"))),
                ("__ac_password", "password", "current-password",
                 tr(_("label_login_password", default="Password"))),
                ("__ac_otp", "text", "one-time-code", tr(_("label_totp_code", default="Code"))),
            ))
        body = (f'<form method="post" action="{escape(portal)}/login">{fields}'
                f'<button type="submit" name="buttons.login" value="login" class="btn btn-primary">'
                f'{tr(_("button_login", default="Log in"))}</button></form>')
        return self._page(tr(_("heading_two_factor", default="Two-factor login")), body)


class AgencyTwoFactorView(BrowserView):
    """"Đăng nhập hai bước" of an agency: its administrators choose the mode for its staff (or the
    site-wide default)."""

    def __call__(self):
        from html import escape
        from plone.protect.authenticator import createToken

        from dongthap.qlvb.accounts import settings
        from dongthap.qlvb.errors import QlvbError

        tr = lambda msg: translate(msg, context=self.request)  # noqa: E731
        parts, status = [], 200
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            try:
                accounts.set_agency_two_factor(self.context, self.request.form.get("mode") or None)
            except QlvbError as problem:
                status = problem.status
                parts.append(f'<p class="alert alert-danger">{escape(tr(problem.message))}</p>')
            else:
                parts.append(f'<p class="alert alert-success" role="status">{escape(tr(_("msg_saved", default="Saved.")))}</p>')  # noqa: E501
        own = accounts.agency_two_factor_own(self.context)
        default = accounts.default_two_factor()
        options = [("", tr(_("two_factor_default_choice", default="As the site-wide default: ${mode}",
                               mapping={"mode": tr(settings.TWO_FACTOR_TITLES[default])})))]
        options += [(mode, tr(settings.TWO_FACTOR_TITLES[mode])) for mode in settings.TWO_FACTOR_MODES]
        radios = "".join(
            f'<div class="form-check"><input class="form-check-input" type="radio" name="mode" '
            f'id="mode-{value or "default"}" value="{value}"{" checked" if (own or "") == value else ""}/>'
            f'<label class="form-check-label" for="mode-{value or "default"}">{escape(label)}</label></div>'
            for value, label in options)
        parts.append(
            f"<p>{escape(tr(_('help_agency_two_factor', default='Who of this agency must type a code from an authenticator app after the password. Off: nobody is asked for a code.')))}</p>"  # noqa: E501
            f'<form method="post"><input type="hidden" name="_authenticator" value="{createToken()}"/>'
            f"<fieldset><legend>{escape(tr(_('label_two_factor_mode', default='Two-factor login')))}</legend>"
            f'{radios}</fieldset><button type="submit" class="btn btn-primary">'
            f'{escape(tr(_("button_save", default="Save")))}</button></form>')
        title = escape(f'{tr(_("heading_two_factor", default="Two-factor login"))}: {self.context.Title()}')
        self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
        if status != 200:
            self.request.response.setStatus(status)
        return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{title}</title></head>'
                f"<body><main><h1>{title}</h1>{''.join(parts)}</main></body></html>")
