"""The printable week (A4 landscape, Noto Serif) with the registers' ReportLab layer.

At the top the NĐ 30 heading (agency on the left; quốc hiệu, tiêu ngữ on the right), then the title,
the period and one table: Thứ / ngày | Buổi, giờ | Nội dung | Chủ trì | Thành phần | Địa điểm | Chuẩn bị;
every day of the week has at least one row; the header row repeats on every page and each page
has the printout mark and ``Trang x/y`` (the footer of :mod:`dongthap.qlvb.registers.pdf`).
The caller gives the week already translated (:func:`dongthap.qlvb.restapi.errors.translate_tree`).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from dongthap.qlvb.registers.fonts import register_fonts
from dongthap.qlvb.registers.formatting import SYSTEM_NAME, Heading
from dongthap.qlvb.registers.pdf import MARGIN_BOTTOM, MARGIN_TOP, MARGIN_X, PAGE_SIZE, _FooterCanvas
from dongthap.qlvb.registers.pdf import national_heading

WIDTHS = (10, 9, 27, 12, 19, 11, 12)  # place and preparing unit: a short name on one line


def _p(text, style):
    return Paragraph(escape(text or "").replace("\n", "<br/>"), style)


def build(week: dict, *, labels: dict, printed_by: str, printed_at: dt.datetime,
          parent_agency: str | None = None) -> bytes:
    """PDF bytes of ``week`` (the answer of :func:`api.week`, translated); ``labels`` the
    translated column titles (``day``, ``time``, ``content``, ``chair``, ``participants``,
    ``place``, ``preparing``), ``title``, ``period`` and ``empty``. The page starts with the
    NĐ 30 heading (:func:`~dongthap.qlvb.registers.pdf.national_heading`): the agency under
    ``parent_agency`` (its governing agency, if any) on the left, quốc hiệu and tiêu ngữ on the right."""
    fonts = register_fonts()
    base = ParagraphStyle("cell", fontName=fonts.regular, fontSize=9, leading=11.5, alignment=TA_LEFT)
    bold = ParagraphStyle("cellb", parent=base, fontName=fonts.bold)
    head = ParagraphStyle("head", parent=base, fontName=fonts.bold, alignment=TA_CENTER)
    title_style = ParagraphStyle("title", fontName=fonts.bold, fontSize=15, leading=19, alignment=TA_CENTER,
                                 spaceBefore=6, spaceAfter=2)
    period_style = ParagraphStyle("period", fontName=fonts.italic, fontSize=10.5, leading=14,
                                  alignment=TA_CENTER)
    total = PAGE_SIZE[0] - 2 * MARGIN_X - 12
    widths = [total * w / sum(WIDTHS) for w in WIDTHS]
    keys = ("day", "time", "content", "chair", "participants", "place", "preparing")
    rows = [[_p(labels[k], head) for k in keys]]
    spans = []
    for day in week["days"]:
        first = len(rows)
        day_cell = _p(f"{day['weekday']}\n{day['date_text']}", bold)
        if not day["items"]:
            rows.append([day_cell, _p("", base), _p(labels["empty"], base), "", "", "", ""])
            continue
        for n, e in enumerate(day["items"]):
            people = [p["fullname"] for p in e["participants"]] + [d["title"] for d in e["departments"]]
            if e["guests"]:
                people.append(e["guests"])
            content = e["content"] + (f"\n({e['state_title']})" if e["state"] != "published" else "")
            when = _p(f"{e['period_title']}\n{e['time_text']}", base)
            rows.append([day_cell if n == 0 else "", when,
                         _p(content, base), _p(e["chair_name"], base), _p("; ".join(people), base),
                         _p(e["place"], base), _p(e["preparing_unit"], base)])
        if len(rows) - first > 1:
            spans.append(("SPAN", (0, first), (0, len(rows) - 1)))
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        *spans,
    ]))
    heading = Heading(agency_name=week["agency"], period_from=dt.date.fromisoformat(week["from"]),
                      period_to=dt.date.fromisoformat(week["to"]), printed_at=printed_at,
                      printed_by=printed_by)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=PAGE_SIZE, leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM, title=labels["title"], author=week["agency"], subject=labels["period"],
        creator=SYSTEM_NAME, lang="vi-VN", invariant=True)
    story = [national_heading(fonts, week["agency"], total, parent_name=parent_agency),
             Spacer(1, 4 * mm), _p(labels["title"], title_style),
             _p(labels["period"], period_style), Spacer(1, 5 * mm), table]
    doc.build(story, canvasmaker=functools.partial(_FooterCanvas, footer=heading.printed_mark, fonts=fonts))
    return buf.getvalue()
