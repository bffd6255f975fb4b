"""Dataclasses describing edXML packages (QCVN 102:2016).

Names follow the XML elements in snake_case; ``from_`` stands for ``From``.
Dates are :class:`datetime.date`; timestamps are :class:`datetime.datetime`,
parsed as aware UTC+7 values (packages carry local Vietnamese time, no zone).  Free-text fields are
``str`` ("" when absent), optional numbers ``int | None``.

Packages produced by :func:`~dongthap.qlvb.exchange.edxml.parse` also carry
``warnings``: the :class:`~dongthap.qlvb.exchange.edxml.problems.Problem`
items the tolerant parser noticed; they do not take part in equality.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from . import filetypes


@dataclass
class Organization:
    """``From`` / ``To``: an agency and its contact data."""

    organ_id: str = ""
    organization_in_charge: str = ""
    organ_name: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class Code:
    """Số và ký hiệu: ``CodeNumber`` (số) and ``CodeNotation`` (ký hiệu)."""

    code_number: str = ""
    code_notation: str = ""


@dataclass
class PromulgationInfo:
    """Place and date of promulgation (địa danh, ngày ban hành)."""

    place: str = ""
    promulgation_date: datetime.date | None = None


@dataclass
class DocumentType:
    """Document type; code lists are not standardised, so kept as text."""

    type: str = ""
    type_detail: str = ""
    type_name: str = ""


@dataclass
class SignerInfo:
    """Signer: competence (thẩm quyền), position, full name."""

    competence: str = ""
    position: str = ""
    full_name: str = ""


@dataclass
class OtherInfo:
    """``OtherInfo``: priority (0–4), sphere, typist, copies, pages, appendixes."""

    priority: int | None = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = field(default_factory=list)


@dataclass
class ResponseFor:
    """Reference to an earlier document this package answers or concerns."""

    organ_id: str = ""
    code: str = ""
    promulgation_date: datetime.date | None = None
    document_id: str = ""


@dataclass
class MessageHeader:
    """Header of a document package, in the standard element order."""

    from_: Organization = field(default_factory=Organization)
    to: list[Organization] = field(default_factory=list)
    document_id: str = ""
    code: Code = field(default_factory=Code)
    promulgation_info: PromulgationInfo = field(default_factory=PromulgationInfo)
    document_type: DocumentType = field(default_factory=DocumentType)
    subject: str = ""
    content: str = ""
    signer_info: SignerInfo = field(default_factory=SignerInfo)
    due_date: datetime.date | None = None
    other_info: OtherInfo = field(default_factory=OtherInfo)
    response_for: list[ResponseFor] = field(default_factory=list)
    steering_type: str = ""
    to_places: list[str] = field(default_factory=list)


@dataclass
class TraceHeader:
    """One hop of the package: agency and time."""

    organ_id: str = ""
    timestamp: datetime.datetime | None = None


@dataclass
class StaffInfo:
    """Contact person: department, staff name, mobile, e-mail."""

    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class Receiver:
    """A receiver change in an update: type 0 removed, 1 added."""

    organ_id: str = ""
    receiver_type: int | None = 1


@dataclass
class BussinessDocumentInfo:
    """What an update (BussinessDocType 2) changes.

    ``document_info`` / ``document_receiver`` are the "0"/"1" flags saying
    whether the document data / the receiver list changed.
    """

    document_info: str = ""
    document_receiver: str = ""
    receiver_list: list[Receiver] = field(default_factory=list)


@dataclass
class ReplacementInfo:
    """For a replacement: the replaced document and the agencies concerned."""

    document_id: str = ""
    organ_ids: list[str] = field(default_factory=list)


@dataclass
class Bussiness:
    """The ``Bussiness`` (sic) block: what kind of send this is."""

    document_id: str = ""
    bussiness_doc_type: int | None = 0
    bussiness_doc_reason: str = ""
    paper: int | None = 0
    staff_info: StaffInfo | None = None
    document_info: BussinessDocumentInfo | None = None
    replacement_info_list: list[ReplacementInfo] = field(default_factory=list)


@dataclass
class TraceHeaderList:
    """Hops plus the business block."""

    trace_headers: list[TraceHeader] = field(default_factory=list)
    bussiness: Bussiness | None = None


@dataclass
class Attachment:
    """An attached file.  ``data`` holds the decoded bytes (never executed).

    ``detected_type`` tells what the bytes really are (by magic numbers), which
    may differ from the declared ``content_type``/``attachment_name``.
    """

    content_id: str = ""
    attachment_name: str = ""
    description: str = ""
    content_type: str = ""
    data: bytes = b""

    @property
    def detected_type(self) -> str | None:
        """MIME type recognised from the first bytes, or ``None``."""
        return filetypes.sniff(self.data)

    @property
    def type_mismatch(self) -> bool:
        """True when the bytes are not what the name/content type declares."""
        return filetypes.mismatch(self.data, self.content_type, self.attachment_name)

    @property
    def size(self) -> int:
        """Size of the decoded data in bytes."""
        return len(self.data)


@dataclass
class DocumentPackage:
    """A document package: header, trace list, attachments."""

    message_header: MessageHeader = field(default_factory=MessageHeader)
    trace_header_list: TraceHeaderList = field(default_factory=TraceHeaderList)
    attachments: list[Attachment] = field(default_factory=list)
    signature_xml: bytes | None = field(default=None, compare=False, repr=False)
    warnings: list = field(default_factory=list, compare=False, repr=False)

    kind = "edoc"

    @property
    def business_doc_type(self) -> int:
        """BussinessDocType, 0 (new) when there is no business block."""
        b = self.trace_header_list.bussiness
        return b.bussiness_doc_type if b and b.bussiness_doc_type is not None else 0


@dataclass
class StatusHeader:
    """Header of a status package."""

    from_: Organization = field(default_factory=Organization)
    response_for: ResponseFor = field(default_factory=ResponseFor)
    staff_info: StaffInfo = field(default_factory=StaffInfo)
    status_code: str = ""
    description: str = ""
    timestamp: datetime.datetime | None = None


@dataclass
class StatusPackage:
    """A status package answering a document (codes 01–06, 13, 15, 16)."""

    message_header: StatusHeader = field(default_factory=StatusHeader)
    signature_xml: bytes | None = field(default=None, compare=False, repr=False)
    warnings: list = field(default_factory=list, compare=False, repr=False)

    kind = "status"
