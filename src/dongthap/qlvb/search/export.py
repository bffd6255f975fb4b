"""Search results printed like a register (XLSX, PDF) with the printout mark
"In từ Hệ thống quản lý văn bản và điều hành": the register renderers of
:mod:`dongthap.qlvb.registers`, fed a register made of the chosen columns; DOCX (python-docx)
for a clerk who edits the list into a report: landscape A4, Times New Roman, the same heading,
a table of the chosen columns, the printout mark under it and in the page footer."""

from dongthap.qlvb.registers.columns import Column
from dongthap.qlvb.registers.columns import Register
from dongthap.qlvb.registers.formatting import Heading
from dongthap.qlvb.registers.formatting import VIETNAM_TZ
from dongthap.qlvb.search.api import COLUMNS
from zope.i18n import translate

import datetime

TITLE = "KẾT QUẢ TÌM KIẾM VĂN BẢN"
WIDTHS = {"title": 4.0, "issuer": 2.5, "number": 1.6}


def register_of(columns, request):
    cols = [Column("stt", "STT", 0.5, "CENTER")]
    cols += [Column(key, translate(COLUMNS[key], context=request), WIDTHS.get(key, 1.3)) for key in columns]
    return Register(key="search", title=TITLE, sheet_name="Ket qua tim kiem", columns=tuple(cols),
                    basis="", label=TITLE)


def render(fmt, rows, columns, request, agency_name, printed_by=None):
    from dongthap.qlvb.registers.pdf import build_pdf
    from dongthap.qlvb.registers.xlsx import build_xlsx

    register = register_of(columns, request)
    values = [(str(number), *(str(row.get(key) or "") for key in columns))
              for number, row in enumerate(rows, 1)]
    now = datetime.datetime.now(VIETNAM_TZ)
    heading = Heading(agency_name=agency_name, period_from=now.date(), period_to=now.date(),
                      printed_at=now, printed_by=printed_by)
    if fmt == "docx":
        return build_docx(register, values, heading)
    return (build_pdf if fmt == "pdf" else build_xlsx)(register, values, heading)


def build_docx(register, values, heading):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm
    from docx.shared import Pt
    from dongthap.qlvb.registers.formatting import clean_text

    import io

    document = Document()
    document.core_properties.title = register.title
    document.core_properties.subject = heading.printed_mark
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(11)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    agency = document.add_paragraph()
    agency.add_run(clean_text(heading.agency_name).upper()).bold = True
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(register.title)
    run.bold, run.font.size = True, Pt(14)
    table = document.add_table(rows=1, cols=len(register.columns))
    table.style = "Table Grid"
    total = sum(c.width for c in register.columns) or 1
    for cell, column in zip(table.rows[0].cells, register.columns, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(column.header).bold = True
        cell.width = Cm(26.7 * column.width / total)
    for row in values:
        cells = table.add_row().cells
        for cell, value, column in zip(cells, row, register.columns, strict=True):
            cell.text = clean_text(value)
            cell.width = Cm(26.7 * column.width / total)
    mark = document.add_paragraph()
    mark.add_run(heading.printed_mark).italic = True
    footer = section.footer.paragraphs[0]
    footer.add_run(heading.printed_mark).font.size = Pt(8)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
