"""Value formatting and line wrapping."""

from __future__ import annotations

import datetime as dt

from dongthap.qlvb.registers.fonts import register_fonts
from dongthap.qlvb.registers.formatting import Heading, format_date, format_datetime, format_value
from dongthap.qlvb.registers.wrap import Wrapper


def test_dates_are_day_month_year():
    assert format_date(dt.date(2025, 1, 5)) == "05/01/2025"
    assert format_value(dt.date(2025, 1, 5)) == "05/01/2025"
    assert format_value(dt.datetime(2025, 1, 5, 7, 3)) == "05/01/2025 07:03"


def test_aware_datetimes_move_to_vietnam_time():
    utc = dt.datetime(2025, 12, 31, 17, 0, tzinfo=dt.UTC)
    assert format_datetime(utc) == "01/01/2026 00:00"
    assert format_date(utc) == "01/01/2026"


def test_values():
    assert format_value(None) == ""
    assert format_value(7) == "7"
    assert format_value("a\r\nb\rc") == "a\nb\nc"


def test_heading_texts():
    heading = Heading("UBND", dt.date(2025, 1, 1), dt.date(2025, 3, 31),
                      dt.datetime(2025, 4, 1, 8, 0), "Lê Văn A")
    assert heading.period == "Từ ngày 01/01/2025 đến ngày 31/03/2025"
    assert heading.printed_mark == "In từ Hệ thống quản lý văn bản và điều hành — 01/04/2025 08:00 — Lê Văn A"


def test_wrapper_keeps_words_and_hard_breaks():
    fonts = register_fonts()
    wrapper = Wrapper(fonts.regular, 9)
    text = "Quyết định về việc phê duyệt kế hoạch thượng khẩn " * 5
    lines = wrapper.wrap(text, 120)
    assert len(lines) > 3
    assert all(wrapper.width(line) <= 120 for line in lines)
    assert " ".join(lines) == " ".join(text.split())
    assert wrapper.wrap("một\nhai", 500) == ["một", "hai"]
    assert wrapper.wrap("", 100) == [""]


def test_wrapper_breaks_overlong_words():
    fonts = register_fonts()
    wrapper = Wrapper(fonts.regular, 9)
    lines = wrapper.wrap("Đ" * 100, 40)
    assert "".join(lines) == "Đ" * 100
    assert all(wrapper.width(line) <= 40 for line in lines)
