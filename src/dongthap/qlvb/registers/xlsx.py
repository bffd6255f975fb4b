"""XLSX rendering of a register (openpyxl, write-only mode for large registers).

One sheet: agency, title, period and the printout mark in rows 1–4, the
column headers in row :data:`HEADER_ROW` (bold, wrapped, frozen, repeated on
every printed page), then one row per record.  Dates are real Excel dates
formatted ``dd/mm/yyyy`` (date-times ``dd/mm/yyyy hh:mm``, Vietnam time);
text is always stored as text, never as a formula.  The sheet prints A4
landscape, one page wide, with "Trang &P/&N" and the printout mark in the
page footer.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .columns import CENTER, Register
from .formatting import EMPTY_TEXT, PAGE_TEXT, SYSTEM_NAME, Heading, clean_text, to_vietnam_time

HEADER_ROW = 6
FIRST_DATA_ROW = HEADER_ROW + 1
FONT_NAME = "Times New Roman"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
MAX_CELL_TEXT = 32_767  # Excel's limit per cell
TOTAL_WIDTH = 170  # characters across all columns

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def build_xlsx(register: Register, rows: list[tuple], heading: Heading) -> bytes:
    """The XLSX bytes of *register* with validated *rows* (tuples in column order)."""
    wb = Workbook(write_only=True)
    wb.properties.title = register.title
    wb.properties.creator = SYSTEM_NAME
    wb.properties.subject = heading.period
    ws = wb.create_sheet(register.sheet_name)
    ncols = len(register.columns)
    _setup_sheet(ws, register, heading)

    ws.append([_cell(ws, clean_text(heading.agency_name), Font(name=FONT_NAME, size=12, bold=True))])
    for text, font in ((register.title, Font(name=FONT_NAME, size=14, bold=True)),
                       (heading.period, Font(name=FONT_NAME, size=12, italic=True)),
                       (heading.printed_mark, Font(name=FONT_NAME, size=9, italic=True))):
        ws.append([_cell(ws, text, font, Alignment(horizontal="center"))])
    for row in range(2, 5):
        ws.merged_cells.add(f"A{row}:{get_column_letter(ncols)}{row}")
    ws.append([])

    header_font = Font(name=FONT_NAME, size=11, bold=True)
    header_align = Alignment(horizontal="center", vertical="center", wrap_text=True)
    header_fill = PatternFill("solid", fgColor="E6E6E6")
    ws.append([_cell(ws, c.header, header_font, header_align, fill=header_fill, border=_BORDER)
               for c in register.columns])

    writer = _RowWriter(wb, ws, register)
    for values in rows:
        ws.append(writer.cells(values))
    if not rows:
        ws.append([_cell(ws, EMPTY_TEXT, Font(name=FONT_NAME, size=11, italic=True),
                         Alignment(horizontal="center"))])
        ws.merged_cells.add(f"A{FIRST_DATA_ROW}:{get_column_letter(ncols)}{FIRST_DATA_ROW}")

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _setup_sheet(ws, register: Register, heading: Heading) -> None:
    """Column widths, frozen header, print settings (before any row is written)."""
    weight = sum(c.width for c in register.columns)
    for i, column in enumerate(register.columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = round(TOTAL_WIDTH * column.width / weight, 1)
    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = heading.printed_mark.replace("&", "&&")
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = PAGE_TEXT.format(page="&P", pages="&N")
    ws.oddFooter.right.size = 8


def _cell(ws, value, font=None, alignment=None, *, fill=None, border=None):
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    return cell


class _RowWriter:
    """Turns validated values into styled write-only cells.

    Styling cell by cell (font, border, alignment) costs a style lookup per
    attribute; named styles registered once make a yearly register ~5x faster.
    """

    def __init__(self, wb, ws, register: Register):
        self.ws = ws
        font = Font(name=FONT_NAME, size=11)
        styles = {}
        for align in ("left", "center"):
            for kind, number_format in (("text", "General"), ("date", DATE_FORMAT),
                                        ("datetime", DATETIME_FORMAT)):
                name = f"QLVB {kind} {align}"
                style = NamedStyle(name=name, font=font, border=_BORDER, number_format=number_format,
                                   alignment=Alignment(horizontal=align, vertical="top", wrap_text=True))
                wb.add_named_style(style)
                styles[kind, align] = name
        self.styles = [{kind: styles[kind, "center" if c.align == CENTER else "left"]
                        for kind in ("text", "date", "datetime")} for c in register.columns]

    def cells(self, values: tuple) -> list:
        """One styled cell per column."""
        return [self._cell(value, styles) for value, styles in zip(values, self.styles, strict=True)]

    def _cell(self, value, styles: dict):
        kind = "text"
        if isinstance(value, dt.datetime):
            value = to_vietnam_time(value).replace(tzinfo=None)
            kind = "datetime"
        elif isinstance(value, dt.date):
            kind = "date"
        elif isinstance(value, str):
            value = clean_text(value)[:MAX_CELL_TEXT]
        cell = WriteOnlyCell(self.ws, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, even if the text starts with "="
        cell.style = styles[kind]
        return cell
