"""The status of the text extraction / OCR of a document, shown on its page."""

from dongthap.qlvb.search import fulltext
from plone.app.layout.viewlets import ViewletBase
from Products.Five.browser import BrowserView
from zope.i18n import translate


class FulltextStatus(ViewletBase):
    def update(self):
        super().update()
        self.status = fulltext.status_of(self.context)

    def title(self):
        return translate(self.status["title"], context=self.request)

    def low_dpi(self):
        if not self.status or not self.status["low_dpi"]:
            return None
        return translate(fulltext.LOW_DPI, mapping={"dpi": fulltext.MIN_DPI}, context=self.request) + \
            f" ({self.status['dpi']} dpi)"


class OcrCopy(BrowserView):
    """``@@ban-ocr``: the searchable copy (OCR) of a scanned document, as a PDF download."""

    def __call__(self):
        from zExceptions import NotFound

        named = getattr(self.context, "qlvb_ocr_file", None)
        if named is None:
            raise NotFound("ban-ocr")
        response = self.request.response
        response.setHeader("Content-Type", "application/pdf")
        response.setHeader("X-Content-Type-Options", "nosniff")
        response.setHeader("Content-Disposition", f'attachment; filename="{named.filename}"')
        return named.data
