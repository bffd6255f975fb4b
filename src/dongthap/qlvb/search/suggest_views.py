"""``@@goi-y-van-ban-den``: suggestions for the registration form from a chosen PDF (JSON).

The form posts the PDF the clerk chose (before saving anything); the page reads its first
page (:mod:`dongthap.qlvb.search.suggest`) and answers the suggested values. Nothing is
stored: the form's script puts them in the empty fields, marked "gợi ý", for the clerk.
"""

from dongthap.qlvb.browser.documents import uploaded
from dongthap.qlvb.documents import validation
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.search import suggest
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.restapi.errors import guarded
from plone.protect import CheckAuthenticator
from plone.restapi.services import Service
from Products.Five.browser import BrowserView
from zope.i18n import translate

import json
import logging
import subprocess

logger = logging.getLogger("dongthap.qlvb.search.suggest")


class SuggestFromFile(BrowserView):
    def _answer(self, status, body):
        self.request.response.setStatus(status)
        self.request.response.setHeader("Content-Type", "application/json; charset=utf-8")
        self.request.response.setHeader("Cache-Control", "no-store")
        return json.dumps(body, ensure_ascii=False)

    def _error(self, status, message):
        return self._answer(status, {"error": translate(message, context=self.request)})

    def __call__(self):
        if self.request.method != "POST":
            return self._error(405, _("error_suggest_post_only", default="Send the file with POST."))
        CheckAuthenticator(self.request)
        upload = uploaded(self.request.form.get("file"))
        if upload is None:
            return self._error(400, _("error_suggest_no_file", default="Choose the PDF of the document."))
        try:
            answer = from_pdf(upload[0], self.request, self.context)
        except QlvbError as problem:
            return self._answer(problem.status, {"error": translate(problem.message, context=self.request)})
        return self._answer(200, answer)


def from_pdf(data, request, context=None):
    """The suggestions of the PDF bytes ``data`` (the page and the REST service); QlvbError on
    a file that is no PDF, too large, or whose first page cannot be read."""
    if len(data) > validation.max_upload_bytes():
        raise QlvbError(_("error_suggest_too_large", default="The file is larger than the limit."),
                        status=413)
    # scanned before any reader (PDF parser, OCR) touches it, like every upload: malware is
    # refused as malware, with its incident, even when it is no PDF
    from dongthap.qlvb.antivirus import api as antivirus

    refusal = antivirus.upload_refusal(antivirus.check_uploads(
        [("file", data, "van-ban.pdf")], path_of_entry="suggestions", context=context))
    if refusal is not None:
        message, errors, status = refusal
        raise QlvbError(message, errors, status=status)
    if validation.pdf_problem(data) is not None:
        raise QlvbError(_("error_suggest_not_pdf", default="The file is not a readable PDF document."))
    try:
        text, used_ocr = suggest.first_page_text(data)
    except (OSError, subprocess.SubprocessError) as problem:
        logger.warning("suggestions: first page not read: %s", problem)
        raise QlvbError(_("error_suggest_unreadable",
                          default="The first page could not be read; fill in the form yourself."),
                        status=422) from None
    found = suggest.suggest(text)
    kind = found.get("document_type")
    return {
        "suggestions": found,
        "ocr": used_ocr,
        "document_type_title": DOCUMENT_TYPES[kind][0] if kind in DOCUMENT_TYPES else None,
        "label": translate(_("label_suggestion", default="suggestion"), context=request),
        "message": translate(_("msg_suggestions", default="Suggestions read from the first page "
                               "(${how}): check every field marked \"suggestion\" before saving.",
                               mapping={"how": translate(
                                   _("suggest_by_ocr", default="scan read by OCR") if used_ocr
                                   else _("suggest_by_text", default="text of the PDF"),
                                   context=request)}), context=request),
    }


class SuggestionsPost(Service):
    """``POST <agency>/@incoming-suggestions`` ``{"file": {data, encoding, filename}}``: the same
    suggestions as JSON (nothing is stored)."""

    @guarded
    def reply(self):
        from dongthap.qlvb.restapi.body import decode_file
        from dongthap.qlvb.restapi.body import json_object

        body = json_object(self.request)
        upload = decode_file(body.get("file"), "van-ban.pdf")
        if not isinstance(upload, tuple):
            raise QlvbError(_("error_suggest_no_file", default="Choose the PDF of the document."))
        return from_pdf(upload[0], self.request, self.context)
