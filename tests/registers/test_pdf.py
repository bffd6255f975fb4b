"""PDF rendering: legal headers, Vietnamese text, dates, pages, printout mark."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

import pytest
from register_samples import HEADING, PRINTED_MARK, SAMPLES, bulk_rows

from dongthap.qlvb.registers import REGISTERS, render_pdf

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.mark.parametrize("key", list(REGISTERS))
def test_every_register_renders_headers_and_values(key, heading, pdf_text):
    register = REGISTERS[key]
    row, expected = SAMPLES[key]
    data = render_pdf(key, [row], **heading)
    assert data.startswith(b"%PDF-")
    text = pdf_text(data)
    assert register.title in text
    assert register.title == register.title.upper()
    assert HEADING["agency_name"] in text
    assert "Từ ngày 01/01/2025 đến ngày 30/06/2025" in text
    for header in register.headers:
        assert header in text, header
    for value in expected:
        assert value in text, value
    assert PRINTED_MARK in text
    assert "Trang 1/1" in text
    assert not ISO_DATE.search(text)


def test_headers_appear_in_column_order(heading, pdf_text):
    text = pdf_text(render_pdf("outgoing", [], **heading))
    positions = [text.index(h) for h in REGISTERS["outgoing"].headers]
    assert positions == sorted(positions)


def test_diacritics_survive(heading, pdf_text):
    row = {"author": "Ủy ban nhân dân tỉnh Đồng Tháp", "note": "thượng khẩn; HỎA TỐC; ỡ ự ễ ặ ổ"}
    text = pdf_text(render_pdf("incoming", [row], **heading))
    for word in ("Ủy ban", "Đồng Tháp", "thượng khẩn", "HỎA TỐC", "ỡ ự ễ ặ ổ"):
        assert word in text


def test_decomposed_input_is_printed_precomposed(heading, pdf_text):
    nfd = unicodedata.normalize("NFD", "Công văn thượng khẩn")
    assert nfd != "Công văn thượng khẩn"
    text = pdf_text(render_pdf("incoming", [{"subject": nfd}], **heading))
    assert "Công văn thượng khẩn" in text


def test_datetimes_are_vietnam_time(heading, pdf_text):
    rows = [
        {"arrival_date": dt.datetime(2025, 12, 31, 20, 30, tzinfo=dt.UTC)},  # next day in Vietnam
        {"arrival_date": dt.datetime(2025, 5, 2, 7, 45)},  # naive = Vietnam time already
    ]
    text = pdf_text(render_pdf("incoming", rows, **heading))
    assert "01/01/2026 03:30" in text
    assert "02/05/2025 07:45" in text


def test_300_rows_repeat_the_header_and_number_pages(heading, pdf_text, pdf_pages):
    rows = bulk_rows("incoming", 300)
    data = render_pdf("incoming", rows, **heading)
    pages = pdf_pages(data)
    assert pages > 5
    for page in range(1, pages + 1):
        text = pdf_text(data, page)
        for header in REGISTERS["incoming"].headers:
            assert header in text, (page, header)
        assert f"Trang {page}/{pages}" in text
        assert PRINTED_MARK in text
    everything = pdf_text(data)
    for i in (1, 99, 150, 300):
        assert f"{i:02d}/QĐ-UBND" in everything
    assert everything.count("/QĐ-UBND") == 300


def test_a_record_taller_than_a_page_is_split_not_lost(heading, pdf_text, pdf_pages):
    words = [f"đoạn{i}" for i in range(1200)]
    data = render_pdf("incoming", [{"arrival_number": 1, "subject": " ".join(words)}], **heading)
    assert pdf_pages(data) > 1
    text = pdf_text(data)
    assert " ".join(words[:50]) in text
    assert all(word in text for word in words)


def test_long_unbreakable_words_wrap_inside_the_cell(heading, pdf_text):
    data = render_pdf("incoming", [{"notation": "X" * 200}], **heading)
    assert pdf_text(data).replace(" ", "").count("X") == 200


def test_empty_register_says_so(heading, pdf_text):
    text = pdf_text(render_pdf("outgoing_report", [], **heading))
    assert "Không có văn bản trong khoảng thời gian này" in text
    assert "Trang 1/1" in text
    for header in REGISTERS["outgoing_report"].headers:
        assert header in text


def test_noto_serif_is_embedded_and_nothing_else(heading, pdf_fonts):
    table = pdf_fonts(render_pdf("incoming", [SAMPLES["incoming"][0]], **heading))
    fonts = table.splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "NotoSerif" in line and " yes yes yes " in line, line


def test_printed_by_is_optional(heading, pdf_text):
    heading["printed_by"] = None
    text = pdf_text(render_pdf("dossiers", [], **heading))
    assert "In từ Hệ thống quản lý văn bản và điều hành — 01/07/2025 09:05" in text


def test_output_is_deterministic(heading):
    row = SAMPLES["outgoing"][0]
    assert render_pdf("outgoing", [row], **heading) == render_pdf("outgoing", [row], **heading)


def test_markup_in_values_is_printed_literally(heading, pdf_text):
    heading["agency_name"] = "Sở Khoa học & Công nghệ <b>"
    text = pdf_text(render_pdf("incoming", [{"subject": "a < b & <i>c</i>"}], **heading))
    assert "Sở Khoa học & Công nghệ <b>" in text
    assert "a < b & <i>c</i>" in text
