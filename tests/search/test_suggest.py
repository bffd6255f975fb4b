"""Suggestions from the first page of an incoming document (search/suggest.py): a generated
NĐ 30 page, as a text PDF and as a 200-dpi scan read by OCR."""

from dongthap.qlvb.search import suggest
from tests.search import nd30_page

import pytest

CONG_VAN = {"code_number": "125", "code_notation": "STTTT-BCVT", "issued_date": "05/12/2026",
            "issuing_agency_name": "Sở thông tin và truyền thông", "document_type": "cong_van",
            "title": "Về việc triển khai ứng dụng chữ ký số trong cơ quan nhà nước năm 2027"}
QUYET_DINH = {"code_number": "8", "code_notation": "QĐ-UBND", "issued_date": "17/11/2026",
              "issuing_agency_name": "Ủy ban nhân dân huyện Lai Vung", "document_type": "quyet_dinh",
              "title": "Về việc thành lập Tổ công tác chuyển đổi số huyện"}


@pytest.mark.parametrize("page, expected",
                         [(nd30_page.CONG_VAN, CONG_VAN), (nd30_page.QUYET_DINH, QUYET_DINH)],
                         ids=["cong-van", "quyet-dinh"])
@pytest.mark.parametrize("scanned", [False, True], ids=["text-pdf", "scan-200dpi"])
def test_suggestions_from_the_first_page(page, expected, scanned):
    pdf = nd30_page.text_pdf(page)
    if scanned:
        pdf = nd30_page.scan_of(pdf, dpi=200)
    text, used_ocr = suggest.first_page_text(pdf)
    assert used_ocr is scanned
    assert suggest.suggest(text, lookup=False) == expected


def test_ocr_reading_both_columns_on_one_line():
    text = ("UBND TỈNH ĐỒNG THÁP CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
            "SỞ TÀI CHÍNH Độc lập - Tự do - Hạnh phúc\n\n"
            "Số: 012/STC-NS Đồng Tháp, ngày 5 tháng 1 năm 2027\n"
            "V/v quyết toán ngân sách\n\nKính gửi: các đơn vị")
    assert suggest.suggest(text, lookup=False) == {
        "code_number": "12", "code_notation": "STC-NS", "issued_date": "05/01/2027",
        "issuing_agency_name": "Sở tài chính", "document_type": "cong_van",
        "title": "Về việc quyết toán ngân sách"}


def test_nothing_is_invented():
    assert suggest.suggest("Biên nhận hồ sơ\nông Nguyễn Văn A", lookup=False) == {}
    # an impossible date is not suggested
    assert "issued_date" not in suggest.suggest("ngày 31 tháng 02 năm 2026", lookup=False)


def test_a_known_agency_is_suggested_with_its_name_and_code(portal):
    from plone import api

    agency = portal["so-tttt"]
    page = dict(nd30_page.CONG_VAN, left=["UBND TỈNH ĐỒNG THÁP", agency.Title().upper(), "",
                                          "Số: 125/STTTT-BCVT", "V/v họp giao ban"])
    text, _ocr = suggest.first_page_text(nd30_page.text_pdf(page))
    with api.env.adopt_user(username="stttt.vanthu"):
        found = suggest.suggest(text)
    assert found["issuing_agency_name"] == agency.Title()
    assert found["issuing_agency_code"] == agency.agency_code
