"""The register table of the PDF, paginated by us: one small table per page.

Cells are plain multi-line strings wrapped by :mod:`.wrap` (much faster than
``Paragraph`` for thousands of rows), so every row's height is known exactly
(lines × leading + padding).  We therefore cut the rows into pages ourselves
and emit one ``Table`` per page, each starting with the header row: this keeps
rendering linear in the number of rows (letting ReportLab split one huge table
re-processes the remaining rows at every page break).  A record too tall for a
page is cut into several table rows with no rule between them.  The tables
still carry ``repeatRows=1``, so if ReportLab ever has to split one, the header
is repeated anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.platypus import LongTable, PageBreak

from .columns import CENTER, Register
from .fonts import Fonts
from .formatting import EMPTY_TEXT, format_value
from .wrap import Wrapper

FONT_SIZE = 9
LEADING = 11.5
PAD_X = 3
PAD_TOP = 2
PAD_BOTTOM = 3.5
EMPTY_PAD = 8
HEADER_FILL = colors.Color(0.9, 0.9, 0.9)
RULE = 0.5
SLACK = 3  # points kept free on each page against rounding


@dataclass
class _Row:
    cells: list[str]
    height: float
    ends_record: bool


def page_tables(register: Register, rows: list[tuple], fonts: Fonts, col_widths: list[float],
                first_page_room: float, page_room: float) -> list:
    """Flowables: one table per page (header row first) separated by page breaks."""
    inner = [w - 2 * PAD_X for w in col_widths]
    bold = Wrapper(fonts.bold, FONT_SIZE)
    header = ["\n".join(bold.wrap(c.header, w)) for c, w in zip(register.columns, inner, strict=True)]
    header_height = _height(max(h.count("\n") + 1 for h in header))
    max_lines = max(1, int((page_room - header_height - SLACK - PAD_TOP - PAD_BOTTOM) // LEADING))

    if not rows:
        return [_table(register, fonts, col_widths, header, [], empty=True)]
    flow: list = []
    room = first_page_room
    page: list[_Row] = []
    used = header_height
    for row in _rows(rows, inner, fonts, max_lines):
        if page and used + row.height > room - SLACK:
            flow += [_table(register, fonts, col_widths, header, page), PageBreak()]
            page, used, room = [], header_height, page_room
        page.append(row)
        used += row.height
    flow.append(_table(register, fonts, col_widths, header, page))
    return flow


def _height(lines: int) -> float:
    return lines * LEADING + PAD_TOP + PAD_BOTTOM


def _rows(rows: list[tuple], inner: list[float], fonts: Fonts, max_lines: int):
    """Wrapped rows, records taller than *max_lines* cut into several rows."""
    regular = Wrapper(fonts.regular, FONT_SIZE)
    for row in rows:
        cells = [regular.wrap(format_value(v), w) for v, w in zip(row, inner, strict=True)]
        lines = max(len(c) for c in cells)
        for start in range(0, lines, max_lines):
            chunk = ["\n".join(c[start:start + max_lines]) for c in cells]
            yield _Row(chunk, _height(min(max_lines, lines - start)), start + max_lines >= lines)


def _table(register: Register, fonts: Fonts, col_widths: list[float], header: list[str],
           rows: list[_Row], empty: bool = False) -> LongTable:
    data = [header] + [r.cells for r in rows]
    style = [
        ("FONT", (0, 0), (-1, -1), fonts.regular, FONT_SIZE, LEADING),
        ("FONT", (0, 0), (-1, 0), fonts.bold, FONT_SIZE, LEADING),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
        ("TOPPADDING", (0, 0), (-1, -1), PAD_TOP),
        ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_BOTTOM),
        ("BOX", (0, 0), (-1, -1), RULE, colors.black),
        ("LINEAFTER", (0, 0), (-2, -1), RULE, colors.black),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "CENTER")
              for i, c in enumerate(register.columns) if c.align == CENTER]
    ends = [0] + [i for i, r in enumerate(rows, 1) if r.ends_record]
    style += [("LINEBELOW", (0, a), (-1, b), RULE, colors.black) for a, b in _runs(ends)]
    if empty:
        data.append([EMPTY_TEXT] + [""] * (len(col_widths) - 1))
        style += [("SPAN", (0, 1), (-1, 1)), ("ALIGN", (0, 1), (-1, 1), "CENTER"),
                  ("FONT", (0, 1), (-1, 1), fonts.italic, FONT_SIZE, LEADING),
                  ("TOPPADDING", (0, 1), (-1, 1), EMPTY_PAD), ("BOTTOMPADDING", (0, 1), (-1, 1), EMPTY_PAD)]
    return LongTable(data, colWidths=col_widths, repeatRows=1, style=style)


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Consecutive runs of sorted *indices* as (first, last) pairs."""
    runs: list[tuple[int, int]] = []
    for i in indices:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs
