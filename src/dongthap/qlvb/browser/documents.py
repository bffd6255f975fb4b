"""What the pages of incoming and outgoing documents share."""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import URGENCY
from plone import api
from Products.CMFPlone.utils import safe_text
from Products.Five.browser import BrowserView
from zope.i18n import translate


def uploaded(upload):
    """``(bytes, filename)`` of a form upload, or None when no file was chosen."""
    if upload is None or not getattr(upload, "filename", None):
        return None
    upload.seek(0)
    return upload.read(), safe_text(upload.filename).rsplit("\\", 1)[-1]


class AgencyPage(BrowserView):
    """Base of the document pages: translation, the agency, status messages."""

    def t(self, message):
        return translate(message, context=self.request)

    def agency(self):
        return get_agency(self.context)

    def message(self, text, kind="info"):
        api.portal.show_message(message=self.t(text), request=self.request, type=kind)

    def document_types(self):
        """The NĐ 30 types for a choice list: "Công văn", "Quyết định (QĐ)" …"""
        return [{"value": k, "title": f"{n} ({a})" if a else n} for k, (n, a) in DOCUMENT_TYPES.items()]

    def urgencies(self):
        """Urgencies from the most urgent (hỏa tốc) down."""
        return [{"value": k, "title": self.t(t)} for k, t in reversed(URGENCY)]
