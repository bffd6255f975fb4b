"""Search results printed like a register (XLSX, PDF) with the printout mark
"In từ Hệ thống quản lý văn bản và điều hành": the register renderers of
:mod:`dongthap.qlvb.registers`, fed a register made of the chosen columns."""

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
    return (build_pdf if fmt == "pdf" else build_xlsx)(register, values, heading)
