"""The text of .docx, .odt and .xlsx files, read safely (search/office.py)."""

from dongthap.qlvb.search import office
from tests.search import office_files

import pytest

LINES = ["Kế hoạch ứng dụng chữ ký số năm 2027", "Ủy ban nhân dân huyện Tháp Mười đề nghị phối hợp"]


def test_docx_text_with_runs_and_header():
    text = office.office_text(office_files.docx(LINES, header="SỞ THÔNG TIN VÀ TRUYỀN THÔNG"), "docx")
    assert text.splitlines()[0] == LINES[0]
    assert LINES[1] in text and "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in text


def test_odt_text_keeps_spaces_and_spans():
    text = office.office_text(office_files.odt(LINES), "odt")
    assert text.splitlines() == ["Tiêu đề", *LINES]


def test_xlsx_text_of_strings_and_numbers():
    data = office_files.xlsx([["Đơn vị", "Số văn bản"], ["Phòng Nội vụ huyện Lai Vung", 125]])
    text = office.office_text(data, "xlsx")
    assert "Phòng Nội vụ huyện Lai Vung" in text and "Số văn bản" in text and "125" in text


def test_kind_from_type_or_name():
    assert office.kind_of(office.DOCX, "x.bin") == "docx"
    assert office.kind_of("application/octet-stream", "Bang-ke.XLSX") == "xlsx"
    assert office.kind_of("", "bao-cao.odt") == "odt"
    assert office.kind_of("image/png", "anh.png") is None


@pytest.mark.parametrize("data", [office_files.bomb(), office_files.with_entities(), b"not a zip"],
                         ids=["zip-bomb", "entities", "not-zip"])
def test_hostile_files_are_refused(data):
    with pytest.raises(office.OfficeError):
        office.office_text(data, "docx")
