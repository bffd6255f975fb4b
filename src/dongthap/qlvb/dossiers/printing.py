"""The records schedule (danh mục hồ sơ) as PDF and XLSX, with the register renderer.

Columns of the form of NĐ 30 (Phụ lục V): Số và ký hiệu hồ sơ · Tên đề mục và tiêu
đề hồ sơ · Thời hạn bảo quản · Đơn vị/người lập hồ sơ · Ghi chú. Headings are rows
of their own (number in the first column, title in the second); the totals by
retention follow the last entry, as on the printed form.
"""

from dongthap.qlvb.agencies.departments import department as get_department
from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.columns import CENTER
from dongthap.qlvb.registers.columns import Column
from dongthap.qlvb.registers.columns import Register
from dongthap.qlvb.registers.formatting import clean_text
from dongthap.qlvb.registers.formatting import Heading
from dongthap.qlvb.registers.formatting import VIETNAM_TZ
from dongthap.qlvb.registers.pdf import build_pdf
from dongthap.qlvb.registers.xlsx import build_xlsx
from plone import api

import datetime

SCHEDULE = Register(
    key="records_schedule",
    title="DANH MỤC HỒ SƠ",
    sheet_name="Danh mục hồ sơ",
    basis="law",
    label=_("registers_label_records_schedule", default="Records schedule"),
    columns=(
        Column("notation", "Số và ký hiệu hồ sơ", 26, CENTER),
        Column("title", "Tên đề mục và tiêu đề hồ sơ", 110),
        Column("retention", "Thời hạn bảo quản", 26, CENTER),
        Column("responsible", "Đơn vị/người lập hồ sơ", 45),
        Column("note", "Ghi chú", 40),
    ),
)

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class Download:
    """A file answer of a service or a view (instead of JSON or HTML)."""

    def __init__(self, data, content_type, filename):
        self.data = data
        self.content_type = content_type
        self.filename = filename

    def publish(self, response):
        response.setHeader("Content-Type", self.content_type)
        response.setHeader("Content-Disposition", f'attachment; filename="{self.filename}"')
        response.setHeader("Content-Length", str(len(self.data)))
        response.setHeader("Cache-Control", "private, no-store")
        return self.data


def schedule_rows(agency, schedule):
    """Tuples in column order: headings, entries, then the totals by retention."""
    rows = []
    for row in schedule["rows"]:
        if row["kind"] == "heading":
            rows.append((row["number"], row["title"].upper(), None, None, None))
            continue
        dept = get_department(agency, row["unit"]) if row["unit"] else None
        responsible = ", ".join(p for p in ((dept.title if dept is not None else row["unit"]),
                                            row["person"]) if p)
        rows.append((row["notation"], row["title"], dossiers.retention_title(row["retention"]),
                     responsible or None, row["note"] or None))
    totals = dossiers.schedule_totals(schedule)
    rows.append((None, f"Tổng số: {sum(totals.values())} hồ sơ", None, None, None))
    for retention, count in totals.items():
        rows.append((None, f"Trong đó: {count} hồ sơ {dossiers.retention_title(retention).lower()}",
                     dossiers.retention_title(retention), None, None))
    return [tuple(clean_text(v) if isinstance(v, str) else v for v in r) for r in rows]


def schedule_file(agency, schedule, fmt, *, printed_by=None):
    """A :class:`Download` of the schedule (``fmt``: pdf or xlsx)."""
    if printed_by is None:
        user = api.user.get_current()
        printed_by = user.getProperty("fullname", None) or user.getUserName()
    year = schedule["year"]
    state = "" if schedule["state"] == "approved" else " (DỰ THẢO)"
    register = Register(key=SCHEDULE.key, title=f"{SCHEDULE.title} NĂM {year}{state}",
                        sheet_name=SCHEDULE.sheet_name, basis=SCHEDULE.basis, label=SCHEDULE.label,
                        columns=SCHEDULE.columns)
    heading = Heading(agency_name=agency.title, period_from=datetime.date(year, 1, 1),
                      period_to=datetime.date(year, 12, 31),
                      printed_at=datetime.datetime.now(VIETNAM_TZ), printed_by=printed_by)
    build = build_pdf if fmt == "pdf" else build_xlsx
    data = build(register, schedule_rows(agency, schedule), heading)
    return Download(data, CONTENT_TYPES[fmt], f"danh-muc-ho-so-{year}.{fmt}")
