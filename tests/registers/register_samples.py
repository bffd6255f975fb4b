"""Sample data for the register tests and the benchmark.

``SAMPLES[key]`` is one realistic row per register with the texts that must
appear in the PDF; :func:`bulk_rows` makes any number of plain rows.
"""

from __future__ import annotations

import datetime as dt

from dongthap.qlvb.registers import REGISTERS

UTC = dt.UTC

HEADING = {
    "agency_name": "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP",
    "period_from": dt.date(2025, 1, 1),
    "period_to": dt.date(2025, 6, 30),
    "printed_by": "Nguyễn Thị Văn Thư",
    "printed_at": dt.datetime(2025, 7, 1, 2, 5, tzinfo=UTC),  # 09:05 in Vietnam
}
PRINTED_MARK = ("In từ Hệ thống quản lý văn bản và điều hành — 01/07/2025 09:05 — "
                "Nguyễn Thị Văn Thư")

AUTHOR = "Ủy ban nhân dân tỉnh Đồng Tháp"
SUBJECT = ("Công văn thượng khẩn về việc chủ động ứng phó với lũ, sạt lở bờ sông Tiền "
           "và bảo đảm an toàn cho người dân trên địa bàn tỉnh Đồng Tháp")

#: One row per register, and the texts its PDF must show (besides the headers).
SAMPLES: dict[str, tuple[dict, list[str]]] = {
    "incoming": (
        {"arrival_date": dt.datetime(2025, 3, 4, 2, 15, tzinfo=UTC), "arrival_number": 125,
         "author": AUTHOR, "notation": "15/UBND-VP", "issued_date": dt.date(2025, 3, 3),
         "subject": SUBJECT, "recipient": "Phòng Kinh tế; đồng chí Phó Giám đốc",
         "transfer_date": dt.date(2025, 3, 5), "note": "THƯỢNG KHẨN"},
        ["04/03/2025 09:15", "125", AUTHOR, "15/UBND-VP", "03/03/2025", SUBJECT,
         "Phòng Kinh tế; đồng chí Phó Giám đốc", "05/03/2025", "THƯỢNG KHẨN"],
    ),
    "incoming_tracking": (
        {"arrival_number": 125,
         "document": "Công văn số 15/UBND-VP ngày 03/03/2025 của Ủy ban nhân dân tỉnh Đồng Tháp",
         "recipient": "Phòng Kinh tế", "due_date": dt.date(2025, 3, 20),
         "progress": "Đang giải quyết, đã xin ý kiến Sở Nông nghiệp và Môi trường",
         "reply_notation": "42/SNN-KH", "note": "Quá hạn 2 ngày"},
        ["125", "Công văn số 15/UBND-VP ngày 03/03/2025 của Ủy ban nhân dân tỉnh Đồng Tháp",
         "Phòng Kinh tế", "20/03/2025", "Đang giải quyết, đã xin ý kiến Sở Nông nghiệp và Môi trường",
         "42/SNN-KH", "Quá hạn 2 ngày"],
    ),
    "outgoing": (
        {"notation": "07/QĐ-UBND", "issued_date": dt.date(2025, 1, 9),
         "subject": "Quyết định ban hành Quy chế quản lý văn bản điện tử thượng khẩn",
         "signer": "Trần Văn Hùng", "recipients": "Như Điều 3;\nLưu: VT, NC.",
         "copy_holder": "Văn thư cơ quan", "copies": 12, "transfer_date": dt.date(2025, 1, 10),
         "note": "Hỏa tốc"},
        ["07/QĐ-UBND", "09/01/2025", "Quyết định ban hành Quy chế quản lý văn bản điện tử thượng khẩn",
         "Trần Văn Hùng", "Như Điều 3; Lưu: VT, NC.", "Văn thư cơ quan", "12", "10/01/2025", "Hỏa tốc"],
    ),
    "outgoing_report": (
        {"notation": "88/UBND-KT", "issued_date": dt.date(2025, 4, 2),
         "subject": "Đề nghị báo cáo tình hình thiệt hại do hạn mặn",
         "recipients": "Sở Tài chính; Ủy ban nhân dân các xã", "due_date": dt.date(2025, 4, 15),
         "status": "Đã trả lời 14/20 cơ quan", "note": "Đôn đốc lần 2"},
        ["88/UBND-KT", "02/04/2025", "Đề nghị báo cáo tình hình thiệt hại do hạn mặn",
         "Sở Tài chính; Ủy ban nhân dân các xã", "15/04/2025", "Đã trả lời 14/20 cơ quan", "Đôn đốc lần 2"],
    ),
    "dossier_documents": (
        {"ordinal": 1, "notation": "15/UBND-VP", "issued_date": dt.date(2025, 3, 3),
         "subject": SUBJECT, "author": AUTHOR, "pages": "01-04", "note": "Bản chính điện tử"},
        ["1", "15/UBND-VP", "03/03/2025", SUBJECT, AUTHOR, "01-04", "Bản chính điện tử"],
    ),
    "dossiers": (
        {"ordinal": 1, "file_notation": "01.TCCB",
         "title": "Hồ sơ về việc kiện toàn tổ chức bộ máy các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh",
         "period": "01/2025 – 06/2025", "retention": "Vĩnh viễn", "pages": 245, "note": "Nộp lưu đợt 1"},
        ["1", "01.TCCB",
         "Hồ sơ về việc kiện toàn tổ chức bộ máy các cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh",
         "01/2025 – 06/2025", "Vĩnh viễn", "245", "Nộp lưu đợt 1"],
    ),
    "copies": (
        {"notation": "03/TrS-UBND", "date": dt.date(2025, 5, 6), "form": "TRÍCH SAO",
         "original": "15/QĐ-UBND; UBND tỉnh Đồng Tháp; Quyết định về việc kiện toàn tổ công tác",
         "pages": "trang 2–3", "medium": "Điện tử (chữ ký số cơ quan)",
         "signer": "KT. PHÓ CHỦ TỊCH Trần Văn Bình", "recipients": "Sở Nội vụ", "note": "Bản sao thứ nhất"},
        ["03/TrS-UBND", "06/05/2025", "TRÍCH SAO",
         "15/QĐ-UBND; UBND tỉnh Đồng Tháp; Quyết định về việc kiện toàn tổ công tác", "trang 2–3",
         "Điện tử (chữ ký số cơ quan)", "KT. PHÓ CHỦ TỊCH Trần Văn Bình", "Sở Nội vụ", "Bản sao thứ nhất"],
    ),
}

_INT_KEYS = {"arrival_number", "copies", "ordinal", "pages"}
_DATE_KEYS = {"arrival_date", "issued_date", "transfer_date", "due_date", "date"}


def bulk_value(key: str, i: int):
    """A plain value for column *key* of row *i* (1-based)."""
    if key in _INT_KEYS:
        return i
    if key in _DATE_KEYS:
        return dt.date(2025, 1, 1) + dt.timedelta(days=i % 180)
    if key in ("notation", "file_notation", "reply_notation"):
        return f"{i:02d}/QĐ-UBND"
    if key in ("subject", "document", "title"):
        return f"Văn bản số {i} về việc triển khai nhiệm vụ thượng khẩn" + " và báo cáo kết quả" * (i % 4)
    if key == "receipt_signature":
        return ""
    return f"Đồng Tháp {key} {i}"


def bulk_rows(register_key: str, count: int) -> list[dict]:
    """*count* rows for the register, every column filled."""
    keys = REGISTERS[register_key].keys
    return [{key: bulk_value(key, i) for key in keys} for i in range(1, count + 1)]
