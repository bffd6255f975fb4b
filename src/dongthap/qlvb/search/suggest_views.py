"""``@@goi-y-van-ban-den``: suggestions for the registration form from a chosen PDF (JSON).

The form posts the PDF the clerk chose (before saving anything); the page reads its first
page (:mod:`dongthap.qlvb.search.suggest`) and answers the suggested values. Nothing is
stored: the form's script puts them in the empty fields, marked "gợi ý", for the clerk.
"""

from dongthap.qlvb.browser.documents import uploaded
from dongthap.qlvb.documents import validation
from dongthap.qlvb.i18n import _
from dongthap.qlvb.search import suggest
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from plone.protect import CheckAuthenticator
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
        data, _filename = upload
        if len(data) > validation.max_upload_bytes():
            return self._error(413, _("error_suggest_too_large",
                                      default="The file is larger than the limit."))
        if validation.pdf_problem(data) is not None:
            return self._error(400, _("error_suggest_not_pdf",
                                      default="The file is not a readable PDF document."))
        try:
            text, used_ocr = suggest.first_page_text(data)
        except (OSError, subprocess.SubprocessError) as problem:
            logger.warning("suggestions: first page not read: %s", problem)
            return self._error(422, _("error_suggest_unreadable",
                                      default="The first page could not be read; fill in the form yourself."))
        found = suggest.suggest(text)
        kind = found.get("document_type")
        return self._answer(200, {
            "suggestions": found,
            "ocr": used_ocr,
            "document_type_title": DOCUMENT_TYPES[kind][0] if kind in DOCUMENT_TYPES else None,
            "label": translate(_("label_suggestion", default="suggestion"), context=self.request),
            "message": translate(_("msg_suggestions", default="Suggestions read from the first page "
                                   "(${how}): check every field marked \"suggestion\" before saving.",
                                   mapping={"how": translate(
                                       _("suggest_by_ocr", default="scan read by OCR") if used_ocr
                                       else _("suggest_by_text", default="text of the PDF"),
                                       context=self.request)}), context=self.request),
        })
