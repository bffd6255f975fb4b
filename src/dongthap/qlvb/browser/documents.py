"""What the pages of incoming and outgoing documents share."""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import URGENCY
from plone import api
from Products.CMFPlone.utils import safe_text
from Products.Five.browser import BrowserView
from zope.i18n import translate

try:  # the antivirus capability rescans before a download when configured
    from dongthap.qlvb.antivirus.browser import RescanDisplayFile as _DisplayFile
    from dongthap.qlvb.antivirus.browser import RescanDownload as _Download
except ImportError:  # pragma: no cover - capability not installed
    from plone.namedfile.browser import DisplayFile as _DisplayFile
    from plone.namedfile.browser import Download as _Download


def uploaded(upload):
    """``(bytes, filename)`` of a form upload, or None when no file was chosen."""
    if upload is None or not getattr(upload, "filename", None):
        return None
    upload.seek(0)
    return upload.read(), safe_text(upload.filename).rsplit("\\", 1)[-1]


def chosen_or_kept(form):
    """The main file of a form: the one chosen now, else the one kept after an earlier refusal
    (:mod:`dongthap.qlvb.documents.kept_uploads`); ``(upload, token)``, the token when kept."""
    from dongthap.qlvb.documents import kept_uploads

    upload = uploaded(form.get("file"))
    token = form.get(kept_uploads.FIELD) or None
    if upload is not None:
        return upload, None  # a new choice replaces the kept file
    kept = kept_uploads.take(token)
    return kept, token if kept is not None else None


def attachments_or_kept(form):
    """The attachments of a form: those kept after an earlier refusal and still ticked
    (``kept_attachments:list``, tokens of :mod:`dongthap.qlvb.documents.kept_uploads`), then those
    chosen now; ``(uploads, tokens)`` with one token (or None for a new choice) per upload."""
    from dongthap.qlvb.documents import kept_uploads

    tokens = form.get(kept_uploads.ATTACHMENTS_FIELD) or []
    tokens = tokens if isinstance(tokens, list) else [tokens]
    uploads, kept_tokens = [], []
    for token in dict.fromkeys(t for t in tokens if isinstance(t, str)):
        kept = kept_uploads.take(token)
        if kept is not None:  # another user's, unknown or expired token: nothing
            uploads.append(kept)
            kept_tokens.append(token)
    chosen = form.get("attachments") or []
    for upload in (uploaded(x) for x in (chosen if isinstance(chosen, list) else [chosen])):
        if upload:
            uploads.append(upload)
            kept_tokens.append(None)
    return uploads, kept_tokens


def keep_attachments_after_error(uploads, tokens, errors, agency):
    """After a refused form: ``[{"token", "filename"}]`` of the attachments kept for the next try
    (none when the attachments themselves were refused); ``(kept, lost)`` where ``lost`` names
    the attachments that could not be kept (refused by the antivirus) and must be chosen again."""
    from dongthap.qlvb.documents import kept_uploads

    if not uploads or "attachments" in errors:
        return [], [u[1] for u in uploads]
    kept, lost = [], []
    for upload, token in zip(uploads, tokens, strict=True):
        token = token or kept_uploads.keep(upload, agency=agency)
        if token:
            kept.append({"token": token, "filename": upload[1]})
        else:
            lost.append(upload[1])
    return kept, lost


def keep_after_error(upload, token, errors, agency):
    """After a refused form: ``{"token", "filename"}`` of the main file kept for the next try,
    or None (nothing chosen, or the file itself was refused)."""
    from dongthap.qlvb.documents import kept_uploads

    if upload is None or "file" in errors:
        return None
    token = token or kept_uploads.keep(upload, agency=agency)
    return {"token": token, "filename": upload[1]} if token else None


class AgencyPage(BrowserView):
    """Base of the document pages: translation, the agency, status messages."""

    #: the main file kept on the server after a refused form (``{"token", "filename"}``)
    kept = None

    #: the file inputs of the page's form whose chosen PDFs :meth:`preview` shows
    preview_inputs = "#file,#attachments"

    @staticmethod
    def resource_url(path):
        """The address of a static file of the package (``browser/static/``)."""
        from dongthap.qlvb.browser.preview import resource_url

        return resource_url(path)

    def preview(self):
        """The PDF preview of the files chosen in the form, before they are uploaded."""
        from dongthap.qlvb.browser.preview import LocalPreview

        return LocalPreview(self.context, self.request, self.preview_inputs)()

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


def no_sniffing(response):
    """Browsers must use the declared type of a stored file, never guess another one."""
    response.setHeader("X-Content-Type-Options", "nosniff")


def is_pdf_file(named):
    return (getattr(named, "contentType", "") or "").split(";")[0].strip().lower() == "application/pdf"


class DocumentDownload(_Download):
    """``@@download`` of the files of a document: always an attachment, never sniffed."""

    def set_headers(self, file):
        super().set_headers(file)
        no_sniffing(self.request.response)


class DocumentDisplayFile(_DisplayFile):
    """``@@display-file`` of a document: PDFs (checked when stored) inline, any other file as an
    attachment; never sniffed."""

    def set_headers(self, file):
        if is_pdf_file(file):
            super().set_headers(file)
        else:
            _Download.set_headers(self, file)
        no_sniffing(self.request.response)
