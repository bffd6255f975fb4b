"""XLSX and PDF of the reports (no Plone): a :class:`Report` is a title, the period and tables
(with grouped headers) and charts; :func:`xlsx` and :func:`pdf` print it.

Printed texts are Vietnamese whatever the UI language, like the registers' legal headers; the
PDF is A4 with Noto Serif and the printout mark of Phụ lục VI on every page
("In từ Hệ thống quản lý văn bản và điều hành")."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from dongthap.qlvb.registers.fonts import register_fonts
from dongthap.qlvb.registers.formatting import clean_text
from dongthap.qlvb.registers.formatting import format_date
from dongthap.qlvb.registers.formatting import Heading
from dongthap.qlvb.registers.formatting import SYSTEM_NAME
from xml.sax.saxutils import escape

import datetime
import io


@dataclass
class Table:
    """``header``: rows of ``(text, colspan)``; ``rows``: values (str, int, date); ``widths``
    relative; ``bold_last``: the last row is the totals row."""

    header: list
    rows: list
    widths: list
    title: str = ""
    bold_last: bool = False


@dataclass
class Report:
    title: str
    heading: Heading
    tables: list = field(default_factory=list)
    charts: list = field(default_factory=list)
    landscape: bool = False
    sheet: str = "Báo cáo"


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return format_date(value)
    return clean_text(str(value))


# ---------------------------------------------------------------- XLSX


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.styles import Border
    from openpyxl.styles import Font
    from openpyxl.styles import PatternFill
    from openpyxl.styles import Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = report.sheet[:31]
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(name="Times New Roman", bold=True, size=12)
    normal = Font(name="Times New Roman", size=11)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    width = max((sum(span for _t, span in t.header[0]) for t in report.tables), default=1)
    ws.cell(row=1, column=1, value=clean_text(report.heading.agency_name)).font = bold
    title = ws.cell(row=2, column=1, value=report.title)
    title.font = Font(name="Times New Roman", bold=True, size=14)
    title.alignment = centre
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.cell(row=3, column=1, value=report.heading.period).alignment = centre
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=width)
    row = 5
    for table in report.tables:
        if table.title:
            ws.cell(row=row, column=1, value=table.title).font = bold
            row += 1
        for header_row in table.header:
            col = 1
            for text, span in header_row:
                cell = ws.cell(row=row, column=col, value=text)
                cell.font, cell.alignment, cell.fill, cell.border = bold, centre, head_fill, border
                if span > 1:
                    ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + span - 1)
                    for c in range(col + 1, col + span):
                        ws.cell(row=row, column=c).border = border
                col += span
            row += 1
        for i, values in enumerate(table.rows):
            last = table.bold_last and i == len(table.rows) - 1
            for col, value in enumerate(values, 1):
                if isinstance(value, str):
                    value = clean_text(value)  # control characters are invalid in XLSX
                cell = ws.cell(row=row, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # a title starting with "=" is text, never a formula
                cell.font = bold if last else normal
                cell.border = border
                if isinstance(value, datetime.date):
                    cell.number_format = "DD/MM/YYYY"
                    cell.alignment = Alignment(horizontal="center")
                elif isinstance(value, int):
                    cell.number_format = "#,##0"
                else:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
        row += 1
    for i in range(1, width + 1):
        weights = [t.widths[i - 1] for t in report.tables if len(t.widths) >= i]
        ws.column_dimensions[get_column_letter(i)].width = max(weights or [10])
    ws.cell(row=row + 1, column=1, value=report.heading.printed_mark).font = Font(
        name="Times New Roman", italic=True, size=9)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if report.landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    wb.properties.creator = SYSTEM_NAME
    wb.properties.title = report.title
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# ---------------------------------------------------------------- PDF


def pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.pagesizes import landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph
    from reportlab.platypus import SimpleDocTemplate
    from reportlab.platypus import Spacer
    from reportlab.platypus import Table as RLTable
    from reportlab.platypus import TableStyle

    fonts = register_fonts()
    size = landscape(A4) if report.landscape else A4
    margin = 12 * mm
    frame_width = size[0] - 2 * margin - 12
    small = 7 if report.landscape else 8
    cell = ParagraphStyle("cell", fontName=fonts.regular, fontSize=small, leading=small + 2)
    head = ParagraphStyle("head", parent=cell, fontName=fonts.bold, alignment=TA_CENTER)
    story = [
        Paragraph(escape(clean_text(report.heading.agency_name)),
                  ParagraphStyle("agency", fontName=fonts.bold, fontSize=11, leading=14)),
        Paragraph(escape(report.title), ParagraphStyle("title", fontName=fonts.bold, fontSize=14, leading=18,
                                                       alignment=TA_CENTER, spaceBefore=6)),
        Paragraph(escape(report.heading.period), ParagraphStyle("period", fontName=fonts.italic, fontSize=10,
                                                                leading=13, alignment=TA_CENTER)),
        Spacer(1, 4 * mm),
    ]
    for table in report.tables:
        if table.title:
            story.append(Paragraph(escape(table.title), ParagraphStyle(
                "section", fontName=fonts.bold, fontSize=10, leading=13, spaceBefore=4, spaceAfter=3)))
        data, spans = [], []
        for r, header_row in enumerate(table.header):
            line, col = [], 0
            for text, span in header_row:
                line.append(Paragraph(escape(text), head))
                line.extend([""] * (span - 1))
                if span > 1:
                    spans.append(("SPAN", (col, r), (col + span - 1, r)))
                col += span
            data.append(line)
        for i, values in enumerate(table.rows):
            last = table.bold_last and i == len(table.rows) - 1
            style = head if last else cell
            data.append([Paragraph(escape(_text(v)), style) if not isinstance(v, int) or isinstance(v, bool)
                         else Paragraph(f"<para align='right'>{v:,}</para>".replace(",", "."), style)
                         for v in values])
        total = sum(table.widths)
        widths = [frame_width * w / total for w in table.widths]
        rl = RLTable(data, colWidths=widths, repeatRows=len(table.header))
        rl.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("BACKGROUND", (0, 0), (-1, len(table.header) - 1), colors.HexColor("#DDEBF7")),
            *spans,
        ]))
        story.extend([rl, Spacer(1, 4 * mm)])
    for drawing in report.charts:
        scale = min(1.0, frame_width / drawing.width)
        drawing.scale(scale, scale)
        drawing.width, drawing.height = drawing.width * scale, drawing.height * scale
        story.extend([drawing, Spacer(1, 4 * mm)])

    def footer(canvas, doc):
        canvas.saveState()
        canvas.setFont(fonts.italic, 7.5)
        canvas.drawString(margin, 8 * mm, report.heading.printed_mark)
        canvas.drawRightString(size[0] - margin, 8 * mm, f"Trang {canvas.getPageNumber()}")
        canvas.restoreState()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=size, leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=16 * mm, title=report.title,
                            author=clean_text(report.heading.agency_name),
                            creator=SYSTEM_NAME, lang="vi-VN", invariant=True)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buf.getvalue()
