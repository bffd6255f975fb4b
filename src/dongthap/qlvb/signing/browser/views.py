"""Badge viewlet and the @@chu-ky-so report view."""

from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView

from .. import api
from ..readable import badge, readable, readable_attachments


class BadgeViewlet(ViewletBase):
    def update(self):
        super().update()
        self.badge = badge(api.legal_validity(document=self.context), self.request)
        self.url = self.context.absolute_url() + "/@@chu-ky-so"


class SignaturesView(BrowserView):
    """The readable verification report; POST re-verifies."""

    def __call__(self):
        if self.request.method == "POST" and self.request.form.get("reverify"):
            CheckAuthenticator(self.request)
            api.verify(document=self.context)
            api.verify_attachments(document=self.context)
        return self.index()

    def report(self):
        return readable(getattr(self.context, "signature_report", None), self.request)

    def attachments(self):
        """One readable report per separate attachment file."""
        return readable_attachments(api.attachment_reports(document=self.context),
                                    self.request)

    def history(self):
        return [{"action": h["action"], "userid": h["userid"],
                 "replaced_at": h["replaced_at"].strftime("%d/%m/%Y %H:%M:%S")}
                for h in api.history(document=self.context)]


class MacrosView(BrowserView):
    """Holds the ``badge`` macro for listings."""

    def badge(self, value):
        return badge(value, self.request)
