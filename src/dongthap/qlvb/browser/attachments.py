"""Download of one file of a list-of-files field (``attachments``) of a document.

``<document>/@@tep-dinh-kem/<index>`` serves attachment ``index`` (0-based) as
a download (a PDF inline), to whoever may view the document. The REST representation of
the documents links here (:mod:`dongthap.qlvb.restapi.files`).
"""

from Acquisition import aq_inner
from dongthap.qlvb.browser.documents import is_pdf_file
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from Products.Five import BrowserView
from zExceptions import NotFound
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse

VIEW_NAME = "tep-dinh-kem"
FIELD = "attachments"


@implementer(IPublishTraverse)
class AttachmentDownload(BrowserView):
    """``@@tep-dinh-kem/<index>``: one attachment of the document."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.segments = []

    def publishTraverse(self, request, name):
        if len(self.segments) >= 1:
            raise NotFound(name)
        self.segments.append(name)
        return self

    def __call__(self):
        files = list(getattr(aq_inner(self.context), FIELD, None) or ())
        try:
            index = int(self.segments[0])
        except (IndexError, ValueError):
            raise NotFound(VIEW_NAME) from None
        if not 0 <= index < len(files) or files[index] is None:
            raise NotFound(VIEW_NAME)
        named = files[index]
        response = self.request.response
        set_headers(named, response, filename=named.filename or f"tep-dinh-kem-{index + 1}")
        if is_pdf_file(named):  # a PDF opens in the browser (and in the preview); anything else downloads
            disposition = response.getHeader("Content-Disposition") or ""
            response.setHeader("Content-Disposition", "inline" + disposition[len("attachment"):]
                               if disposition.startswith("attachment") else "inline")
        response.setHeader("X-Content-Type-Options", "nosniff")
        response.setHeader("Cache-Control", "private, no-store")
        return stream_data(named)
