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
