"""Pages of account security: the control panel and "Tôi mất quyền kiểm soát tài khoản"."""

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
