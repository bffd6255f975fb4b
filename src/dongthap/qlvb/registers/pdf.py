"""PDF rendering of a register: A4 landscape, Noto Serif, repeated header row.

Layout: agency name, title in capitals and the period on page 1; then one
long table whose header row repeats on every page; on every page a footer with
the printout mark (Phụ lục VI) on the left and ``Trang x/y`` on the right.

The table itself, paginated page by page, comes from :mod:`.pdftable`.
"""

from __future__ import annotations

import functools
import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from .columns import Register
from .fonts import Fonts, register_fonts
from .formatting import NATIONAL_MOTTO, NATIONAL_NAME, PAGE_TEXT, SYSTEM_NAME, Heading, clean_text
from .pdftable import FONT_SIZE, page_tables
from .wrap import Wrapper

PAGE_SIZE = landscape(A4)
MARGIN_X = 12 * mm
MARGIN_TOP = 12 * mm
MARGIN_BOTTOM = 16 * mm
FRAME_PAD = 6  # ReportLab's default Frame padding, inside the margins
FOOTER_SIZE = 7.5


def build_pdf(register: Register, rows: list[tuple], heading: Heading) -> bytes:
    """The PDF bytes of *register* with validated *rows* (tuples in column order)."""
    fonts = register_fonts()
    frame_width = PAGE_SIZE[0] - 2 * MARGIN_X - 2 * FRAME_PAD
    frame_height = PAGE_SIZE[1] - MARGIN_TOP - MARGIN_BOTTOM - 2 * FRAME_PAD
    col_widths = _column_widths(register, frame_width)
    title_block = _title_block(register, heading, fonts)
    title_height = sum(f.wrap(frame_width, frame_height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                       for f in title_block)
    tables = page_tables(register, rows, fonts, col_widths, frame_height - title_height, frame_height)

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=PAGE_SIZE,
        leftMargin=MARGIN_X, rightMargin=MARGIN_X, topMargin=MARGIN_TOP, bottomMargin=MARGIN_BOTTOM,
        title=register.title, author=clean_text(heading.agency_name), subject=heading.period,
        creator=SYSTEM_NAME, lang="vi-VN", invariant=True,
        initialFontName=fonts.regular, initialFontSize=FONT_SIZE,
    )
    canvasmaker = functools.partial(_FooterCanvas, footer=heading.printed_mark, fonts=fonts)
    doc.build([*title_block, *tables], canvasmaker=canvasmaker)
    return buf.getvalue()


def _column_widths(register: Register, total: float) -> list[float]:
    weight = sum(c.width for c in register.columns)
    return [total * c.width / weight for c in register.columns]


def _title_block(register: Register, heading: Heading, fonts: Fonts) -> list:
    agency = ParagraphStyle("agency", fontName=fonts.bold, fontSize=11, leading=14, alignment=TA_LEFT)
    title = ParagraphStyle("title", fontName=fonts.bold, fontSize=15, leading=19, alignment=TA_CENTER,
                           spaceBefore=6, spaceAfter=2)
    period = ParagraphStyle("period", fontName=fonts.italic, fontSize=10.5, leading=14, alignment=TA_CENTER)
    return [
        Paragraph(_markup(heading.agency_name), agency),
        Paragraph(_markup(register.title), title),
        Paragraph(_markup(heading.period), period),
        Spacer(1, 5 * mm),
    ]


class _Rule(Flowable):
    """A solid horizontal line of ``length`` points, centred in the width it is given."""

    def __init__(self, length: float, space_before: float = 3):
        super().__init__()
        self.length = length
        self.space_before = space_before

    def wrap(self, available_width, available_height):
        self.width = available_width
        return available_width, self.space_before + 1

    def draw(self):
        self.canv.setLineWidth(0.6)
        start = (self.width - self.length) / 2
        self.canv.line(start, 0.5, start + self.length, 0.5)


def national_heading(fonts: Fonts, agency_name: str, width: float, parent_name: str | None = None) -> Table:
    """The top of a document drawn up by NĐ 30/2020/NĐ-CP (Phụ lục I), as a two-column table ``width``
    wide: on the left the governing agency (``parent_name``, if any) and the agency in capitals, the
    agency in bold over a short rule (about a third of its line); on the right the national name
    (quốc hiệu) and the motto (tiêu ngữ) in bold, the motto over a rule as long as it is."""
    size = 12
    plain = ParagraphStyle("nd30", fontName=fonts.regular, fontSize=size, leading=size * 1.25,
                           alignment=TA_CENTER)
    bold = ParagraphStyle("nd30b", parent=plain, fontName=fonts.bold)
    motto = ParagraphStyle("nd30m", parent=bold, fontSize=size + 1, leading=(size + 1) * 1.25)
    left_width, right_width = width * 0.42, width * 0.58
    pad = 2 * FRAME_PAD
    agency = clean_text(agency_name).upper()
    agency_line = min(stringWidth(agency, fonts.bold, size), left_width - pad)
    left = ([Paragraph(_markup(clean_text(parent_name).upper()), plain)] if parent_name else []) + [
        Paragraph(_markup(agency), bold), _Rule(agency_line / 3)]
    right = [Paragraph(NATIONAL_NAME, bold), Paragraph(NATIONAL_MOTTO, motto),
             _Rule(stringWidth(NATIONAL_MOTTO, fonts.bold, size + 1))]
    table = Table([[left, right]], colWidths=[left_width, right_width], hAlign="CENTER")
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), FRAME_PAD),
                               ("RIGHTPADDING", (0, 0), (-1, -1), FRAME_PAD)]))
    return table


def _markup(text: str) -> str:
    return escape(clean_text(text)).replace("\n", "<br/>")


class _FooterCanvas(Canvas):
    """A canvas that holds pages back until the end to print ``Trang x/y``."""

    def __init__(self, *args, footer: str, fonts: Fonts, **kwargs):
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._fonts = fonts
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (ReportLab API)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int):
        width, _height = PAGE_SIZE
        y = MARGIN_BOTTOM - 8 * mm
        page_text = PAGE_TEXT.format(page=number, pages=total)
        self.saveState()
        self.setStrokeColor(colors.black)
        self.setLineWidth(0.3)
        self.line(MARGIN_X, y + FOOTER_SIZE + 3, width - MARGIN_X, y + FOOTER_SIZE + 3)
        self.setFont(self._fonts.regular, FOOTER_SIZE)
        self.drawRightString(width - MARGIN_X, y, page_text)
        room = width - 2 * MARGIN_X - self.stringWidth(page_text) - 6 * mm
        lines = Wrapper(self._fonts.italic, FOOTER_SIZE).wrap(self._footer, room)
        self.setFont(self._fonts.italic, FOOTER_SIZE)
        for i, line in enumerate(lines[:2]):
            self.drawString(MARGIN_X, y - i * (FOOTER_SIZE + 1.5), line)
        self.restoreState()
