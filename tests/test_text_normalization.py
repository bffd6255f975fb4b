"""One normalisation for every comparison: decomposed Unicode (NFD, Unikey "Unicode tổ hợp") = NFC."""

import unicodedata

import pytest
from dongthap.qlvb.content.incoming import duplicate_key
from dongthap.qlvb.utils.secrecy import secret_marking
from dongthap.qlvb.utils.sorting import vietnamese_sort_key
from dongthap.qlvb.utils.text import fold, normalize_text


def nfd(text):
    return unicodedata.normalize("NFD", text)


def test_nfd_and_nfc_fold_to_the_same_key():
    assert nfd("Sở Nội vụ") != "Sở Nội vụ"
    assert fold(nfd("SỞ  NỘI VỤ ")) == fold("Sở Nội vụ") == "sở nội vụ"
    assert normalize_text(nfd(" Đồng   Tháp ")) == "Đồng Tháp"


@pytest.mark.parametrize("marking", ["MẬT", "TỐI MẬT", "TUYỆT MẬT"])
def test_secret_markings_typed_decomposed_are_found(marking):
    assert secret_marking(texts=[nfd(marking)]) == marking
    assert secret_marking(texts=[nfd(f"{marking} - Kế hoạch phòng thủ")]) == marking
    assert secret_marking(declared=[nfd(marking.lower())]) == marking


def test_topics_about_secrets_are_not_markings():
    for text in ("V/v bảo vệ BÍ MẬT nhà nước", "KẾ HOẠCH BẢO MẬT THÔNG TIN", "mật khẩu"):
        assert secret_marking(texts=[nfd(text), text]) == ""
    assert secret_marking(declared=["Không mật", "", nfd("thường")]) == ""


def test_duplicate_key_ignores_unicode_form_and_case():
    assert duplicate_key("05", nfd("ubnd-vp"), nfd("ỦY BAN NHÂN DÂN tỉnh Đồng Tháp")) == \
        duplicate_key("5", "UBND-VP", "Ủy ban nhân dân tỉnh Đồng Tháp")


def test_sorting_ignores_unicode_form():
    names = [nfd("Ủy ban nhân dân xã Mỹ Thọ"), "Sở Nội vụ", nfd("Đài Phát thanh"), "Công an tỉnh"]
    ordered = sorted(names, key=vietnamese_sort_key)
    assert [fold(n)[:3] for n in ordered] == ["côn", "đài", "sở ", "ủy "]
    assert vietnamese_sort_key(nfd("Đồng Tháp"))[:2] == vietnamese_sort_key("Đồng Tháp")[:2]


@pytest.mark.parametrize("text, unsafe", [
    ("Họp giao ban, tuần 50; Phòng 1", False),
    (nfd("Sở Nội vụ"), False),  # combining marks are letters, not control characters
    ("Dòng một\r\nDòng hai\tcột", False),
    ("Việc\x00một", True), ("chuông\x07", True), ("màu\x1b[31m", True), ("xóa\x7f", True), ("C1\x85", True),
    ("Báo cáo \u202efdp.exe", True), ("cô lập \u2066x\u2069", True),
])
def test_control_and_direction_override_characters_are_found(text, unsafe):
    from dongthap.qlvb.utils.text import has_unsafe_characters

    assert has_unsafe_characters(text) is unsafe
