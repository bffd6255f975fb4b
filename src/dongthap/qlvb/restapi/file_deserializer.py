"""File fields of documents sent through plone.restapi's generic ``PATCH``.

plone.restapi's own deserializer turns ``{"data": 123}`` into an HTTP 500 showing the exception
text. This one (for incoming and outgoing documents, on our layer) extends the antivirus
capability's deserializer (which scans every new file): it first checks the *shape* of the file
object and answers a translated 400; after the scan, the draft file of an outgoing document must
be a readable PDF or .docx and its attachments readable PDFs (incoming files are checked by the
schema's own constraint).
"""

from dongthap.qlvb.content.outgoing import IOutgoingDocument
from dongthap.qlvb.documents import validation
from dongthap.qlvb.i18n import _
from zope.i18n import translate

import re

try:  # the antivirus capability scans every file a deserializer accepts
    from dongthap.qlvb.antivirus.hooks import NamedFieldDeserializer as _Base
except ImportError:  # pragma: no cover - capability not installed
    from plone.restapi.deserializer.dxfields import NamedFieldDeserializer as _Base

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
BAD_SHAPE = _("error_bad_file_object",
              default="Send the file as {data, encoding: base64, filename} with a one-line file name.")


def _good_shape(value):
    if value is None or hasattr(value, "metadata"):  # nothing, or a TUS upload
        return True
    if not isinstance(value, dict):
        return False
    if "data" not in value:  # the answer of a GET sent back: the stored file is kept
        return True
    filename = value.get("filename")
    return (isinstance(value.get("data"), str)
            and value.get("encoding", "base64") in ("base64", "utf8", "utf-8")
            and (filename is None or (isinstance(filename, str) and not _CONTROL.search(filename)
                                      and len(filename) <= validation.MAX_FILENAME)))


class DocumentFileDeserializer(_Base):
    def __call__(self, value):
        if not _good_shape(value):
            raise ValueError(translate(BAD_SHAPE, context=self.request))
        current = getattr(self.field.context, self.field.__name__, None)
        result = super().__call__(value)
        if result is None or result is current or not IOutgoingDocument.providedBy(self.context):
            return result
        if self.field.__name__ == "file":
            check, message = validation.readable_pdf_or_docx, validation.NotPdfOrDocx.__doc__
        else:
            check, message = validation.readable_pdf, validation.NotReadablePdf.__doc__
        try:
            check(result)
        except validation.FileTooLarge:
            raise ValueError(translate(validation.FileTooLarge.__doc__, context=self.request)) from None
        except Exception:  # noqa: BLE001 - not readable
            raise ValueError(translate(message, context=self.request)) from None
        return result
