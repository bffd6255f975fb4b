"""Which received file is "the document": a bare PDF, the one PDF inside a ZIP, or the file as sent.

Real senders do not always send a bare PDF: some send only a ``.doc``/``.docx``,
some put the PDF in a ZIP.  Such documents are received, never dropped; they
are marked as having no verifiable signature and the clerk decides.

:func:`choose` returns a :class:`Choice`:

* ``mode == "pdf"``: the first PDF is the document, the other PDFs are its
  attachments, every other file is kept aside unopened (as before);
* ``mode == "zip-pdf"``: no bare PDF, but a ZIP holds exactly one PDF: that
  PDF is taken out (and only that member: nothing else in the ZIP is opened)
  and is the document; the ZIP itself is kept aside as sent;
* ``mode == "as-sent"``: no PDF anywhere: the first Word file (else the first
  file) is the document, stored exactly as sent;
* ``main is None``: the package carries no file at all.

ZIP bombs: the PDF is taken out only when the ZIP lists at most
:data:`MAX_ZIP_MEMBERS` names and the member's declared size is at most
``max_member`` bytes and :data:`MAX_RATIO` times its compressed size; the
extraction itself stops at ``max_member`` bytes whatever the header says.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from . import filetypes
from .model import Attachment

PDF = "application/pdf"
MAX_ZIP_MEMBERS = 1000
MAX_RATIO = 200
DEFAULT_MAX_MEMBER = 50 * 1024 * 1024
WORD_TYPES = frozenset({
    "application/x-ole-storage",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/rtf",
})
WORD_SUFFIXES = (".doc", ".docx", ".rtf", ".odt")


@dataclass
class Choice:
    """The outcome of :func:`choose` (see the module docstring)."""

    mode: str = "pdf"
    main: Attachment | None = None
    main_name: str = ""
    main_data: bytes = b""
    main_type: str = PDF
    pdf_attachments: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    note: str = ""

    @property
    def verifiable(self) -> bool:
        """True only when the document was sent as a bare PDF."""
        return self.mode == "pdf"


def _is_pdf(att: Attachment) -> bool:
    return att.detected_type == PDF


def pdf_in_zip(data: bytes, *, max_member: int = DEFAULT_MAX_MEMBER) -> tuple[str, bytes] | None:
    """``(name, bytes)`` of the only PDF of a ZIP, or None (none, several, unsafe, unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_ZIP_MEMBERS:
                return None
            pdfs = [i for i in infos if not i.is_dir() and i.filename.lower().endswith(".pdf")]
            if len(pdfs) != 1:
                return None
            info = pdfs[0]
            if info.file_size > max_member or info.file_size > MAX_RATIO * max(info.compress_size, 1):
                return None
            with zf.open(info) as fh:
                content = fh.read(max_member + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, ValueError, OSError,
            RuntimeError, EOFError):
        return None  # encrypted, unsupported compression, corrupt: keep the ZIP as sent
    if len(content) > max_member or not content.startswith(b"%PDF-"):
        return None
    return PurePosixPath(info.filename.replace("\\", "/")).name or "van-ban.pdf", content


def _is_word(att: Attachment) -> bool:
    return (att.detected_type in WORD_TYPES
            or (att.attachment_name or "").lower().endswith(WORD_SUFFIXES))


def choose(attachments: list[Attachment], *, max_member: int = DEFAULT_MAX_MEMBER) -> Choice:
    """Decide which file is the document (module docstring)."""
    files = [a for a in attachments if a.data]
    pdfs = [a for a in files if _is_pdf(a)]
    if pdfs:
        main = pdfs[0]
        return Choice("pdf", main, main.attachment_name or "van-ban.pdf", main.data, PDF, pdfs[1:],
                      [a for a in files if not _is_pdf(a)])
    for att in files:
        if att.detected_type != filetypes.ZIP:
            continue
        found = pdf_in_zip(att.data, max_member=max_member)
        if found is not None:
            name, data = found
            return Choice("zip-pdf", att, name, data, PDF, [], files,
                          note=f"{name} ← {att.attachment_name or att.content_id}")
    words = [a for a in files if _is_word(a)]
    main = (words or files or [None])[0]
    if main is None:
        return Choice("pdf", None)
    mime = main.detected_type or (main.content_type or "").split(";")[0].strip() or "application/octet-stream"
    return Choice("as-sent", main, main.attachment_name or main.content_id or "van-ban", main.data, mime, [],
                  [a for a in files if a is not main], note=main.attachment_name or main.content_id)
