"""The export package of a dossier: write it (streaming) and read it back (validated).

Format: **one ZIP file** (ZIP64), chosen because every archive tool and every
operating system opens it without extra software, it can be written to a
non-seekable stream, members can be stored uncompressed (PDFs are compressed
already) and read one at a time.  Its layout::

    ho-so.pdf              cover, Mục lục văn bản trong hồ sơ, then every document
                           in chronological order (the reading copy; bookmarks per document;
                           page labels: i, ii… for the front matter, 1, 2… for the documents,
                           the numbers printed in the table's "Tờ/Trang" column)
    metadata.xml           Thông tư 02/2019 metadata of the dossier and of every document,
                           with each file's path, size and SHA-256 (:mod:`.metadata`)
    van-ban/0001/<name>    the original files of document 1 (main file, attachments),
    van-ban/0002/<name>    byte for byte (signed PDFs keep their signatures)
    …
    manifest-sha256.txt    "<sha256>  <path>" for every other member, in the format of
                           ``sha256sum``: ``sha256sum -c manifest-sha256.txt`` checks an
                           unpacked package without our software

:func:`write_package` streams: each original is copied in chunks and hashed on
the way, the PDF is concatenated page by page (:mod:`.pdfcat`), the XML is
written incrementally; only metadata, checksums and page numbers stay in
memory, so a 1,000-document dossier is never held at once.

:func:`read_package` checks an untrusted package before anything is imported:
ZIP structure, member names (no absolute paths, ``..``, backslashes,
duplicates), no encryption, limits on the number of members, on each member's
size, on the total and on the compression ratio (zip bombs; reading stops at
the limit whatever the headers say), the manifest against every member, the
XML (hardened parser) and every file it lists against the manifest.  Errors
are :class:`~.errors.PackageError` subclasses with a translatable message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO

from dongthap.qlvb.i18n import _

from . import pages as page_render
from .errors import ChecksumError, PackageError, PackageTooLargeError, UnsafePackageError, reason
from .metadata import Component, MetadataWriter, PackageMeta, read_metadata
from .pdfcat import PdfConcatenator, PdfSourceError
from .retention import VIETNAM_TZ

PDF_NAME = "ho-so.pdf"
XML_NAME = "metadata.xml"
MANIFEST_NAME = "manifest-sha256.txt"
FILES_DIR = "van-ban"
PDF = "application/pdf"
CHUNK = 1024 * 1024
#: already compressed: stored as they are
STORED_TYPES = (
    "application/pdf",
    "application/zip",
    "image/jpeg",
    "image/png",
    "application/vnd.openxmlformats-officedocument",
)
MAX_NAME = 120


@dataclass
class ExportFile:
    """One file of a document: its name, how to open it (called when needed), type, role."""

    name: str
    open: Callable[[], BinaryIO]
    content_type: str = "application/octet-stream"
    role: str = "main"  # "main" or "attachment"


@dataclass
class ExportDocument:
    """One document of the dossier: TT 02 fields (see :data:`.metadata.DOCUMENT_FIELDS`)."""

    fields: dict
    files: list[ExportFile] = field(default_factory=list)
    extension: dict = field(default_factory=dict)


@dataclass
class PackageSummary:
    """What :func:`write_package` wrote."""

    documents: int
    files: int
    pdf_pages: int
    document_pages: int
    checksums: dict[str, str]
    unreadable: list[str] = field(default_factory=list)


class _HashingWriter:
    def __init__(self, out):
        self._out = out
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data) -> int:
        self._out.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)


def safe_name(name: str, fallback: str = "tep") -> str:
    """A file name fit for a ZIP member: the base name, NFC, no separators or control characters."""
    name = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f:*?\"<>|]", "_", name).strip(" .")
    if not name:
        name = fallback
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        ext = ext[:10] if dot else ""
        name = (stem if dot else name)[: MAX_NAME - len(ext) - 1] + ("." + ext if ext else "")
    return name


def chronological(documents: Iterable[ExportDocument]) -> list[ExportDocument]:
    """Documents by issue date (undated last), then by their ordinal in the dossier."""

    def key(doc):
        issued = doc.fields.get("IssuedDate")
        if isinstance(issued, dt.datetime):
            issued = issued.date()
        return (issued is None, issued or dt.date.min, doc.fields.get("DocOrdinal") or 0)

    return sorted(documents, key=key)


def _zinfo(path: str, mime: str, when: dt.datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(path, date_time=when.timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED if mime.startswith(STORED_TYPES) else zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def _copy(src: BinaryIO, dst) -> None:
    while True:
        chunk = src.read(CHUNK)
        if not chunk:
            return
        dst.write(chunk)


def _notation(fields: dict) -> str:
    number, notation = fields.get("CodeNumber"), fields.get("CodeNotation")
    if number and notation:
        return f"{number}/{notation}"
    return str(number or notation or "")


def _subject(fields: dict) -> str:
    type_name, subject = fields.get("TypeName") or "", fields.get("Subject") or ""
    return (
        f"{type_name} {subject}".strip()
        if type_name and not subject.lower().startswith(type_name.lower())
        else subject
    )


def _page_range(first: int, count: int) -> str:
    if count <= 0:
        return ""
    return str(first) if count == 1 else f"{first}-{first + count - 1}"


def write_package(
    out: BinaryIO,
    dossier: dict,
    documents: Iterable[ExportDocument],
    *,
    agency_name: str,
    extension: dict | None = None,
    exported_at: dt.datetime | None = None,
) -> PackageSummary:
    """Write the package of *dossier* (TT 02 dossier fields) and *documents* to *out*.

    *out* is any writable binary stream (seeking not needed).  The system
    fields of the dossier (``DocTotal``, ``PageTotal``, ``StartDate``,
    ``EndDate``) are filled from the documents when missing; each
    document's ``PageAmount`` from its PDF when missing.
    """
    when = (exported_at or dt.datetime.now(VIETNAM_TZ)).astimezone(VIETNAM_TZ)
    docs = [ExportDocument(dict(d.fields), d.files, dict(d.extension)) for d in chronological(documents)]
    checksums: dict[str, str] = {}
    components: list[list[Component]] = []
    used_paths: set[str] = set()
    with zipfile.ZipFile(out, "w", allowZip64=True) as zf:
        # 1. the originals, byte for byte
        for index, doc in enumerate(docs, 1):
            comps = []
            folder = f"{FILES_DIR}/{doc.fields.get('DocOrdinal') or index:04d}"
            for n, f in enumerate(doc.files, 1):
                name = safe_name(f.name, f"tep-{n}")
                path = f"{folder}/{name}"
                if path in used_paths:
                    path = f"{folder}/{n}-{name}"
                used_paths.add(path)
                mime = (f.content_type or "application/octet-stream").split(";")[0].strip()
                with zf.open(_zinfo(path, mime, when), "w", force_zip64=True) as member:
                    writer = _HashingWriter(member)
                    with f.open() as src:
                        _copy(src, writer)
                digest = writer.sha.hexdigest()
                checksums[path] = digest
                comps.append(
                    Component(
                        path,
                        f.name or name,
                        f.role if f.role in ("main", "attachment") else "attachment",
                        mime,
                        writer.size,
                        digest,
                    )
                )
            components.append(comps)

        # 2. the reading copy: documents first (written), front matter after, arranged in finish()
        unreadable: list[str] = []
        with zf.open(_zinfo(PDF_NAME, PDF, when), "w", force_zip64=True) as member:
            writer = _HashingWriter(member)
            cat = PdfConcatenator(writer)
            doc_pages: list[list[int]] = []
            for doc, comps in zip(docs, components, strict=True):
                ids, main_pages = _add_document(cat, doc, comps, unreadable)
                doc_pages.append(ids)
                if not doc.fields.get("PageAmount") and main_pages:
                    doc.fields["PageAmount"] = main_pages
            rows, first, outline = [], 1, []
            for index, (doc, ids) in enumerate(zip(docs, doc_pages, strict=True), 1):
                count = len(ids)
                rows.append(
                    {
                        "ordinal": index,
                        "notation": _notation(doc.fields) or None,
                        "issued_date": doc.fields.get("IssuedDate"),
                        "subject": _subject(doc.fields) or None,
                        "author": doc.fields.get("OrganName") or None,
                        "pages": _page_range(first, count) or None,
                        "note": doc.fields.get("Description") or None,
                    }
                )
                if ids:
                    label = f"{index}. {_notation(doc.fields)} {_subject(doc.fields)}".strip()
                    outline.append((label, ids[0]))
                first += count
            document_pages = first - 1
            values = _dossier_values(dossier, docs, document_pages)
            cover_ids = cat.add_pdf(
                io.BytesIO(
                    page_render.cover_pdf(
                        agency_name=agency_name,
                        title=values.get("Title", ""),
                        file_code=values.get("FileCode", ""),
                        notation=values.get("FileNotation", ""),
                        start=values.get("StartDate"),
                        end=values.get("EndDate"),
                        doc_total=values["DocTotal"],
                        page_total=values["PageTotal"],
                        retention=values.get("Maintenance", ""),
                        rights=values.get("Rights", ""),
                        printed_at=when,
                    )
                )
            )
            toc_ids = cat.add_pdf(
                io.BytesIO(
                    page_render.toc_pdf(
                        rows,
                        agency_name=agency_name,
                        start=values.get("StartDate"),
                        end=values.get("EndDate"),
                        printed_at=when,
                    )
                )
            )
            front = cover_ids + toc_ids
            labels = [(0, "r", 1)] + ([(len(front), "D", 1)] if document_pages else [])
            cat.finish(
                front + [i for ids in doc_pages for i in ids],
                outline=outline,
                page_labels=labels,
                title=values.get("Title", ""),
                author=agency_name,
            )
        checksums[PDF_NAME] = writer.sha.hexdigest()
        rendition = Component(PDF_NAME, PDF_NAME, "rendition", PDF, writer.size, checksums[PDF_NAME])

        # 3. the metadata
        with zf.open(_zinfo(XML_NAME, "application/xml", when), "w", force_zip64=True) as member:
            writer = _HashingWriter(member)
            xml = MetadataWriter(writer)
            xml.dossier(values, extension or {}, len(docs))
            for doc, comps in zip(docs, components, strict=True):
                xml.document(doc.fields, doc.extension, comps)
            xml.close(rendition)
        checksums[XML_NAME] = writer.sha.hexdigest()

        # 4. the manifest
        manifest = "".join(f"{digest}  {path}\n" for path, digest in sorted(checksums.items()))
        zf.writestr(_zinfo(MANIFEST_NAME, "text/plain", when), manifest.encode("utf-8"))
    return PackageSummary(
        len(docs), sum(len(c) for c in components), cat.page_count, document_pages, checksums, unreadable
    )


def _add_document(
    cat: PdfConcatenator, doc: ExportDocument, comps: list[Component], unreadable: list[str]
) -> tuple[list[int], int]:
    """Pages of the main file, then of every PDF attachment; a stand-in page when unreadable.

    Returns the new page ids and the number of pages of the main PDF (0 if none was read).
    """
    ids: list[int] = []
    main_pages = 0
    heading = (
        f"{_notation(doc.fields)} {_subject(doc.fields)}".strip() or f"Văn bản {doc.fields.get('DocOrdinal')}"
    )
    for f, comp in zip(doc.files, comps, strict=True):
        is_pdf = comp.mime == PDF or comp.name.lower().endswith(".pdf")
        if not is_pdf:
            if comp.role == "main":
                ids += cat.add_pdf(
                    io.BytesIO(
                        page_render.stand_in_pdf(
                            heading=heading,
                            reason="Tệp gốc không ở định dạng PDF; xem tệp gốc trong gói.",
                            path=comp.path,
                        )
                    )
                )
            continue
        try:
            with f.open() as src:
                seekable = src if src.seekable() else io.BytesIO(src.read())
                new = cat.add_pdf(seekable)
        except PdfSourceError as exc:
            unreadable.append(comp.path)
            new = cat.add_pdf(
                io.BytesIO(
                    page_render.stand_in_pdf(
                        heading=heading,
                        reason=f"Không đọc được tệp PDF ({exc}); xem tệp gốc trong gói.",
                        path=comp.path,
                    )
                )
            )
        else:
            if comp.role == "main":
                main_pages = len(new)
        ids += new
    return ids, main_pages


def _dossier_values(dossier: dict, docs: list[ExportDocument], document_pages: int) -> dict:
    values = dict(dossier)
    dates = [d.fields["IssuedDate"] for d in docs if isinstance(d.fields.get("IssuedDate"), dt.date)]
    dates = [d.date() if isinstance(d, dt.datetime) else d for d in dates]
    if not values.get("DocTotal"):
        values["DocTotal"] = len(docs)
    if not values.get("PageTotal"):
        values["PageTotal"] = sum(d.fields.get("PageAmount") or 0 for d in docs) or document_pages
    if not values.get("StartDate") and dates:
        values["StartDate"] = min(dates)
    if not values.get("EndDate") and dates:
        values["EndDate"] = max(dates)
    return values


# -- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """Caps applied to an untrusted package (zip-bomb and resource limits)."""

    max_members: int = 20000
    max_member: int = 512 * 1024 * 1024
    max_total: int = 8 * 1024 * 1024 * 1024
    max_ratio: int = 200
    ratio_from: int = 1024 * 1024  # the ratio is checked for members larger than this
    max_metadata: int = 64 * 1024 * 1024
    max_manifest: int = 16 * 1024 * 1024


_MANIFEST_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


def _unsafe(message, **mapping):
    return UnsafePackageError(reason=reason(message, **mapping))


def _damaged(message, **mapping):
    return ChecksumError(reason=reason(message, **mapping))


def _too_large(name: str, cap: int):
    return PackageTooLargeError(
        reason=reason(
            _("archive_reason_member_size", default='"${name}" is larger than ${max} bytes.'),
            name=name[:120],
            max=cap,
        )
    )


def _mismatch(path: str):
    return _damaged(
        _("archive_reason_checksum", default="${path} does not match its SHA-256."), path=path[:120]
    )


def _check_path(name: str) -> None:
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or name.startswith("/")
        or re.match(r"^[A-Za-z]:", name)
        or any(part in ("", ".", "..") for part in name.split("/"))
    ):
        raise _unsafe(
            _("archive_reason_bad_path", default='the member name "${name}" is not allowed.'), name=name[:120]
        )


class DossierPackage:
    """A validated package: :attr:`meta` (:class:`~.metadata.PackageMeta`) and its files."""

    def __init__(
        self, zf: zipfile.ZipFile, meta: PackageMeta, checksums: dict[str, str], limits: Limits, owned=None
    ):
        self._zf = zf
        self.meta = meta
        self.checksums = checksums
        self._limits = limits
        self._owned = owned

    def open(self, path: str) -> BinaryIO:
        """A stream of the member *path* (one of :attr:`checksums`)."""
        if path not in self.checksums:
            raise KeyError(path)
        return self._zf.open(path)

    def read(self, path: str) -> bytes:
        """The bytes of *path*, checked again against the manifest."""
        with self.open(path) as fh:
            data = fh.read(self._limits.max_member + 1)
        if hashlib.sha256(data).hexdigest() != self.checksums[path]:
            raise _mismatch(path)
        return data

    def close(self) -> None:
        self._zf.close()
        if self._owned is not None:
            self._owned.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def read_package(source, *, limits: Limits = Limits()) -> DossierPackage:
    """Validate the package in *source* (a path, bytes or a seekable binary stream).

    Returns a :class:`DossierPackage` (close it, or use it as a context
    manager); raises a :class:`~.errors.PackageError` subclass otherwise.
    """
    owned = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        source = io.BytesIO(bytes(source))
    elif hasattr(source, "read") and not (hasattr(source, "seekable") and source.seekable()):
        owned = tempfile.TemporaryFile()
        shutil.copyfileobj(source, owned, CHUNK)
        owned.seek(0)
        source = owned
    try:
        zf = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        if owned is not None:
            owned.close()
        raise PackageError(
            reason=reason(_("archive_reason_not_zip", default="it is not a ZIP file."))
        ) from None
    try:
        checksums = _validate(zf, limits)
        meta = read_metadata(
            _read_member(zf, zf.getinfo(XML_NAME), limits.max_metadata, checksums[XML_NAME]),
            max_size=limits.max_metadata,
        )
        _check_metadata(meta, zf, checksums)
    except BaseException:
        zf.close()
        if owned is not None:
            owned.close()
        raise
    return DossierPackage(zf, meta, checksums, limits, owned)


def _validate(zf: zipfile.ZipFile, limits: Limits) -> dict[str, str]:
    try:
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageError(
            reason=reason(_("archive_reason_not_zip", default="it is not a ZIP file."))
        ) from None
    if len(infos) > limits.max_members:
        raise PackageTooLargeError(
            reason=reason(
                _("archive_reason_members", default="more than ${max} files."), max=limits.max_members
            )
        )
    names, total = {}, 0
    for info in infos:
        name = info.filename
        if info.is_dir():
            continue
        _check_path(name)
        folded = unicodedata.normalize("NFC", name).casefold()
        if folded in names:
            raise _unsafe(
                _("archive_reason_duplicate", default='the name "${name}" appears twice.'), name=name[:120]
            )
        names[folded] = info
        if info.flag_bits & 0x1:
            raise _unsafe(_("archive_reason_encrypted", default='"${name}" is encrypted.'), name=name[:120])
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unsafe(
                _("archive_reason_compression", default='"${name}" uses an unsupported compression.'),
                name=name[:120],
            )
        if info.file_size > limits.max_member:
            raise _too_large(name, limits.max_member)
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_from and ratio > limits.max_ratio:
            raise PackageTooLargeError(
                reason=reason(
                    _(
                        "archive_reason_ratio",
                        default='"${name}" is compressed more than ${ratio} times (a zip bomb?).',
                    ),
                    name=name[:120],
                    ratio=limits.max_ratio,
                )
            )
        total += info.file_size
        if total > limits.max_total:
            raise PackageTooLargeError(
                reason=reason(
                    _("archive_reason_total", default="more than ${max} bytes in all."), max=limits.max_total
                )
            )
    for required in (MANIFEST_NAME, XML_NAME):
        if required.casefold() not in names:
            raise PackageError(
                reason=reason(_("archive_reason_missing", default="${name} is missing."), name=required)
            )
    manifest = _read_member(zf, zf.getinfo(MANIFEST_NAME), limits.max_manifest, None)
    try:
        lines = manifest.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        raise _damaged(_("archive_reason_manifest", default="the manifest is not UTF-8 text.")) from None
    checksums: dict[str, str] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        match = _MANIFEST_LINE.match(line)
        if not match:
            raise ChecksumError(
                reason=reason(
                    _(
                        "archive_reason_manifest_line",
                        default='line ${line} of the manifest is not "<sha256>  <path>".',
                    ),
                    line=number,
                )
            )
        digest, path = match.groups()
        _check_path(path)
        if path in checksums:
            raise ChecksumError(
                reason=reason(
                    _("archive_reason_manifest_twice", default="${path} is listed twice in the manifest."),
                    path=path[:120],
                )
            )
        checksums[path] = digest
    members = {i.filename for i in infos if not i.is_dir()} - {MANIFEST_NAME}
    for path in sorted(members - set(checksums)):
        raise ChecksumError(
            reason=reason(
                _("archive_reason_unlisted", default="${path} is not in the manifest."), path=path[:120]
            )
        )
    for path in sorted(set(checksums) - members):
        raise ChecksumError(
            reason=reason(
                _("archive_reason_absent", default="${path} is in the manifest but missing."), path=path[:120]
            )
        )
    for path, digest in checksums.items():
        _hash_member(zf, zf.getinfo(path), limits.max_member, digest)
    return checksums


def _hash_member(zf, info, cap: int, expected: str | None) -> None:
    sha, size = hashlib.sha256(), 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > cap or size > info.file_size:
                    raise _too_large(info.filename, min(cap, info.file_size))
                sha.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise ChecksumError(
            reason=reason(
                _("archive_reason_corrupt", default="${path} cannot be read (${problem})."),
                path=info.filename[:120],
                problem=type(exc).__name__,
            )
        ) from None
    if expected is not None and sha.hexdigest() != expected:
        raise _mismatch(info.filename)


def _read_member(zf, info, cap: int, expected: str | None) -> bytes:
    if info.file_size > cap:
        raise _too_large(info.filename, cap)
    try:
        with zf.open(info) as fh:
            data = fh.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError, NotImplementedError) as exc:
        raise ChecksumError(
            reason=reason(
                _("archive_reason_corrupt", default="${path} cannot be read (${problem})."),
                path=info.filename,
                problem=type(exc).__name__,
            )
        ) from None
    if len(data) > cap:
        raise _too_large(info.filename, cap)
    if expected is not None and hashlib.sha256(data).hexdigest() != expected:
        raise _mismatch(info.filename)
    return data


def _check_metadata(meta: PackageMeta, zf: zipfile.ZipFile, checksums: dict[str, str]) -> None:
    listed = {XML_NAME}
    entries = [c for d in meta.documents for c in d.components]
    if meta.rendition is not None:
        entries.append(meta.rendition)
    for comp in entries:
        _check_path(comp.path)
        if comp.path in listed:
            raise _damaged(
                _("archive_reason_component_twice", default="${path} is listed twice in metadata.xml."),
                path=comp.path[:120],
            )
        listed.add(comp.path)
        digest = checksums.get(comp.path)
        if digest is None:
            raise _damaged(
                _("archive_reason_absent", default="${path} is in the manifest but missing."),
                path=comp.path[:120],
            )
        if digest != comp.sha256 or zf.getinfo(comp.path).file_size != comp.size:
            raise ChecksumError(
                reason=reason(
                    _(
                        "archive_reason_component_mismatch",
                        default="${path}: metadata.xml and the manifest disagree.",
                    ),
                    path=comp.path[:120],
                )
            )
    for path in sorted(set(checksums) - listed):
        raise ChecksumError(
            reason=reason(
                _("archive_reason_stray", default="${path} belongs to no document."),
                path=PurePosixPath(path).as_posix()[:120],
            )
        )
