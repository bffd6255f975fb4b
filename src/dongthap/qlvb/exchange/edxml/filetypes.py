"""Recognise attachment bytes by their magic numbers.

Senders often declare a PDF that is really a ZIP (or the reverse).  We only
look at the first bytes and, for ZIP files, at the central directory names
(no member is ever decompressed, extracted or executed).
"""

from __future__ import annotations

import io
import mimetypes
import zipfile

ZIP = "application/zip"
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"PK\x03\x04", ZIP),
    (b"PK\x05\x06", ZIP),
    (b"PK\x07\x08", ZIP),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/x-ole-storage"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"Rar!\x1a\x07", "application/vnd.rar"),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed"),
    (b"\x1f\x8b", "application/gzip"),
    (b"{\\rtf", "application/rtf"),
    (b"MZ", "application/x-msdownload"),
    (b"\x7fELF", "application/x-executable"),
)

_OOXML = (
    ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
)

# Declared types that are acceptable spellings of a detected type.
_COMPATIBLE = {
    "application/x-ole-storage": {
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
    },
    ZIP: {"application/x-zip-compressed", "application/x-zip", "multipart/x-zip"},
    "image/jpeg": {"image/jpg", "image/pjpeg"},
    "application/rtf": {"text/rtf"},
}


def _zip_flavour(data: bytes) -> str:
    """Return the OOXML/ODF type of a ZIP from its member names, else ZIP."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = zf.namelist()
    except (zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError):
        return ZIP
    if "[Content_Types].xml" in names:
        for prefix, mime in _OOXML:
            if any(n.startswith(prefix) for n in names):
                return mime
    if "mimetype" in names and "content.xml" in names:
        return "application/vnd.oasis.opendocument"
    return ZIP


def sniff(data: bytes | None) -> str | None:
    """Return the MIME type recognised from ``data``'s leading bytes, or None."""
    if not data:
        return None
    for magic, mime in _MAGIC:
        if data.startswith(magic):
            return _zip_flavour(data) if mime == ZIP else mime
    head = data[:64].lstrip()
    if head.startswith(b"<?xml"):
        return "application/xml"
    return None


def is_archive(mime: str | None) -> bool:
    """True for container formats a user must open deliberately."""
    return mime in {ZIP, "application/vnd.rar", "application/x-7z-compressed",
                    "application/gzip"}


def _declared_types(content_type: str, name: str) -> set[str]:
    declared = set()
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct not in GENERIC_TYPES:
        declared.add(ct)
    guessed, _enc = mimetypes.guess_type(name or "", strict=False)
    if guessed:
        declared.add(guessed.lower())
    return declared


def mismatch(data: bytes | None, content_type: str, name: str) -> bool:
    """True when the recognised type contradicts the declared type or the name.

    Unknown bytes or a purely generic declaration never count as a mismatch.
    """
    detected = sniff(data)
    if detected is None:
        return False
    declared = _declared_types(content_type, name)
    if not declared:
        return False
    accepted = {detected} | _COMPATIBLE.get(detected, set())
    if detected.startswith(("application/vnd.openxmlformats",
                            "application/vnd.oasis.opendocument")):
        accepted |= {d for d in declared if d.startswith(detected)}
    return any(d not in accepted for d in declared)
