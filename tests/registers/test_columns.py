"""The legal column sets, input validation and translations."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from register_samples import SAMPLES

from dongthap.qlvb.registers import (
    REGISTERS,
    InvalidPeriodError,
    InvalidValueError,
    RegisterError,
    UnknownColumnError,
    UnknownRegisterError,
    get_register,
    render_pdf,
    render_xlsx,
)

LEGAL_HEADERS = {
    "incoming": ("Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu",
                 "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"),
    "incoming_tracking": ("Số đến", "Tên loại, số, ký hiệu, ngày, cơ quan ban hành",
                          "Đơn vị hoặc người nhận", "Thời hạn giải quyết", "Tiến độ giải quyết",
                          "Số, ký hiệu văn bản trả lời", "Ghi chú"),
    "outgoing": ("Số, ký hiệu", "Ngày tháng", "Tên loại và trích yếu", "Người ký", "Nơi nhận",
                 "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận", "Ghi chú"),
    "outgoing_report": ("Số, ký hiệu", "Ngày tháng", "Trích yếu", "Nơi nhận", "Hạn trả lời",
                        "Tình trạng", "Ghi chú"),
    "dossier_documents": ("STT", "Số, ký hiệu", "Ngày", "Tên loại và trích yếu", "Tác giả", "Tờ/Trang",
                          "Ghi chú"),
    "dossiers": ("Số TT", "Số, ký hiệu hồ sơ", "Tiêu đề", "Thời gian tài liệu", "Thời hạn bảo quản",
                 "Số tờ/trang", "Ghi chú"),
    "copies": ("Số, ký hiệu bản sao", "Ngày sao", "Hình thức sao",
               "Văn bản được sao (số, ký hiệu, cơ quan ban hành, trích yếu)", "Trang trích sao",
               "Loại bản sao", "Người ký", "Nơi nhận", "Ghi chú"),
}
PO = Path(__file__).resolve().parents[2] / "src/dongthap/qlvb/locales/vi/LC_MESSAGES/dongthap.qlvb.po"
SRC = Path(__file__).resolve().parents[2] / "src/dongthap/qlvb/registers"
KW = {"agency_name": "UBND", "period_from": dt.date(2025, 1, 1), "period_to": dt.date(2025, 12, 31)}
RENDERERS = [render_pdf, render_xlsx]


def test_the_six_outputs_have_the_legal_columns():
    assert {k: r.headers for k, r in REGISTERS.items()} == LEGAL_HEADERS
    assert [r.basis for r in REGISTERS.values()].count("practice") == 2
    assert REGISTERS["outgoing_report"].basis == "practice" and REGISTERS["copies"].basis == "practice"


@pytest.mark.parametrize("register", list(REGISTERS.values()), ids=list(REGISTERS))
def test_register_definitions_are_sane(register):
    assert len(set(register.keys)) == len(register.keys)
    assert all(re.fullmatch(r"[a-z_]+", k) for k in register.keys)
    assert len(register.sheet_name) <= 31 and not set(register.sheet_name) & set("[]:*?/\\")
    assert register.title == register.title.upper()
    assert set(SAMPLES[register.key][0]) <= set(register.keys)
    assert register.label.default


@pytest.mark.parametrize("render", RENDERERS)
def test_unknown_register_is_a_value_error(render):
    with pytest.raises(ValueError, match="nope") as info:
        render("nope", [], **KW)
    assert isinstance(info.value, UnknownRegisterError)
    assert info.value.message.mapping["key"] == "nope"
    with pytest.raises(UnknownRegisterError):
        get_register(None)


@pytest.mark.parametrize("render", RENDERERS)
def test_unknown_column_is_rejected(render):
    with pytest.raises(UnknownColumnError, match="subjct"):
        render("incoming", [{"subject": "x"}, {"subjct": "typo"}], **KW)


@pytest.mark.parametrize("render", RENDERERS)
@pytest.mark.parametrize("value", [1.5, True, b"bytes", ["list"], dt.time(8, 0)])
def test_unprintable_values_are_rejected(render, value):
    with pytest.raises(InvalidValueError, match="note"):
        render("incoming", [{"note": value}], **KW)


@pytest.mark.parametrize("render", RENDERERS)
def test_period_must_not_end_before_it_starts(render):
    with pytest.raises(InvalidPeriodError, match="31/12/2025"):
        render("incoming", [], agency_name="UBND", period_from=dt.date(2025, 12, 31),
               period_to=dt.date(2025, 1, 1))


def test_rows_may_be_any_iterable_and_missing_keys_are_blank():
    rows = ({"arrival_number": i} for i in range(3))
    assert render_pdf("incoming", rows, **KW).startswith(b"%PDF")


def test_every_msgid_is_translated():
    source = "\n".join(p.read_text("utf-8") for p in SRC.glob("*.py"))
    used = set(re.findall(r'"(registers_[a-z_]+)"', source))
    po = PO.read_text("utf-8")
    entries = dict(re.findall(r'^msgid "(.+)"\nmsgstr "(.*)"$', po, re.M))
    assert used and used <= set(entries)
    assert all(entries[m] for m in used)
    assert issubclass(RegisterError, ValueError)
