"""The seal on an issued document carries the agency's name (issue 15, item 6), even when the
agency has no seal image of its own."""

from dongthap.qlvb.signing.stamps import seal_with_name

import pytest


def red_pixels(img):
    return sum(1 for r, g, b, a in img.getdata() if a > 0 and r > 150 and g < 80)


def test_the_seal_is_round_red_and_holds_text():
    img = seal_with_name("Sở Thông tin và Truyền thông")
    assert img.size == (360, 360) and img.mode == "RGBA"
    assert img.getpixel((180, 180))[3] == 0 or red_pixels(img.crop((60, 120, 300, 240))) > 500
    assert img.getpixel((0, 0))[3] == 0  # transparent corners: the text below shows through
    empty = seal_with_name("")
    assert red_pixels(img) > red_pixels(empty) + 1000  # the name is drawn


@pytest.mark.parametrize("name", ["UBND", "Ủy ban nhân dân phường Cao Lãnh, tỉnh Đồng Tháp " * 2])
def test_long_and_short_names_fit_inside_the_ring(name):
    img = seal_with_name(name)
    inner = img.crop((40, 40, 320, 320))
    assert red_pixels(inner) > 300

