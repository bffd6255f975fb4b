"""The text of .docx, .odt and .xlsx files, read for the full-text job.

These formats are zip packages of XML parts. We open only the parts that hold the text
(never the whole package) and read them with limits, as untrusted input:

* the package and every part we read are limited in size (:data:`MAX_PART`, and at most
  :data:`MAX_TOTAL` uncompressed in all) and in compression ratio (:data:`MAX_RATIO`) —
  a zip bomb is refused before it is inflated (read by chunks, stopped at the limit);
* a part with a DOCTYPE is refused; lxml parses with entity substitution, DTD loading and
  network access off (no billion laughs, no XXE).

Errors are :class:`OfficeError` (a ``ValueError``): the worker marks the document "failed".
"""

from lxml import etree

import io
import re
import zipfile

MAX_PART = 50 * 1024 * 1024
MAX_TOTAL = 100 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 5000
MAX_SHEETS = 200

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT_NS = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {DOCX: "docx", ODT: "odt", XLSX: "xlsx", ".docx": "docx", ".odt": "odt", ".xlsx": "xlsx"}


class OfficeError(ValueError):
    pass


def kind_of(content_type, filename):
    """"docx", "odt", "xlsx" or None, from the MIME type or else the file name's ending."""
    kind = KINDS.get((content_type or "").split(";")[0].strip().lower())
    if kind is None and filename and "." in filename:
        kind = KINDS.get("." + filename.rsplit(".", 1)[1].lower())
    return kind


class _Package:
    def __init__(self, data):
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(bytes(data)))
        except (zipfile.BadZipFile, ValueError) as problem:
            raise OfficeError(f"not a zip package: {problem}") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise OfficeError(f"{len(infos)} parts in the package")
        self.infos = {i.filename: i for i in infos}
        self.read_total = 0

    def names(self):
        return list(self.infos)

    def read(self, name):
        info = self.infos.get(name)
        if info is None:
            return None
        if info.file_size > MAX_PART or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
            raise OfficeError(f"part {name} too large or too compressed")
        out = bytearray()
        with self.zip.open(info) as handle:  # the declared size may lie: count what comes out
            while chunk := handle.read(65536):
                out += chunk
                self.read_total += len(chunk)
                if len(out) > MAX_PART or self.read_total > MAX_TOTAL:
                    raise OfficeError("package inflates beyond the limit")
        return bytes(out)

    def xml(self, name):
        data = self.read(name)
        if data is None:
            return None
        if re.search(rb"<!(DOCTYPE|ENTITY)", data[:4096]):
            raise OfficeError(f"DOCTYPE in part {name}")
        parser = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True,
                                 dtd_validation=False, huge_tree=False, remove_comments=True,
                                 remove_pis=True)
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError as problem:
            raise OfficeError(f"part {name}: {problem}") from None


def _docx(package):
    parts = ["word/document.xml"] + sorted(
        n for n in package.names() if re.fullmatch(r"word/(header|footer|footnotes|endnotes)\d*\.xml", n))
    lines = []
    for name in parts:
        root = package.xml(name)
        if root is None:
            continue
        for para in root.iter(f"{{{W}}}p"):
            words = []
            for node in para.iter(f"{{{W}}}t", f"{{{W}}}tab", f"{{{W}}}br"):
                words.append(node.text or "" if node.tag == f"{{{W}}}t" else " ")
            line = "".join(words).strip()
            if line:
                lines.append(line)
    return "\n".join(lines)


_ODT_SPACE = {f"{{{TEXT_NS}}}s", f"{{{TEXT_NS}}}tab", f"{{{TEXT_NS}}}line-break"}
_ODT_PARA = (f"{{{TEXT_NS}}}p", f"{{{TEXT_NS}}}h")


def _odt_text(node):
    parts = [node.text or ""]
    for child in node:
        parts.append(" " if child.tag in _ODT_SPACE else _odt_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _odt(package):
    root = package.xml("content.xml")
    if root is None:
        raise OfficeError("no content.xml")
    lines = []
    for node in root.iter(*_ODT_PARA):
        if any(a.tag in _ODT_PARA for a in node.iterancestors()):
            continue  # read with its paragraph
        line = " ".join(_odt_text(node).split())
        if line:
            lines.append(line)
    return "\n".join(lines)


def _xlsx(package):
    lines = []
    shared = package.xml("xl/sharedStrings.xml")
    if shared is not None:
        for item in shared.iter(f"{{{S}}}si"):
            line = "".join(t.text or "" for t in item.iter(f"{{{S}}}t")).strip()
            if line:
                lines.append(line)
    sheets = sorted(n for n in package.names() if re.fullmatch(r"xl/worksheets/sheet\d+\.xml", n))
    for name in sheets[:MAX_SHEETS]:
        root = package.xml(name)
        for cell in root.iter(f"{{{S}}}c"):
            kind = cell.get("t")
            if kind == "inlineStr":
                line = "".join(t.text or "" for t in cell.iter(f"{{{S}}}t")).strip()
            elif kind in (None, "n", "str"):
                value = cell.find(f"{{{S}}}v")
                line = (value.text or "").strip() if value is not None else ""
            else:
                continue
            if line:
                lines.append(line)
    return "\n".join(lines)


READERS = {"docx": _docx, "odt": _odt, "xlsx": _xlsx}


def office_text(data, kind):
    """The text of an office file (bytes) of ``kind`` ("docx", "odt" or "xlsx")."""
    return READERS[kind](_Package(data))
