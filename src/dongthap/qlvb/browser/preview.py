"""The PDF preview (pdf.js) shown on the pages of a document and beside its action forms.

``<document>/@@xem-truoc-pdf`` renders the preview panel of the document: its main file and each
attachment that is a PDF, one tab each, read through the views that already serve them to whoever
may view the document (``@@display-file/file``, ``@@tep-dinh-kem/<n>``: ``nosniff``, only PDFs
inline). The pages include it with ``<tal:p replace="structure context/@@xem-truoc-pdf" />``; the
registration form shows the file the clerk has chosen, before it is uploaded
(``view/local_preview`` of :class:`LocalPreview`). pdf.js is a static resource
(``++resource++dongthap.qlvb/pdfjs/``, fetched by ``scripts/fetch_pdfjs.py``), loaded only here.
"""

from Acquisition import aq_inner
from dongthap.qlvb.browser.attachments import VIEW_NAME as ATTACHMENT_VIEW
from dongthap.qlvb.browser.documents import is_pdf_file
from dongthap.qlvb.i18n import _
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

RESOURCE = "++resource++dongthap.qlvb"


def resource_url(path=""):
    return f"{api.portal.get().absolute_url()}/{RESOURCE}/{path}"


def preview_files(doc):
    """The PDFs of ``doc`` a preview shows: ``[{"title", "url"}]``, main file first."""
    doc = aq_inner(doc)
    base = doc.absolute_url()
    files = []
    main = getattr(doc, "file", None)
    if main is not None and is_pdf_file(main):
        files.append({"title": main.filename or "", "url": f"{base}/@@display-file/file", "main": True})
    for index, named in enumerate(getattr(doc, "attachments", None) or ()):
        if named is not None and is_pdf_file(named):
            files.append({"title": named.filename or f"{index + 1}",
                          "url": f"{base}/@@{ATTACHMENT_VIEW}/{index}", "main": False})
    return files


class _PreviewBase(BrowserView):
    template = ViewPageTemplateFile("templates/preview.pt")

    def script_url(self):
        return resource_url("qlvb-pdf.js")

    def style_url(self):
        return resource_url("qlvb-pdf.css")

    def pdfjs_url(self):
        return resource_url("pdfjs/")

    def tab_title(self, item):
        if item.get("main"):
            label = translate(_("preview_main_file", default="Document"), context=self.request)
        else:
            label = translate(_("preview_attachment", default="Attachment"), context=self.request)
        return f"{label}: {item['title']}" if item["title"] else label


class DocumentPreview(_PreviewBase):
    """``@@xem-truoc-pdf``: the preview panel of a document (empty when it has no PDF)."""

    local = False

    def files(self):
        return preview_files(self.context)

    def __call__(self):
        if not self.files():
            return ""
        return self.template()


class LocalPreview(_PreviewBase):
    """The panel of a form: it shows the PDFs chosen in the form's file inputs, not yet uploaded."""

    local = True

    def __init__(self, context, request, inputs):
        super().__init__(context, request)
        self.inputs = inputs

    def files(self):
        return []

    def __call__(self):
        return self.template()
