"""XLSX rendering: headers in order, typed dates, every row, print settings."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from register_samples import HEADING, PRINTED_MARK, SAMPLES, bulk_rows

from dongthap.qlvb.registers import REGISTERS, render_xlsx
from dongthap.qlvb.registers.xlsx import FIRST_DATA_ROW, HEADER_ROW


def _sheet(data: bytes):
    wb = load_workbook(io.BytesIO(data))
    assert len(wb.worksheets) == 1
    return wb.worksheets[0]


def _row(ws, number: int) -> list:
    return [c.value for c in ws[number]]


@pytest.mark.parametrize("key", list(REGISTERS))
def test_every_register_reads_back(key, heading):
    register = REGISTERS[key]
    row, _expected = SAMPLES[key]
    ws = _sheet(render_xlsx(key, [row], **heading))
    assert ws["A1"].value == HEADING["agency_name"]
    assert ws["A2"].value == register.title
    assert ws["A3"].value == "Từ ngày 01/01/2025 đến ngày 30/06/2025"
    assert ws["A4"].value == PRINTED_MARK
    assert tuple(_row(ws, HEADER_ROW)) == register.headers
    assert all(c.font.bold for c in ws[HEADER_ROW])
    assert all(c.alignment.wrap_text for c in ws[HEADER_ROW])
    got = dict(zip(register.keys, _row(ws, FIRST_DATA_ROW), strict=True))
    for k, value in row.items():
        if isinstance(value, dt.datetime):
            assert got[k] == value.astimezone(dt.timezone(dt.timedelta(hours=7))).replace(tzinfo=None)
        elif isinstance(value, dt.date):
            assert got[k] == dt.datetime.combine(value, dt.time())
        else:
            assert got[k] == value, k
    assert ws.max_row == FIRST_DATA_ROW


def test_dates_are_typed_with_vietnamese_format(heading):
    row, _ = SAMPLES["incoming"]
    ws = _sheet(render_xlsx("incoming", [row], **heading))
    cells = dict(zip(REGISTERS["incoming"].keys, ws[FIRST_DATA_ROW], strict=True))
    issued = cells["issued_date"]
    assert issued.is_date and issued.number_format == "dd/mm/yyyy"
    assert issued.value.date() == dt.date(2025, 3, 3)
    arrival = cells["arrival_date"]  # 02:15 UTC = 09:15 in Vietnam
    assert arrival.is_date and arrival.number_format == "dd/mm/yyyy hh:mm"
    assert arrival.value == dt.datetime(2025, 3, 4, 9, 15)
    assert cells["arrival_number"].value == 125 and cells["arrival_number"].data_type == "n"
    assert cells["subject"].alignment.wrap_text


def test_every_row_is_written(heading):
    rows = bulk_rows("outgoing", 1000)
    ws = _sheet(render_xlsx("outgoing", rows, **heading))
    keys = REGISTERS["outgoing"].keys
    got = [dict(zip(keys, values, strict=True))
           for values in ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True)]
    assert len(got) == 1000
    for want, have in zip(rows, got, strict=True):
        assert have["notation"] == want["notation"]
        assert have["issued_date"].date() == want["issued_date"]
        assert have["copies"] == want["copies"]
        assert have["subject"] == want["subject"]


def test_print_and_view_settings(heading):
    ws = _sheet(render_xlsx("incoming_tracking", bulk_rows("incoming_tracking", 5), **heading))
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert ws.print_title_rows.replace("$", "") == f"{HEADER_ROW}:{HEADER_ROW}"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert "Trang &P/&N" in ws.oddFooter.right.text
    assert "In từ Hệ thống quản lý văn bản và điều hành" in ws.oddFooter.left.text
    widths = [ws.column_dimensions[c].width for c in "ABCDEFG"]
    assert all(w and w > 5 for w in widths)
    assert widths[1] > widths[0]  # the document column is wider than "Số đến"


def test_empty_register_says_so(heading):
    ws = _sheet(render_xlsx("dossier_documents", [], **heading))
    assert tuple(_row(ws, HEADER_ROW)) == REGISTERS["dossier_documents"].headers
    assert ws.cell(FIRST_DATA_ROW, 1).value == "Không có văn bản trong khoảng thời gian này"


def test_text_is_never_a_formula(heading):
    rows = [{"subject": "=HYPERLINK(\"http://evil\",\"x\")", "note": "+1"}]
    ws = _sheet(render_xlsx("incoming", rows, **heading))
    cells = dict(zip(REGISTERS["incoming"].keys, ws[FIRST_DATA_ROW], strict=True))
    assert cells["subject"].data_type == "s"
    assert cells["subject"].value == "=HYPERLINK(\"http://evil\",\"x\")"


def test_control_characters_are_dropped(heading):
    ws = _sheet(render_xlsx("incoming", [{"subject": "Công\x00 văn\x0b\r\nsố 1\tmới"}], **heading))
    cells = dict(zip(REGISTERS["incoming"].keys, ws[FIRST_DATA_ROW], strict=True))
    assert cells["subject"].value == "Công văn\nsố 1 mới"
