"""Sample packages and peers shared by the exchange tests."""

from __future__ import annotations

import datetime

from dongthap.qlvb.exchange import edxml

SENDER = "000.00.14.H20"  # Sở TT&TT Đồng Tháp
PROVINCE = "000.00.00.H20"  # UBND tỉnh Đồng Tháp
FINANCE = "000.00.12.H20"
VPCP = "000.00.00.G22"

AGENCIES = [
    {"OrganId": SENDER, "Name": "Sở Thông tin và Truyền thông", "ParentId": PROVINCE},
    {"OrganId": PROVINCE, "Name": "UBND tỉnh Đồng Tháp", "ParentId": ""},
    {"OrganId": FINANCE, "Name": "Sở Tài chính", "ParentId": PROVINCE},
    {"OrganId": VPCP, "Name": "Văn phòng Chính phủ", "ParentId": ""},
]
SYSTEMS = {
    "sys-stttt": ("secret-stttt", SENDER),
    "sys-ubnd": ("secret-ubnd", PROVINCE),
    "sys-stc": ("secret-stc", FINANCE),
}


def make_document(**overrides) -> edxml.DocumentPackage:
    """A complete, valid new-document package; keyword args replace parts."""
    date = datetime.date(2024, 3, 5)
    header = edxml.MessageHeader(
        from_=edxml.Organization(SENDER, "UBND tỉnh Đồng Tháp", "Sở Thông tin và Truyền thông",
                                 "Số 4, Võ Trường Toản, TP Cao Lãnh", "stttt@dongthap.gov.vn",
                                 "0277 3851 234", "0277 3851 235", "https://stttt.dongthap.gov.vn"),
        to=[edxml.Organization(PROVINCE, organ_name="UBND tỉnh Đồng Tháp"),
            edxml.Organization(FINANCE, organ_name="Sở Tài chính")],
        document_id=edxml.make_document_id(SENDER, date, "125", "STTTT-VP"),
        code=edxml.Code("125", "STTTT-VP"),
        promulgation_info=edxml.PromulgationInfo("Đồng Tháp", date),
        document_type=edxml.DocumentType("1", "0", "Công văn"),
        subject="V/v báo cáo tình hình ứng dụng CNTT & chuyển đổi số <quý I>",
        content="Kính gửi: ...\nSở TT&TT đề nghị các đơn vị báo cáo.",
        signer_info=edxml.SignerInfo("Thủ trưởng cơ quan", "Giám đốc", "Nguyễn Văn A"),
        due_date=datetime.date(2024, 3, 20),
        other_info=edxml.OtherInfo(1, "Các cơ quan nhà nước", "NTL", 3, 2, ["Phụ lục 1", "Phụ lục 2"]),
        response_for=[edxml.ResponseFor(PROVINCE, "10/UBND-VX", datetime.date(2024, 2, 1),
                                        f"{PROVINCE},2024/02/01,10/UBND-VX")],
        steering_type="1",
        to_places=["Như trên", "Lưu: VT, VP"],
    )
    trace = edxml.TraceHeaderList(
        [edxml.TraceHeader(SENDER, datetime.datetime(2024, 3, 5, 8, 30, 15, tzinfo=edxml.constants.VN_TZ))],
        edxml.Bussiness(header.document_id, edxml.DOCTYPE_NEW, "", 0,
                        edxml.StaffInfo("Văn phòng", "Lê Thị Văn Thư", "0912000111", "vt@dongthap.gov.vn")),
    )
    attachments = [
        edxml.Attachment("a1", "125_STTTT-VP.pdf", "Văn bản chính", "application/pdf",
                         b"%PDF-1.7\n" + bytes(range(256)) * 4),
        edxml.Attachment("a2", "phu_luc.zip", "Phụ lục", "application/zip",
                         b"PK\x05\x06" + b"\x00" * 18),
    ]
    pkg = edxml.DocumentPackage(header, trace, attachments)
    for name, value in overrides.items():
        setattr(pkg, name, value)
    return pkg


def make_status(code: str = "03", **overrides) -> edxml.StatusPackage:
    """A valid status package answering :func:`make_document`."""
    header = edxml.StatusHeader(
        from_=edxml.Organization(PROVINCE, "UBND tỉnh Đồng Tháp", "Văn phòng UBND tỉnh"),
        response_for=edxml.ResponseFor(SENDER, "125/STTTT-VP", datetime.date(2024, 3, 5),
                                       f"{SENDER},2024/03/05,125/STTTT-VP"),
        staff_info=edxml.StaffInfo("Văn thư", "Phạm Văn D", "0909000222", "vanthu@dongthap.gov.vn"),
        status_code=code,
        description="Lý do: văn bản gửi nhầm" if code == "13" else "Đã xử lý",
        timestamp=datetime.datetime(2024, 3, 6, 7, 45, 0, tzinfo=edxml.constants.VN_TZ),
    )
    for name, value in overrides.items():
        setattr(header, name, value)
    return edxml.StatusPackage(header)


# -- Shapes real senders use (issue 12, items 1-7): packages we write ourselves -------------------
# Each ``shape_*`` takes a valid package (model) and returns the bytes of that package as the
# shape's senders write it.  ``SHAPES`` names every shape a receiver must accept.

import base64 as _b64  # noqa: E402
import copy as _copy  # noqa: E402
import io as _io  # noqa: E402
import re as _re  # noqa: E402
import zipfile as _zipfile  # noqa: E402

_BUSINESS_ID = _re.compile(rb"(<edXML:Bussiness>)<edXML:DocumentId>[^<]*</edXML:DocumentId>")
_REPLACEMENTS = _re.compile(rb"<edXML:ReplacementInfoList>.*?</edXML:ReplacementInfoList>", _re.S)


def shape_trace_hop_without_organ(pkg) -> bytes:
    """A second hop (the national network) with only a timestamp."""
    data = edxml.build_document(pkg)
    hop = b"<edXML:TraceHeader><edXML:Timestamp>2024/03/05 09:01:02</edXML:Timestamp></edXML:TraceHeader>"
    return data.replace(b"</edXML:TraceHeader>", b"</edXML:TraceHeader>" + hop, 1)


def shape_sdk_revoke(pkg, reason="Gửi nhầm văn bản") -> bytes:
    """A revoke (1) as the vendor SDK writes it: the target only in MessageHeader/DocumentId."""
    pkg = _copy.deepcopy(pkg)
    pkg.trace_header_list.bussiness.bussiness_doc_type = edxml.DOCTYPE_REVOKE
    pkg.trace_header_list.bussiness.bussiness_doc_reason = reason
    data = edxml.build_document(pkg)
    out, n = _BUSINESS_ID.subn(rb"\1", data)
    assert n == 1
    return out


def shape_sdk_replace(pkg, replaced_document_id) -> bytes:
    """A replacement (3) as the vendor SDK writes it: sent under the id of the document it replaces,
    no Bussiness/DocumentId, no ReplacementInfoList."""
    pkg = _copy.deepcopy(pkg)
    mh = pkg.message_header
    mh.document_id = replaced_document_id
    mh.subject = (mh.subject or "") + " (thay thế)"
    pkg.trace_header_list.bussiness.bussiness_doc_type = edxml.DOCTYPE_REPLACE
    pkg.trace_header_list.bussiness.replacement_info_list = [
        edxml.ReplacementInfo(replaced_document_id, [])]  # removed below: the writer needs it
    data = edxml.build_document(pkg)
    data, n = _BUSINESS_ID.subn(rb"\1", data)
    data, m = _REPLACEMENTS.subn(b"", data)
    assert n == 1 and m == 1
    return data


def shape_attachment_data(pkg) -> bytes:
    """Files in ``edXMLAttachments/AttachmentData`` (no ContentId, no manifest reference)."""
    data = edxml.build_document(pkg)
    data = _re.sub(rb"<edXML:edXMLManifest version=\"1.0\">.*?</edXML:edXMLManifest>",
                   b'<edXML:edXMLManifest version="1.0"/>', data, flags=_re.S)
    parts = [b"<edXML:edXMLAttachments>"]
    for att in pkg.attachments:
        parts.append(
            b"<edXML:AttachmentData><edXML:AttachmentName>" + att.attachment_name.encode()
            + b"</edXML:AttachmentName><edXML:ContentType>" + att.content_type.encode()
            + b"</edXML:ContentType><edXML:Data>" + _b64.b64encode(att.data)
            + b"</edXML:Data></edXML:AttachmentData>")
    parts.append(b"</edXML:edXMLAttachments>")
    data, n = _re.subn(rb"<AttachmentEncoded>.*</AttachmentEncoded>", b"", data, flags=_re.S)
    assert n == 1
    # inside the envelope's namespace scope, after the body
    return data.replace(b"</edXML:edXMLBody>", b"</edXML:edXMLBody>" + b"".join(parts), 1)


def docx_bytes(text="Văn bản gửi dạng Word") -> bytes:
    """A minimal .docx (OOXML word container)."""
    buf = _io.BytesIO()
    with _zipfile.ZipFile(buf, "w", _zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("word/document.xml", f'<?xml version="1.0"?><w:document>{text}</w:document>')
    return buf.getvalue()


def zip_of(files: dict) -> bytes:
    buf = _io.BytesIO()
    with _zipfile.ZipFile(buf, "w", _zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def shape_docx_only(pkg) -> bytes:
    """The document sent only as a Word file."""
    pkg = _copy.deepcopy(pkg)
    pkg.attachments = [edxml.Attachment(
        "vb1", "cong_van.docx", "Văn bản",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx_bytes())]
    return edxml.build_document(pkg)


def shape_pdf_in_zip(pkg, pdf_data: bytes) -> bytes:
    """The signed PDF inside a ZIP (with a readme next to it)."""
    pkg = _copy.deepcopy(pkg)
    pkg.attachments = [edxml.Attachment("vb1", "van_ban.zip", "Văn bản", "application/zip",
                                        zip_of({"ho-so/van_ban_ky_so.pdf": pdf_data,
                                                "doc-truoc.txt": b"Xem tep PDF."}))]
    return edxml.build_document(pkg)


def shape_foreign_recipient(pkg, code="vxp.saas.03") -> bytes:
    """Addressed to a code that is no agency of the receiving site."""
    pkg = _copy.deepcopy(pkg)
    pkg.message_header.to = [edxml.Organization(code, organ_name="Đơn vị ngoài hệ thống")]
    return edxml.build_document(pkg)


def shape_undeclared_xlink(pkg) -> bytes:
    """``xlink:href`` used on the manifest references without declaring the prefix."""
    data = edxml.build_document(pkg)
    out = data.replace(b' xmlns:xlink="http://www.w3.org/1999/xlink"', b"")
    assert out != data
    return out


def shape_leading_bytes(pkg) -> bytes:
    """A BOM, a blank line and stray bytes before ``<?xml``."""
    return b"\xef\xbb\xbf\r\n  \x00" + edxml.build_document(pkg)


#: shape name → builder(pkg) for the shapes that must be accepted as documents.
ACCEPTED_SHAPES = {
    "trace-hop-without-organ": shape_trace_hop_without_organ,
    "attachment-data": shape_attachment_data,
    "undeclared-xlink": shape_undeclared_xlink,
    "leading-bytes": shape_leading_bytes,
}
