"""The archive's printed records: transfer list, handover record (biên bản giao nhận), disposal record.

Printed texts are Vietnamese whatever the UI language (they are the records
themselves); the transfer list is the ``dossiers`` register (Mục lục hồ sơ, tài
liệu nộp lưu) of :mod:`dongthap.qlvb.registers`.  The handover record leaves
room at the bottom of its last page for the two PAdES signatures (left: the
unit that hands over, right: the archive that receives).
"""

from __future__ import annotations

import datetime as dt

from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from dongthap.qlvb.registers import render_pdf
from dongthap.qlvb.registers.formatting import format_date, format_datetime

from .pages import _build, _markup, _styles


def transfer_list_pdf(agency, rows, dossiers, now: dt.datetime) -> bytes:
    """Mục lục hồ sơ, tài liệu nộp lưu (the ``dossiers`` register)."""
    starts = [d.start_date for d in dossiers if d.start_date] or [now.date()]
    ends = [d.end_date for d in dossiers if d.end_date] or [now.date()]
    return render_pdf(
        "dossiers",
        rows,
        agency_name=agency.title,
        period_from=min(starts),
        period_to=max(max(ends), min(starts)),
        printed_at=now,
    )


def handover_pdf(agency, tid: str, totals: dict, now: dt.datetime, *, giver: str, note: str = "") -> bytes:
    """Biên bản giao nhận tài liệu: parties, totals (dossiers, documents, pages), room to sign."""
    _fonts, s = _styles()
    flow = [
        Paragraph(_markup(agency.title.upper()), s["agency"]),
        Paragraph("BIÊN BẢN GIAO NHẬN TÀI LIỆU NỘP LƯU", s["title"]),
        Paragraph(_markup(f"Số: {tid}"), s["text"]),
        Paragraph(_markup(f"Hôm nay, {format_datetime(now)}, tại {agency.title}, chúng tôi gồm:"), s["text"]),
        Paragraph(_markup(f"Bên giao: {giver}, đại diện đơn vị nộp lưu."), s["text"]),
        Paragraph("Bên nhận: Lưu trữ cơ quan.", s["text"]),
        Spacer(1, 8),
        Paragraph(
            "Thống nhất giao nhận tài liệu theo Mục lục hồ sơ, tài liệu nộp lưu kèm theo, gồm:", s["text"]
        ),
    ]
    table = Table(
        [
            ["Số lượng hồ sơ", str(totals["dossiers"])],
            ["Số lượng văn bản", str(totals["documents"])],
            ["Số lượng trang", str(totals["pages"])],
        ],
        colWidths=[200, 100],
    )
    table.setStyle(
        TableStyle([("FONTNAME", (0, 0), (-1, -1), _fonts.regular), ("GRID", (0, 0), (-1, -1), 0.5, "black")])
    )
    flow += [table, Spacer(1, 8)]
    if note:
        flow.append(Paragraph(_markup(f"Ghi chú: {note}"), s["text"]))
    flow.append(Paragraph("Biên bản được ký số bởi đại diện hai bên.", s["text"]))
    return _build(flow, f"Biên bản giao nhận {tid}")


def disposal_record_pdf(agency, did: str, disposal, snapshots: list[dict], now: dt.datetime) -> bytes:
    """Biên bản hủy tài liệu hết giá trị: the list, the appraisal, approval, what was destroyed."""
    _fonts, s = _styles()
    flow = [
        Paragraph(_markup(agency.title.upper()), s["agency"]),
        Paragraph("BIÊN BẢN HỦY TÀI LIỆU HẾT GIÁ TRỊ", s["title"]),
        Paragraph(_markup(f"Số: {did} — {format_datetime(now)}"), s["text"]),
        Paragraph(_markup(f"Đánh giá: {disposal['appraisal']}"), s["text"]),
        Paragraph(
            _markup(f"Lãnh đạo phê duyệt: {disposal['approved_by']} ({disposal['approved_at'][:10]})"),
            s["text"],
        ),
        Spacer(1, 8),
    ]
    for n, snap in enumerate(snapshots, 1):
        f = snap["fields"]
        period = " – ".join(
            format_date(dt.date.fromisoformat(f[k])) for k in ("StartDate", "EndDate") if k in f
        )
        flow.append(
            Paragraph(
                _markup(
                    f"{n}. {f.get('FileCode', '')} — {f.get('Title', '')} "
                    f"({period}; {f.get('Maintenance', '')}; {len(snap['documents'])} văn bản)"
                ),
                s["text"],
            )
        )
    return _build(flow, f"Biên bản hủy {did}")
