"""Helpers of the exchange tests that run inside a Plone site."""

from __future__ import annotations

import copy
import datetime

import transaction
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.transports.base import ReceivedItem, SentItem, Transport, TransportError

VN = edxml.constants.VN_TZ
EXTERNAL = "000.00.00.G22"  # Văn phòng Chính phủ (outside our site)
STTTT = "000.00.14.H20"  # Sở TT&TT in the demo site
SNV = "000.00.09.H20"  # Sở Nội vụ in the demo site
UNKNOWN = "000.99.99.H20"

_PDF = None


def pdf(text="Văn bản thử nghiệm liên thông") -> bytes:
    from dongthap.qlvb.demo.incoming import make_pdf

    global _PDF
    if _PDF is None or text != "Văn bản thử nghiệm liên thông":
        data = make_pdf(["VĂN PHÒNG CHÍNH PHỦ", text])
        if text != "Văn bản thử nghiệm liên thông":
            return data
        _PDF = data
    return _PDF


def today():
    return datetime.datetime.now(VN).date()


def external_package(*, to=(STTTT,), number="125", notation="VPCP-KGVX", subject=None,
                     business_type=edxml.DOCTYPE_NEW, attachments=None, sender=EXTERNAL, **header):
    """A document package from an external agency to our agencies."""
    date = today() - datetime.timedelta(days=1)
    document_id = edxml.make_document_id(sender, date, number, notation)
    mh = edxml.MessageHeader(
        from_=edxml.Organization(sender, "Chính phủ", "Văn phòng Chính phủ"),
        to=[edxml.Organization(o, organ_name=o) for o in to],
        document_id=document_id,
        code=edxml.Code(number, notation),
        promulgation_info=edxml.PromulgationInfo("Hà Nội", date),
        document_type=edxml.DocumentType("1", "0", "Công văn"),
        subject=subject or "V/v triển khai liên thông văn bản điện tử",
        signer_info=edxml.SignerInfo("", "Phó Chủ nhiệm", "Nguyễn Văn Bình"),
        due_date=today() + datetime.timedelta(days=10),
        other_info=edxml.OtherInfo(1, page_amount=1),
        **header,
    )
    trace = edxml.TraceHeaderList(
        [edxml.TraceHeader(sender, datetime.datetime.now(VN).replace(microsecond=0))],
        edxml.Bussiness(document_id, business_type, "", 0, edxml.StaffInfo("Văn thư", "Lê Văn Thư")))
    if attachments is None:
        attachments = [edxml.Attachment("cid:vb1", "vanban.pdf", "Văn bản", "application/pdf", pdf()),
                       edxml.Attachment("vb2", "phuluc.zip", "Phụ lục", "application/zip",
                                        b"PK\x05\x06" + b"\x00" * 18)]
    return edxml.DocumentPackage(mh, trace, attachments)


def revoke_of(pkg, reason="Gửi nhầm văn bản"):
    out = copy.deepcopy(pkg)
    out.trace_header_list.bussiness.bussiness_doc_type = edxml.DOCTYPE_REVOKE
    out.trace_header_list.bussiness.bussiness_doc_reason = reason
    out.trace_header_list.trace_headers[0].timestamp = datetime.datetime.now(VN).replace(microsecond=0)
    return out


def status_for(document_id, *, sender, to, code="03", description="Đã vào sổ"):
    return edxml.StatusPackage(edxml.StatusHeader(
        from_=edxml.Organization(sender, organ_name="Văn phòng Chính phủ"),
        response_for=edxml.ResponseFor(to, "1/X", today(), document_id),
        staff_info=edxml.StaffInfo("Văn thư", "Phạm Văn D"),
        status_code=code, description=description,
        timestamp=datetime.datetime.now(VN).replace(microsecond=0)))


class SavepointTM:
    """A transaction manager for the engine inside integration tests (never commits)."""

    def __init__(self):
        self._sp = None

    def get(self):
        return transaction.get()

    def begin(self):
        self._sp = transaction.savepoint()

    def commit(self):
        self._sp = None

    def abort(self):
        if self._sp is not None:
            self._sp.rollback()
            self._sp = None


class MemoryTransport(Transport):
    """An in-memory axis: ``inbox`` of (DocId → bytes), ``sent`` list; ``down`` to fail."""

    def __init__(self):
        self.inbox = {}
        self.acks = {}
        self.sent = []
        self.down = False
        self.senders = {}

    def put(self, data, doc_id=None, sender=""):
        doc_id = doc_id or f"ax{len(self.inbox) + 1}"
        self.inbox[doc_id] = data
        self.senders[doc_id] = sender
        return doc_id

    def _check(self):
        if self.down:
            raise TransportError("connection refused (test)")

    def send(self, package, messagetype="edoc"):
        self._check()
        self.sent.append((messagetype, package))
        return f"sent{len(self.sent)}"

    def list_received(self):
        self._check()
        return [ReceivedItem(doc_id=d, sender=self.senders.get(d, "")) for d in self.inbox
                if d not in self.acks]

    def get(self, doc_id):
        self._check()
        return self.inbox[doc_id]

    def update_status(self, doc_id, status):
        self._check()
        self.acks[doc_id] = status

    def list_sent(self):
        self._check()
        return [SentItem(doc_id=f"sent{i + 1}", messagetype=m, raw={}) for i, (m, _p) in enumerate(self.sent)]

    def agencies(self):
        from dongthap.qlvb.exchange.transports.base import Agency

        return [Agency(EXTERNAL, "Văn phòng Chính phủ"), Agency("000.00.00.G01", "Bộ Nội vụ")]

    def statuses_sent(self):
        out = []
        for kind, data in self.sent:
            if kind == "status":
                pkg = edxml.parse(data)
                out.append((pkg.message_header.response_for.organ_id, pkg.message_header.status_code,
                            pkg.message_header.description))
        return out


def stand_in_outgoing(portal, agency_id="so-tttt", number="15", notation="STTTT-VP"):
    """A document with the attributes :func:`package_from_document` reads (not the outgoing type).

    Used where a test needs "an issued document" without depending on the
    outgoing workflow.
    """
    from plone.dexterity.utils import createContentInContainer
    from plone.namedfile.file import NamedBlobFile

    agency = portal[agency_id]
    doc = createContentInContainer(agency, "Document", checkConstraints=False,
                                   title="V/v đề nghị phối hợp triển khai liên thông")
    doc.code_number, doc.code_notation = number, notation
    doc.issued_date = today()
    doc.document_type, doc.urgency = "cong_van", "khan"
    doc.signer_name, doc.signer_position = "Nguyễn Văn A", "Giám đốc"
    doc.file = NamedBlobFile(pdf(), filename=f"cv{number}.pdf", contentType="application/pdf")
    doc.attachments = [NamedBlobFile(pdf(), filename="phu-luc.pdf", contentType="application/pdf")]
    return doc
