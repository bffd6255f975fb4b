"""Tolerant edXML reader.

Elements are matched by local name, case-insensitively, whatever their
namespace or prefix and in any order.  ``Business*`` is read as
``Bussiness*``, ``OrganInCharge`` as ``OrganizationInCharge``.  Dates and
timestamps are read in ``yyyy/MM/dd`` and ``dd/MM/yyyy`` forms.  What cannot
be read becomes a warning in ``package.warnings`` instead of an exception;
only unreadable or unsafe XML raises
:class:`~dongthap.qlvb.exchange.edxml.errors.ParseError`.

Content ids are matched with or without ``cid:``/``<>`` and ignoring case.
Attachment bytes are decoded from base64 and never opened: their real type
is exposed by :attr:`Attachment.detected_type`.
"""

from __future__ import annotations

import base64
import binascii

from lxml import etree

from . import problems as P
from .constants import DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_SIZE
from .dates import parse_date, parse_timestamp
from .errors import ParseError
from .ids import is_standard_organ_id
from .model import (
    Attachment,
    Bussiness,
    BussinessDocumentInfo,
    Code,
    DocumentPackage,
    DocumentType,
    MessageHeader,
    Organization,
    OtherInfo,
    PromulgationInfo,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusHeader,
    StatusPackage,
    TraceHeader,
    TraceHeaderList,
)
from .safexml import parse_xml, strip_leading_bytes
from .rules import normalise_content_id

_ALIASES = {
    "organincharge": "organizationincharge",
    "contenttransferencoding": "contenttransferencoded",
}


def _key(tag: object) -> str:
    """Normalised local name of a tag ("" for comments and the like)."""
    if not isinstance(tag, str):
        return ""
    name = tag.rpartition("}")[2].rpartition(":")[2].lower()
    name = name.replace("business", "bussiness")
    return _ALIASES.get(name, name)


class _Node:
    """An element with its children indexed by normalised name."""

    __slots__ = ("el", "kids", "path")

    def __init__(self, el, path: str):
        self.el = el
        self.path = path
        self.kids: dict[str, list] = {}
        if el is not None:
            for child in el:
                self.kids.setdefault(_key(child.tag), []).append(child)

    def _join(self, name: str) -> str:
        return f"{self.path}/{name}" if self.path else name

    def all(self, name: str) -> list[_Node]:
        """Every child called ``name``; paths are indexed ``name[i]``."""
        found = self.kids.get(name.lower(), [])
        return [_Node(e, self._join(f"{name}[{i}]")) for i, e in enumerate(found, 1)]

    def one(self, name: str) -> _Node:
        """The first child called ``name`` (a node with ``el=None`` if absent)."""
        found = self.kids.get(name.lower())
        return _Node(found[0] if found else None, self._join(name))

    def text(self, name: str) -> str:
        found = self.kids.get(name.lower())
        return _text(found[0]) if found else ""

    @property
    def present(self) -> bool:
        return self.el is not None


def _text(el) -> str:
    if el is None:
        return ""
    if len(el):
        return "".join(el.itertext()).strip()
    return (el.text or "").strip()


class _Reader:
    """Turns a parsed tree into model objects, collecting warnings."""

    def __init__(self):
        self.warnings: list[P.Problem] = []

    # -- scalars -----------------------------------------------------------
    def date(self, node: _Node, name: str):
        text = node.text(name)
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.warnings.append(P.warning("invalid-date", node._join(name), text))
            return None

    def timestamp(self, node: _Node, name: str):
        text = node.text(name)
        if not text:
            return None
        try:
            return parse_timestamp(text)
        except ValueError:
            self.warnings.append(P.warning("invalid-date", node._join(name), text))
            return None

    def integer(self, node: _Node, name: str):
        text = node.text(name)
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            self.warnings.append(P.warning("invalid-number", node._join(name), text))
            return None

    def organ_id(self, node: _Node, name: str = "OrganId") -> str:
        value = node.text(name)
        if value and not is_standard_organ_id(value):
            self.warnings.append(P.warning("organ-id-format", node._join(name), value))
        return value

    # -- blocks ------------------------------------------------------------
    def organization(self, node: _Node) -> Organization:
        return Organization(
            organ_id=self.organ_id(node),
            organization_in_charge=node.text("OrganizationInCharge"),
            organ_name=node.text("OrganName"),
            organ_add=node.text("OrganAdd"),
            email=node.text("Email"),
            telephone=node.text("Telephone"),
            fax=node.text("Fax"),
            website=node.text("Website"),
        )

    def response_for(self, node: _Node) -> ResponseFor:
        return ResponseFor(
            organ_id=self.organ_id(node),
            code=node.text("Code"),
            promulgation_date=self.date(node, "PromulgationDate"),
            document_id=node.text("DocumentId"),
        )

    @staticmethod
    def staff_info(node: _Node) -> StaffInfo:
        return StaffInfo(
            department=node.text("Department"),
            staff=node.text("Staff"),
            mobile=node.text("Mobile"),
            email=node.text("Email"),
        )

    def message_header(self, mh: _Node) -> MessageHeader:
        code, prom, dtype = mh.one("Code"), mh.one("PromulgationInfo"), mh.one("DocumentType")
        signer, other = mh.one("SignerInfo"), mh.one("OtherInfo")
        return MessageHeader(
            from_=self.organization(mh.one("From")),
            to=[self.organization(n) for n in mh.all("To")],
            document_id=mh.text("DocumentId"),
            code=Code(code.text("CodeNumber"), code.text("CodeNotation")),
            promulgation_info=PromulgationInfo(prom.text("Place"), self.date(prom, "PromulgationDate")),
            document_type=DocumentType(dtype.text("Type"), dtype.text("TypeDetail"), dtype.text("TypeName")),
            subject=mh.text("Subject"),
            content=mh.text("Content"),
            signer_info=SignerInfo(signer.text("Competence"), signer.text("Position"),
                                   signer.text("FullName")),
            due_date=self.date(mh, "DueDate"),
            other_info=OtherInfo(
                priority=self.integer(other, "Priority"),
                sphere_of_promulgation=other.text("SphereOfPromulgation"),
                typer_notation=other.text("TyperNotation"),
                promulgation_amount=self.integer(other, "PromulgationAmount"),
                page_amount=self.integer(other, "PageAmount"),
                appendixes=[_text(n.el) for n in other.one("Appendixes").all("Appendix")],
            ),
            response_for=[self.response_for(n) for n in mh.all("ResponseFor")],
            steering_type=mh.text("SteeringType"),
            to_places=[_text(n.el) for n in mh.one("ToPlaces").all("Place")],
        )

    def bussiness(self, node: _Node) -> Bussiness:
        staff = node.all("StaffInfo")
        info_node = node.one("BussinessDocumentInfo")
        info = None
        if info_node.present:
            info = BussinessDocumentInfo(
                document_info=info_node.text("DocumentInfo"),
                document_receiver=info_node.text("DocumentReceiver"),
                receiver_list=[
                    Receiver(self.organ_id(r), self.integer(r, "ReceiverType"))
                    for r in info_node.one("ReceiverList").all("Receiver")
                ],
            )
        replacements = [
            ReplacementInfo(
                document_id=r.text("DocumentId"),
                organ_ids=[_text(o.el) for o in r.one("OrganIdList").all("OrganId")],
            )
            for r in node.one("ReplacementInfoList").all("ReplacementInfo")
        ]
        return Bussiness(
            document_id=node.text("DocumentId"),
            bussiness_doc_type=self.integer(node, "BussinessDocType"),
            bussiness_doc_reason=node.text("BussinessDocReason"),
            paper=self.integer(node, "Paper"),
            staff_info=self.staff_info(staff[0]) if staff else None,
            document_info=info,
            replacement_info_list=replacements,
        )

    def trace_header_list(self, header: _Node) -> TraceHeaderList:
        thl = header.one("TraceHeaderList")
        hops = [TraceHeader(self.organ_id(n), self.timestamp(n, "Timestamp"))
                for n in thl.all("TraceHeader")]
        bnode = thl.one("Bussiness")
        if not bnode.present:
            bnode = header.one("Bussiness")
        return TraceHeaderList(hops, self.bussiness(bnode) if bnode.present else None)

    def status_header(self, mh: _Node) -> StatusHeader:
        code = mh.text("StatusCode")
        if code.isdigit() and len(code) == 1:
            code = "0" + code
        responses = mh.all("ResponseFor")
        return StatusHeader(
            from_=self.organization(mh.one("From")),
            response_for=self.response_for(responses[0]) if responses else ResponseFor(),
            staff_info=self.staff_info(mh.one("StaffInfo")),
            status_code=code,
            description=mh.text("Description"),
            timestamp=self.timestamp(mh, "Timestamp"),
        )

    # -- attachments -------------------------------------------------------
    def attachments(self, index: _Index) -> list[Attachment]:
        refs: dict[str, _Node] = {}
        manifest_refs = (el for manifest in index.all("edxmlmanifest")
                         for el in manifest if _key(el.tag) == "reference")
        for i, el in enumerate(manifest_refs, 1):
            node = _Node(el, f"edXMLBody/edXMLManifest/Reference[{i}]")
            cid = node.text("ContentId") or _href(el)
            refs.setdefault(normalise_content_id(cid).lower(), node)
        result, used = [], set()
        for i, el in enumerate(index.all("attachment"), 1):
            node = _Node(el, f"AttachmentEncoded/Attachment[{i}]")
            att = self.attachment(node)
            ref = refs.get(att.content_id.lower())
            if ref is not None:
                used.add(att.content_id.lower())
                att.attachment_name = att.attachment_name or ref.text("AttachmentName")
                att.content_type = att.content_type or ref.text("ContentType")
                att.description = att.description or ref.text("Description")
            elif refs:
                self.warnings.append(P.warning("attachment-unreferenced", node.path,
                                               att.attachment_name or att.content_id))
            if att.type_mismatch:
                self.warnings.append(P.warning("attachment-type-mismatch", node.path,
                                               att.attachment_name))
            result.append(att)
        for i, el in enumerate(index.all("attachmentdata"), 1):
            node = _Node(el, f"edXMLAttachments/AttachmentData[{i}]")
            att = self.attachment_data(node, len(result) + 1)
            ref = refs.get(att.content_id.lower())
            if ref is not None:
                used.add(att.content_id.lower())
                att.attachment_name = att.attachment_name or ref.text("AttachmentName")
                att.content_type = att.content_type or ref.text("ContentType")
                att.description = att.description or ref.text("Description")
            if att.type_mismatch:
                self.warnings.append(P.warning("attachment-type-mismatch", node.path,
                                               att.attachment_name))
            result.append(att)
        for cid, ref in refs.items():
            if cid not in used:
                self.warnings.append(P.warning("attachment-missing", ref.path,
                                               ref.text("AttachmentName") or cid))
        return result

    def attachment(self, node: _Node) -> Attachment:
        encoded = node.text("ContentTransferEncoded")
        data = b""
        if encoded:
            try:
                data = base64.b64decode(encoded.encode("ascii"))
            except (binascii.Error, ValueError):  # incl. non-ASCII text
                data = self._lenient_b64(encoded, node)
        return Attachment(
            content_id=normalise_content_id(node.text("ContentId")),
            attachment_name=node.text("AttachmentName"),
            description=node.text("Description"),
            content_type=node.text("ContentType"),
            data=data,
        )

    def attachment_data(self, node: _Node, position: int) -> Attachment:
        """An attachment of the ``edXMLAttachments/AttachmentData`` form.

        The file is described by child elements or by attributes of
        ``AttachmentData`` (``ContentId`` optional: without it the file is
        matched to no manifest entry and gets a positional id); the base64
        bytes are in ``ContentTransferEncoded``, ``Data``, ``Content`` or
        ``Value``, or are the element's own text.
        """
        attrs = {k.rpartition("}")[2].lower(): (v or "").strip() for k, v in node.el.attrib.items()}

        def field(name):
            return node.text(name) or attrs.get(name.lower(), "")

        encoded = ""
        for name in ("ContentTransferEncoded", "Data", "Content", "Value"):
            encoded = node.text(name)
            if encoded:
                break
        if not encoded and not len(node.el):
            encoded = (node.el.text or "").strip()
        data = b""
        if encoded:
            try:
                data = base64.b64decode(encoded.encode("ascii"))
            except (binascii.Error, ValueError):
                data = self._lenient_b64(encoded, node)
        return Attachment(
            content_id=normalise_content_id(field("ContentId")) or f"attachment-{position}",
            attachment_name=field("AttachmentName") or field("FileName") or field("Name"),
            description=field("Description"),
            content_type=field("ContentType"),
            data=data,
        )

    def _lenient_b64(self, encoded: str, node: _Node) -> bytes:
        compact = "".join(encoded.split())
        try:
            return base64.b64decode(compact + "=" * (-len(compact) % 4))
        except (binascii.Error, ValueError):
            self.warnings.append(P.warning("attachment-decode", node.path,
                                           node.text("AttachmentName")))
            return b""


class _Index:
    """Elements of a document grouped by normalised name (one pass)."""

    WANTED = frozenset({"messageheader", "edxmlmanifest", "attachment", "attachmentdata"})

    def __init__(self, root):
        self.found: dict[str, list] = {}
        for el in root.iter(etree.Element):
            key = _key(el.tag)
            if key in self.WANTED:
                self.found.setdefault(key, []).append(el)

    def all(self, key: str) -> list:
        return self.found.get(key, [])

    def first(self, key: str):
        found = self.found.get(key)
        return found[0] if found else None


def _href(el) -> str:
    for name, value in el.attrib.items():
        if name.rpartition("}")[2].lower() == "href":
            return value
    return ""


def _signature(header) -> bytes | None:
    if header is None:
        return None
    for el in header.iter(etree.Element):
        if _key(el.tag) in ("signature", "digitalsignature") and len(el):
            return etree.tostring(el, with_tail=False)
    return None


def parse(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    recover: bool = False,
) -> DocumentPackage | StatusPackage:
    """Read an edXML package (document or status) from untrusted bytes.

    ``max_size``/``max_depth``/``max_elements`` bound the work done.  With
    ``recover=True`` a package that is not well-formed is read as far as
    possible and an ``xml-recovered`` warning is added; by default it raises
    :class:`ParseError`.  Unsafe XML (DTD, entities) always raises
    :class:`~dongthap.qlvb.exchange.edxml.errors.UnsafeXMLError`.
    """
    repair = ""
    if recover and isinstance(data, (bytes, bytearray, memoryview)) and len(data) <= max_size:
        data, repair = strip_leading_bytes(bytes(data))
    root, xml_errors = parse_xml(data, max_size=max_size, max_depth=max_depth,
                                 max_elements=max_elements, recover=recover)
    index = _Index(root)
    mh_el = index.first("messageheader")
    if mh_el is None:
        raise ParseError("no MessageHeader: not an edXML package")
    reader = _Reader()
    if repair:
        reader.warnings.append(P.warning("xml-repaired", "/", repair))
    if xml_errors and all("Namespace prefix" in e for e in xml_errors):
        # only undeclared prefixes (e.g. xlink:href): nothing was lost, the names were read as written
        reader.warnings.append(P.warning("xml-repaired", "/", "; ".join(xml_errors[:3])))
    elif xml_errors:
        reader.warnings.append(P.make("xml-recovered", "/", "; ".join(xml_errors[:3])))
    mh = _Node(mh_el, "MessageHeader")
    header_el = mh_el.getparent()
    header = _Node(header_el, "")
    signature = _signature(header_el if header_el is not None else root)
    if "statuscode" in mh.kids:
        pkg = StatusPackage(reader.status_header(mh), signature_xml=signature)
    else:
        message_header = reader.message_header(mh)
        pkg = DocumentPackage(
            message_header=message_header,
            trace_header_list=reader.trace_header_list(header),
            attachments=reader.attachments(index),
            signature_xml=signature,
        )
    pkg.warnings = reader.warnings
    return pkg
