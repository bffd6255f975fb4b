"""The status of the text extraction / OCR of a document, shown on its page."""

from dongthap.qlvb.search import fulltext
from plone.app.layout.viewlets import ViewletBase
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
