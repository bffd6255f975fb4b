"""The pages the package adds to a dossier's PDF: cover, table of documents, stand-in pages.

Printed texts are Vietnamese whatever the UI language (like the registers'
legal headers); fonts are the registers' Noto Serif, so Vietnamese letters
render and extract correctly.  The table of documents (Mục lục văn bản trong
hồ sơ) is the ``dossier_documents`` register of :mod:`dongthap.qlvb.registers`.
"""

from __future__ import annotations

import datetime as dt
import io
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from dongthap.qlvb.registers import render_pdf
from dongthap.qlvb.registers.fonts import register_fonts
from dongthap.qlvb.registers.formatting import (
    PRINTED_FROM,
    SYSTEM_NAME,
    clean_text,
    format_date,
    format_datetime,
)


def _markup(text) -> str:
    return escape(clean_text(str(text or ""))).replace("\n", "<br/>")


def _styles():
    fonts = register_fonts()
    return fonts, {
        "agency": ParagraphStyle("agency", fontName=fonts.bold, fontSize=12, leading=16, alignment=TA_LEFT),
        "big": ParagraphStyle(
            "big",
            fontName=fonts.bold,
            fontSize=28,
            leading=34,
            alignment=TA_CENTER,
            spaceBefore=40 * mm,
            spaceAfter=8 * mm,
        ),
        "title": ParagraphStyle(
            "title", fontName=fonts.bold, fontSize=15, leading=20, alignment=TA_CENTER, spaceAfter=12 * mm
        ),
        "line": ParagraphStyle(
            "line", fontName=fonts.regular, fontSize=12, leading=18, alignment=TA_LEFT, leftIndent=25 * mm
        ),
        "mark": ParagraphStyle(
            "mark", fontName=fonts.italic, fontSize=8, leading=10, alignment=TA_LEFT, spaceBefore=30 * mm
        ),
        "text": ParagraphStyle("text", fontName=fonts.regular, fontSize=12, leading=17, alignment=TA_LEFT),
        "head": ParagraphStyle(
            "head", fontName=fonts.bold, fontSize=13, leading=18, alignment=TA_CENTER, spaceAfter=6 * mm
        ),
    }


def _build(flowables, title: str) -> bytes:
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=title,
        creator=SYSTEM_NAME,
        lang="vi-VN",
        invariant=True,
    )
    doc.build(flowables)
    return buf.getvalue()


def cover_pdf(
    *,
    agency_name: str,
    title: str,
    file_code: str,
    notation: str,
    start: dt.date | None,
    end: dt.date | None,
    doc_total: int,
    page_total: int,
    retention: str,
    rights: str,
    printed_at: dt.datetime,
) -> bytes:
    """The cover (bìa hồ sơ): agency, HỒ SƠ, title, code, period, size, retention, access."""
    _fonts, s = _styles()
    period = f"Từ ngày {format_date(start) if start else '…'} đến ngày {format_date(end) if end else '…'}"
    lines = [
        f"Mã hồ sơ: {file_code}",
        f"Số và ký hiệu hồ sơ: {notation}",
        period,
        f"Gồm: {doc_total} văn bản, {page_total} trang",
        f"Thời hạn bảo quản: {retention}",
        f"Chế độ sử dụng: {rights}",
    ]
    flow = [
        Paragraph(_markup(agency_name.upper()), s["agency"]),
        Paragraph("HỒ SƠ", s["big"]),
        Paragraph(_markup(title), s["title"]),
    ]
    flow += [Paragraph(_markup(line), s["line"]) for line in lines]
    flow.append(Paragraph(_markup(f"{PRINTED_FROM}, {format_datetime(printed_at)}"), s["mark"]))
    return _build(flow, title)


def toc_pdf(
    rows: list[dict], *, agency_name: str, start: dt.date | None, end: dt.date | None, printed_at: dt.datetime
) -> bytes:
    """Mục lục văn bản trong hồ sơ (the ``dossier_documents`` register)."""
    start = start or printed_at.date()
    end = end or start
    if start > end:
        start, end = end, start
    return render_pdf(
        "dossier_documents",
        rows,
        agency_name=agency_name,
        period_from=start,
        period_to=end,
        printed_at=printed_at,
    )


def stand_in_pdf(*, heading: str, reason: str, path: str) -> bytes:
    """One page standing for a document whose file cannot be shown as PDF pages."""
    _fonts, s = _styles()
    flow = [
        Paragraph(_markup(heading), s["head"]),
        Paragraph(_markup(reason), s["text"]),
        Spacer(1, 5 * mm),
        Paragraph(_markup(f"Tệp gốc trong gói: {path}"), s["text"]),
    ]
    return _build(flow, heading)
