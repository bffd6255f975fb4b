"""The metadata XML of a dossier package: Thông tư 02/2019/TT-BNV fields, written and read back.

Thông tư 02/2019/TT-BNV (tiêu chuẩn dữ liệu thông tin đầu vào của tài liệu lưu
trữ điện tử) lists the fields of an archival dossier and of an archival
document with English abbreviations, types and lengths, but prescribes no XML
schema.  Our XML uses those abbreviations as element names, in the order of
the lists below (field names as implemented publicly: ``docs/domain.md`` §2),
inside our own namespace :data:`NS`::

    <ArchivePackage xmlns="urn:dongthap:qlvb:archive-package:1" version="1">
      <Dossier> FileCode, Identifier, OrganId, FileCatalog, FileNotation, Title, … </Dossier>
      <DossierExtension> what TT 02 has no field for (state, retention code …) </DossierExtension>
      <Documents count="N">
        <Document> DocCode, Identifier, OrganId, FileCatalog, FileNotation, DocOrdinal, TypeName, …
          <Extension> Uid, Kind, ArrivalDate … </Extension>
          <Components><Component path="van-ban/0001/x.pdf" name="x.pdf" role="main"
                      mime="application/pdf" size="1234" sha256="…"/></Components>
        </Document> …
      </Documents>
      <Rendition path="ho-so.pdf" size="…" sha256="…" pages="…"/>
    </ArchivePackage>

Dates are ISO ``yyyy-mm-dd``; numbers are decimal; empty fields are left out.
Writing is incremental (:class:`MetadataWriter`, lxml ``xmlfile``) so a large
dossier is never built as a tree in memory.  Reading goes through the hardened
parser of the exchange package (no DTD, no entity expansion, size, depth and
element-count limits) and checks every value against its type and length.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from dongthap.qlvb.i18n import _

from .errors import MetadataError, UnsafePackageError, reason

NS = "urn:dongthap:qlvb:archive-package:1"
VERSION = "1"
STR, INT, DATE = "string", "number", "date"


@dataclass(frozen=True)
class Field:
    """One TT 02/2019 field: element name, Vietnamese name, type, maximum length."""

    tag: str
    label: str
    type: str = STR
    length: int = 0


#: Dữ liệu đặc tả hồ sơ (TT 02/2019, field names per docs/domain.md)
DOSSIER_FIELDS: tuple[Field, ...] = (
    Field("FileCode", "Mã hồ sơ", STR, 50),
    Field("Identifier", "Mã cơ quan lưu trữ", STR, 13),
    Field("OrganId", "Mã phông (mã cơ quan)", STR, 13),
    Field("FileCatalog", "Mục lục số hoặc năm hình thành hồ sơ", INT, 4),
    Field("FileNotation", "Số và ký hiệu hồ sơ", STR, 20),
    Field("Title", "Tiêu đề hồ sơ", STR, 1000),
    Field("Maintenance", "Thời hạn bảo quản", STR, 30),
    Field("Rights", "Chế độ sử dụng", STR, 30),
    Field("Creator", "Người lập hồ sơ", STR, 100),
    Field("Language", "Ngôn ngữ", STR, 100),
    Field("StartDate", "Thời gian bắt đầu", DATE),
    Field("EndDate", "Thời gian kết thúc", DATE),
    Field("DocTotal", "Tổng số văn bản trong hồ sơ", INT, 6),
    Field("PageTotal", "Tổng số trang của hồ sơ", INT, 7),
    Field("Description", "Chú giải", STR, 2000),
    Field("InforSign", "Ký hiệu thông tin", STR, 30),
    Field("Keyword", "Từ khóa", STR, 100),
    Field("SheetNumber", "Số lượng tờ", INT, 7),
    Field("PageNumber", "Số lượng trang", INT, 7),
    Field("Format", "Tình trạng vật lý", STR, 50),
)

#: Dữ liệu đặc tả văn bản (TT 02/2019)
DOCUMENT_FIELDS: tuple[Field, ...] = (
    Field("DocCode", "Mã định danh văn bản", STR, 60),
    Field("Identifier", "Mã cơ quan lưu trữ", STR, 13),
    Field("OrganId", "Mã phông (mã cơ quan)", STR, 13),
    Field("FileCatalog", "Mục lục số hoặc năm hình thành hồ sơ", INT, 4),
    Field("FileNotation", "Số và ký hiệu hồ sơ", STR, 20),
    Field("DocOrdinal", "Số thứ tự văn bản trong hồ sơ", INT, 6),
    Field("TypeName", "Tên loại văn bản", STR, 100),
    Field("CodeNumber", "Số của văn bản", STR, 11),
    Field("CodeNotation", "Ký hiệu của văn bản", STR, 30),
    Field("IssuedDate", "Ngày, tháng, năm văn bản", DATE),
    Field("OrganName", "Tên cơ quan, tổ chức ban hành văn bản", STR, 200),
    Field("Subject", "Trích yếu nội dung", STR, 500),
    Field("Language", "Ngôn ngữ", STR, 100),
    Field("PageAmount", "Số lượng trang của văn bản", INT, 6),
    Field("Description", "Ghi chú", STR, 500),
    Field("InforSign", "Ký hiệu thông tin", STR, 30),
    Field("Keyword", "Từ khóa", STR, 100),
    Field("Mode", "Chế độ sử dụng", STR, 20),
    Field("ConfidenceLevel", "Mức độ tin cậy", STR, 30),
    Field("Autograph", "Bút tích", STR, 2000),
    Field("Format", "Tình trạng vật lý", STR, 50),
)

#: the fields a package must carry (the rest may be empty)
REQUIRED_DOSSIER = ("FileCode", "Title", "Maintenance")
REQUIRED_DOCUMENT = ("DocOrdinal",)
EXTENSION_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,39}$")
MAX_EXTENSION_VALUE = 4000
ROLES = ("main", "attachment")
SHA256 = re.compile(r"^[0-9a-f]{64}$")

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(value: str) -> str:
    """NFC text without control characters (which XML 1.0 cannot carry)."""
    return unicodedata.normalize("NFC", _CONTROL.sub("", value))


def to_text(f: Field, value) -> str | None:
    """The XML text of *value* for field *f* (None when empty); ValueError when of the wrong type."""
    if value is None or value == "":
        return None
    if f.type == DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            raise ValueError(f"{f.tag}: a date is expected")
        return value.isoformat()
    if f.type == INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{f.tag}: a whole number is expected")
        return str(value)
    return clean(str(value))


@dataclass
class Component:
    """One file of a document in the package."""

    path: str
    name: str
    role: str
    mime: str
    size: int
    sha256: str


@dataclass
class DocumentMeta:
    """A document as read from the XML: TT 02 fields, extension, its files."""

    fields: dict
    extension: dict = field(default_factory=dict)
    components: list[Component] = field(default_factory=list)


@dataclass
class PackageMeta:
    """The whole metadata XML, parsed."""

    dossier: dict
    extension: dict
    documents: list[DocumentMeta]
    rendition: Component | None = None


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


class MetadataWriter:
    """Write the XML incrementally: ``dossier()``, then ``document()`` per document, then ``close()``."""

    def __init__(self, out):
        self._cm = etree.xmlfile(out, encoding="utf-8")
        self._xf = self._cm.__enter__()
        self._xf.write_declaration()
        self._root = self._xf.element(_q("ArchivePackage"), {"version": VERSION}, nsmap={None: NS})
        self._root.__enter__()
        self._docs = None

    def _text(self, tag: str, text: str) -> None:
        with self._xf.element(_q(tag)):
            self._xf.write(text)

    def _fields(self, fields: tuple[Field, ...], values: dict) -> None:
        for f in fields:
            text = to_text(f, values.get(f.tag))
            if text is not None:
                self._text(f.tag, text)

    def _extension(self, tag: str, values: dict) -> None:
        with self._xf.element(_q(tag)):
            for key in sorted(values):
                value = values[key]
                if value is None or value == "" or not EXTENSION_KEY.match(key):
                    continue
                self._text(key, value.isoformat() if isinstance(value, dt.date) else clean(str(value)))

    def dossier(self, values: dict, extension: dict, count: int) -> None:
        with self._xf.element(_q("Dossier")):
            self._fields(DOSSIER_FIELDS, values)
        self._extension("DossierExtension", extension)
        self._docs = self._xf.element(_q("Documents"), {"count": str(count)})
        self._docs.__enter__()

    def document(self, values: dict, extension: dict, components: list[Component]) -> None:
        with self._xf.element(_q("Document")):
            self._fields(DOCUMENT_FIELDS, values)
            self._extension("Extension", extension)
            with self._xf.element(_q("Components")):
                for c in components:
                    with self._xf.element(_q("Component"), _component_attrs(c)):
                        pass

    def close(self, rendition: Component | None) -> None:
        self._docs.__exit__(None, None, None)
        if rendition is not None:
            attrs = _component_attrs(rendition)
            attrs.pop("role")
            with self._xf.element(_q("Rendition"), attrs):
                pass
        self._root.__exit__(None, None, None)
        self._cm.__exit__(None, None, None)


def _component_attrs(c: Component) -> dict:
    return {
        "path": c.path,
        "name": clean(c.name),
        "role": c.role,
        "mime": c.mime,
        "size": str(c.size),
        "sha256": c.sha256,
    }


# -- reading ----------------------------------------------------------------


def _bad(message, **mapping) -> MetadataError:
    return MetadataError(reason=reason(message, **mapping))


def _required(where: str, tag: str) -> MetadataError:
    return _bad(
        _("archive_reason_required", default="${where}: ${field} is required."), where=where, field=tag
    )


def _parse_value(f: Field, text: str, where: str):
    text = text or ""
    if f.type != STR:
        text = text.strip()
    if f.type == DATE:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise _bad(
                _("archive_reason_bad_date", default="${where}: ${field} is not a date (yyyy-mm-dd)."),
                where=where,
                field=f.tag,
            ) from None
    if f.type == INT:
        if not re.fullmatch(r"\d{1,%d}" % f.length, text):
            raise _bad(
                _("archive_reason_bad_number", default="${where}: ${field} is not a whole number."),
                where=where,
                field=f.tag,
            )
        return int(text)
    if f.length and len(text) > f.length:
        raise _bad(
            _("archive_reason_too_long", default="${where}: ${field} is longer than ${length} characters."),
            where=where,
            field=f.tag,
            length=f.length,
        )
    return clean(text)


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _read_fields(el, fields: tuple[Field, ...], where: str) -> dict:
    known = {f.tag: f for f in fields}
    values = {}
    for child in el:
        name = _local(child)
        f = known.get(name)
        if f is None:
            continue  # unknown fields of a newer version are ignored
        if name in values:
            raise _bad(
                _("archive_reason_repeated", default="${where}: ${field} appears twice."),
                where=where,
                field=name,
            )
        if len(child):
            raise _bad(
                _("archive_reason_nested", default="${where}: ${field} must hold text only."),
                where=where,
                field=name,
            )
        values[name] = _parse_value(f, child.text, where)
    return values


def _read_extension(el, where: str) -> dict:
    if el is None:
        return {}
    values = {}
    for child in el:
        name = _local(child)
        if not EXTENSION_KEY.match(name) or len(child):
            raise _bad(
                _("archive_reason_bad_extension", default="${where}: invalid extension field ${field}."),
                where=where,
                field=name[:40],
            )
        text = clean((child.text or "").strip())
        if len(text) > MAX_EXTENSION_VALUE:
            raise _bad(
                _(
                    "archive_reason_too_long",
                    default="${where}: ${field} is longer than ${length} characters.",
                ),
                where=where,
                field=name,
                length=MAX_EXTENSION_VALUE,
            )
        values[name] = text
    return values


def _read_component(el, where: str, role_required: bool = True) -> Component:
    attrs = dict(el.attrib)
    size = attrs.get("size", "")
    sha = attrs.get("sha256", "").lower()
    role = attrs.get("role", "rendition" if not role_required else "")
    if (
        not re.fullmatch(r"\d{1,15}", size)
        or not SHA256.match(sha)
        or not attrs.get("path")
        or (role_required and role not in ROLES)
    ):
        raise _bad(
            _(
                "archive_reason_bad_component",
                default="${where}: a file entry lacks path, size, role or SHA-256.",
            ),
            where=where,
        )
    return Component(
        path=attrs["path"],
        name=clean(attrs.get("name") or attrs["path"].rsplit("/", 1)[-1]),
        role=role,
        mime=attrs.get("mime") or "application/octet-stream",
        size=int(size),
        sha256=sha,
    )


def read_metadata(data: bytes, *, max_size: int = 64 * 1024 * 1024) -> PackageMeta:
    """Parse the metadata XML (untrusted) into a :class:`PackageMeta`; :class:`MetadataError` if invalid."""
    from dongthap.qlvb.exchange.edxml import errors as xml_errors
    from dongthap.qlvb.exchange.edxml.safexml import parse_xml

    try:
        root, _errors = parse_xml(data, max_size=max_size, max_depth=20, max_elements=2_000_000)
    except xml_errors.UnsafeXMLError as exc:
        raise UnsafePackageError(
            reason=reason(
                _("archive_reason_unsafe_xml", default="metadata.xml: ${problem}"), problem=str(exc)
            )
        ) from None
    except xml_errors.EdXMLError as exc:
        raise _bad(
            _("archive_reason_xml", default="metadata.xml is not readable XML (${problem})."),
            problem=str(exc)[:200],
        ) from None
    if root.tag != _q("ArchivePackage"):
        raise _bad(_("archive_reason_root", default="metadata.xml is not the metadata of a dossier package."))
    if root.get("version") != VERSION:
        raise _bad(
            _("archive_reason_version", default="unsupported package version ${version}."),
            version=(root.get("version") or "?")[:10],
        )
    dossier_el = root.find(_q("Dossier"))
    docs_el = root.find(_q("Documents"))
    if dossier_el is None or docs_el is None:
        raise _bad(
            _("archive_reason_no_dossier", default="metadata.xml has no Dossier or no Documents element.")
        )
    dossier = _read_fields(dossier_el, DOSSIER_FIELDS, "Dossier")
    for tag in REQUIRED_DOSSIER:
        if not dossier.get(tag):
            raise _required("Dossier", tag)
    documents = []
    ordinals = set()
    for n, doc_el in enumerate(docs_el.iterfind(_q("Document")), 1):
        where = f"Document {n}"
        fields = _read_fields(doc_el, DOCUMENT_FIELDS, where)
        for tag in REQUIRED_DOCUMENT:
            if fields.get(tag) in (None, ""):
                raise _required(where, tag)
        if fields["DocOrdinal"] in ordinals:
            raise _bad(
                _("archive_reason_duplicate_ordinal", default="${where}: ordinal ${ordinal} is used twice."),
                where=where,
                ordinal=fields["DocOrdinal"],
            )
        ordinals.add(fields["DocOrdinal"])
        comps_el = doc_el.find(_q("Components"))
        components = [
            _read_component(c, where)
            for c in (comps_el.iterfind(_q("Component")) if comps_el is not None else ())
        ]
        extension = _read_extension(doc_el.find(_q("Extension")), where)
        documents.append(DocumentMeta(fields, extension, components))
    declared = docs_el.get("count")
    if declared is not None and declared != str(len(documents)):
        raise _bad(
            _(
                "archive_reason_count",
                default="metadata.xml announces ${declared} documents but holds ${found}.",
            ),
            declared=declared[:10],
            found=len(documents),
        )
    rend_el = root.find(_q("Rendition"))
    rendition = _read_component(rend_el, "Rendition", role_required=False) if rend_el is not None else None
    return PackageMeta(
        dossier, _read_extension(root.find(_q("DossierExtension")), "Dossier"), documents, rendition
    )
