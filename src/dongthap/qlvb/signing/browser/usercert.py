"""A user's own signing certificate(s); agency/province admins can look."""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import Forbidden

from dongthap.qlvb.i18n import _

from .. import usercerts


def can_see_certificates_of(userid) -> bool:
    """The user themself, a province admin/manager, or an admin of one of their agencies."""
    current = api.user.get_current()
    if current is None:
        return False
    if current.getId() == userid:
        return True
    portal = api.portal.get()
    if api.user.has_permission("dongthap.qlvb: Manage signing", obj=portal):
        return True
    from dongthap.qlvb.agencies import api as agencies

    user = api.user.get(userid=userid)
    if user is None:
        return False
    return any(agencies.can_manage_staff(a)
               for a in agencies.agencies_of(username=user.getUserName()))


class UserCertificateView(BrowserView):
    messages = ()
    errors = ()

    def __call__(self):
        current = api.user.get_current().getId()
        self.userid = self.request.form.get("userid") or current
        self.own = self.userid == current
        if not can_see_certificates_of(self.userid):
            raise Forbidden("certificates")
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if not self.own:
                raise Forbidden("only your own certificate")
            self.handle()
        return self.index()

    def handle(self):
        form = self.request.form
        if form.get("action") == "upload":
            upload = form.get("certificate")
            data = upload.read() if hasattr(upload, "read") else (upload or b"")
            try:
                usercerts.register(userid=self.userid,
                                   data=data if isinstance(data, bytes) else data.encode())
            except ValueError:
                self.errors = [_("signing_error_not_user_certificate",
                                 default="The file is not a personal certificate (PEM or DER).")]
                return
            self.messages = [_("signing_msg_cert_registered",
                               default="Your signing certificate was registered.")]
        elif form.get("action") == "remove" and form.get("confirm") == "yes":
            if usercerts.unregister(userid=self.userid, fp=form.get("fingerprint", "")):
                self.messages = [_("signing_msg_cert_removed",
                                   default="The certificate was removed.")]

    def certificates(self):
        return usercerts.describe_all(userid=self.userid)
