"""Strict edXML writer.

The output follows QCVN 102:2016 as deployed::

    <edXML xmlns="NS">
      <edXML:edXMLEnvelope xmlns:edXML="NS">
        <edXML:edXMLHeader> MessageHeader, TraceHeaderList </edXML:edXMLHeader>
        <edXML:edXMLBody><edXML:edXMLManifest version="1.0"> Reference*
      </edXML:edXMLEnvelope>
      <AttachmentEncoded> Attachment* (base64) </AttachmentEncoded>
    </edXML>

Every element inside the envelope carries the ``edXML:`` prefix and the
MessageHeader children come in the standard order; standard elements
without a value are written empty.  The packages are validated first and
:class:`~dongthap.qlvb.exchange.edxml.errors.InvalidPackageError` lists every
blocking problem.

We do not sign: ``signature_xml`` is not written, because a signature covers
the exact bytes of its own package and cannot be carried to a rebuilt one.
"""

from __future__ import annotations

import base64
import datetime
import re

from .constants import NS, XLINK_NS
from .dates import format_date, format_timestamp
from .errors import InvalidPackageError
from .model import (
    Bussiness,
    DocumentPackage,
    Organization,
    ResponseFor,
    StaffInfo,
    StatusPackage,
)
from .rules import errors, normalise_content_id, validate

_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _text(value: object) -> str:
    """Escape a value for XML text or a double-quoted attribute."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return _INVALID_XML_CHARS.sub("", text).translate(_ESCAPES)


class _Writer:
    """Accumulates ``edXML:``-prefixed elements."""

    def __init__(self):
        self.parts: list[str] = []

    def open(self, name: str, attrs: str = "") -> None:
        self.parts.append(f"<edXML:{name}{attrs}>")

    def close(self, name: str) -> None:
        self.parts.append(f"</edXML:{name}>")

    def leaf(self, name: str, value: object = "") -> None:
        self.parts.append(f"<edXML:{name}>{_text(value)}</edXML:{name}>")

    def organization(self, name: str, org: Organization) -> None:
        self.open(name)
        self.leaf("OrganId", org.organ_id)
        self.leaf("OrganizationInCharge", org.organization_in_charge)
        self.leaf("OrganName", org.organ_name)
        self.leaf("OrganAdd", org.organ_add)
        self.leaf("Email", org.email)
        self.leaf("Telephone", org.telephone)
        self.leaf("Fax", org.fax)
        self.leaf("Website", org.website)
        self.close(name)

    def response_for(self, rf: ResponseFor) -> None:
        self.open("ResponseFor")
        self.leaf("OrganId", rf.organ_id)
        self.leaf("Code", rf.code)
        self.leaf("PromulgationDate", format_date(rf.promulgation_date))
        self.leaf("DocumentId", rf.document_id)
        self.close("ResponseFor")

    def staff_info(self, staff: StaffInfo) -> None:
        self.open("StaffInfo")
        self.leaf("Department", staff.department)
        self.leaf("Staff", staff.staff)
        self.leaf("Mobile", staff.mobile)
        self.leaf("Email", staff.email)
        self.close("StaffInfo")


def _message_header(w: _Writer, pkg: DocumentPackage) -> None:
    mh = pkg.message_header
    w.open("MessageHeader")
    w.organization("From", mh.from_)
    for org in mh.to:
        w.organization("To", org)
    w.leaf("DocumentId", mh.document_id)
    w.open("Code")
    w.leaf("CodeNumber", mh.code.code_number)
    w.leaf("CodeNotation", mh.code.code_notation)
    w.close("Code")
    w.open("PromulgationInfo")
    w.leaf("Place", mh.promulgation_info.place)
    w.leaf("PromulgationDate", format_date(mh.promulgation_info.promulgation_date))
    w.close("PromulgationInfo")
    w.open("DocumentType")
    w.leaf("Type", mh.document_type.type)
    w.leaf("TypeDetail", mh.document_type.type_detail)
    w.leaf("TypeName", mh.document_type.type_name)
    w.close("DocumentType")
    w.leaf("Subject", mh.subject)
    w.leaf("Content", mh.content)
    w.open("SignerInfo")
    w.leaf("Competence", mh.signer_info.competence)
    w.leaf("Position", mh.signer_info.position)
    w.leaf("FullName", mh.signer_info.full_name)
    w.close("SignerInfo")
    w.leaf("DueDate", format_date(mh.due_date))
    oi = mh.other_info
    w.open("OtherInfo")
    w.leaf("Priority", oi.priority)
    w.leaf("SphereOfPromulgation", oi.sphere_of_promulgation)
    w.leaf("TyperNotation", oi.typer_notation)
    w.leaf("PromulgationAmount", oi.promulgation_amount)
    w.leaf("PageAmount", oi.page_amount)
    w.open("Appendixes")
    for appendix in oi.appendixes:
        w.leaf("Appendix", appendix)
    w.close("Appendixes")
    w.close("OtherInfo")
    for rf in mh.response_for:
        w.response_for(rf)
    w.leaf("SteeringType", mh.steering_type)
    w.open("ToPlaces")
    for place in mh.to_places:
        w.leaf("Place", place)
    w.close("ToPlaces")
    w.close("MessageHeader")


def _bussiness(w: _Writer, b: Bussiness) -> None:
    w.open("Bussiness")
    w.leaf("DocumentId", b.document_id)
    w.leaf("BussinessDocType", b.bussiness_doc_type)
    w.leaf("BussinessDocReason", b.bussiness_doc_reason)
    w.leaf("Paper", b.paper)
    if b.staff_info is not None:
        w.staff_info(b.staff_info)
    if b.document_info is not None:
        info = b.document_info
        w.open("BussinessDocumentInfo")
        w.leaf("DocumentInfo", info.document_info)
        w.leaf("DocumentReceiver", info.document_receiver)
        w.open("ReceiverList")
        for rcv in info.receiver_list:
            w.open("Receiver")
            w.leaf("OrganId", rcv.organ_id)
            w.leaf("ReceiverType", rcv.receiver_type)
            w.close("Receiver")
        w.close("ReceiverList")
        w.close("BussinessDocumentInfo")
    if b.replacement_info_list:
        w.open("ReplacementInfoList")
        for info in b.replacement_info_list:
            w.open("ReplacementInfo")
            w.leaf("DocumentId", info.document_id)
            w.open("OrganIdList")
            for organ_id in info.organ_ids:
                w.leaf("OrganId", organ_id)
            w.close("OrganIdList")
            w.close("ReplacementInfo")
        w.close("ReplacementInfoList")
    w.close("Bussiness")


def _trace_header_list(w: _Writer, pkg: DocumentPackage) -> None:
    thl = pkg.trace_header_list
    w.open("TraceHeaderList")
    for hop in thl.trace_headers:
        w.open("TraceHeader")
        w.leaf("OrganId", hop.organ_id)
        w.leaf("Timestamp", format_timestamp(hop.timestamp))
        w.close("TraceHeader")
    if thl.bussiness is not None:
        _bussiness(w, thl.bussiness)
    w.close("TraceHeaderList")


def _manifest(w: _Writer, pkg: DocumentPackage) -> None:
    w.open("edXMLBody")
    w.open("edXMLManifest", ' version="1.0"')
    for att in pkg.attachments:
        cid = _text(normalise_content_id(att.content_id))
        w.open("Reference", f' xmlns:xlink="{XLINK_NS}" xlink:href="cid:{cid}" xlink:type="simple"')
        w.leaf("ContentId", normalise_content_id(att.content_id))
        w.leaf("ContentType", att.content_type)
        w.leaf("Description", att.description)
        w.leaf("AttachmentName", att.attachment_name)
        w.close("Reference")
    w.close("edXMLManifest")
    w.close("edXMLBody")


def _attachments(pkg: DocumentPackage) -> list[bytes]:
    if not pkg.attachments:
        return []
    out = [b"<AttachmentEncoded>"]
    for att in pkg.attachments:
        head = (
            f"<Attachment><ContentId>{_text(normalise_content_id(att.content_id))}</ContentId>"
            f"<AttachmentName>{_text(att.attachment_name)}</AttachmentName>"
            f"<Description>{_text(att.description)}</Description>"
            f"<ContentType>{_text(att.content_type)}</ContentType>"
            "<ContentTransferEncoded>"
        )
        out += [head.encode("utf-8"), base64.b64encode(att.data or b""),
                b"</ContentTransferEncoded></Attachment>"]
    out.append(b"</AttachmentEncoded>")
    return out


def _envelope(w: _Writer, body: list[bytes]) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<edXML xmlns="{NS}"><edXML:edXMLEnvelope xmlns:edXML="{NS}">'
    )
    return b"".join([head.encode("utf-8"), "".join(w.parts).encode("utf-8"),
                     b"</edXML:edXMLEnvelope>", *body, b"</edXML>"])


def _check(pkg, today: datetime.date | None) -> None:
    blocking = errors(validate(pkg, today=today))
    if blocking:
        raise InvalidPackageError(blocking)


def build_document(pkg: DocumentPackage, *, today: datetime.date | None = None) -> bytes:
    """Serialise a document package to edXML bytes (UTF-8).

    Raises :class:`InvalidPackageError` listing every blocking problem.
    ``today`` is passed to :func:`validate` (future-date rule).
    """
    if not isinstance(pkg, DocumentPackage):
        raise TypeError("build_document() needs a DocumentPackage")
    _check(pkg, today)
    w = _Writer()
    w.open("edXMLHeader")
    _message_header(w, pkg)
    _trace_header_list(w, pkg)
    w.close("edXMLHeader")
    _manifest(w, pkg)
    return _envelope(w, _attachments(pkg))


def build_status(pkg: StatusPackage) -> bytes:
    """Serialise a status package to edXML bytes (UTF-8).

    Raises :class:`InvalidPackageError` listing every blocking problem.
    """
    if not isinstance(pkg, StatusPackage):
        raise TypeError("build_status() needs a StatusPackage")
    _check(pkg, None)
    mh = pkg.message_header
    w = _Writer()
    w.open("edXMLHeader")
    w.open("MessageHeader")
    w.organization("From", mh.from_)
    w.response_for(mh.response_for)
    w.staff_info(mh.staff_info)
    w.leaf("StatusCode", mh.status_code)
    w.leaf("Description", mh.description)
    w.leaf("Timestamp", format_timestamp(mh.timestamp))
    w.close("MessageHeader")
    w.close("edXMLHeader")
    w.open("edXMLBody")
    w.parts.append('<edXML:edXMLManifest version="1.0"/>')
    w.close("edXMLBody")
    return _envelope(w, [])


def build(pkg: DocumentPackage | StatusPackage, **kw) -> bytes:
    """Build either kind of package."""
    if isinstance(pkg, StatusPackage):
        return build_status(pkg)
    return build_document(pkg, **kw)
