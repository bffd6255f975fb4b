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


class FulltextWorkerTick(BrowserView):
    """``POST @@fulltext-worker-tick``: one round of the full-text worker in the web process
    (tick mode of ``scripts/fulltext_worker.py --url``, as with ``make start``). The caller
    shows the local workers' token (the exchange worker's file, never in the ZODB)."""

    def __call__(self):
        import json

        from dongthap.qlvb.exchange.worker import TOKEN_HEADER
        from dongthap.qlvb.exchange.worker import token_matches
        from plone.protect.interfaces import IDisableCSRFProtection
        from zope.interface import alsoProvides

        response = self.request.response
        if self.request.method != "POST" or not token_matches(self.request.getHeader(TOKEN_HEADER) or ""):
            response.setStatus(403)
            return ""
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            limit = max(1, min(int(self.request.form.get("limit") or 5), 50))
        except ValueError:
            limit = 5
        response.setHeader("Content-Type", "application/json")
        return json.dumps(fulltext.process_pending(limit))
