"""Each rule of the password policy, in Vietnamese, on every path that sets a password."""

from dongthap.qlvb.accounts import policy
from dongthap.qlvb.accounts.settings import DEFAULTS
from zope.i18n import translate

import pytest


def _texts(password, history=(), **changes):
    settings = dict(DEFAULTS, **changes)
    return [translate(m, target_language="vi") for m in policy.problems(password, settings, history)]


@pytest.mark.parametrize("password, expected", [
    ("Ab@1xyz", "Mật khẩu phải có ít nhất 10 ký tự."),
    ("ABCDEFG@123", "Mật khẩu phải có ít nhất một chữ thường."),
    ("abcdefg@123", "Mật khẩu phải có ít nhất một chữ hoa."),
    ("Abcdefg@xyz", "Mật khẩu phải có ít nhất một chữ số."),
    ("Abcdefg1234", "Mật khẩu phải có ít nhất một ký hiệu như @ # ! -."),
    ("Password@123", "Mật khẩu này quá phổ biến, hãy chọn mật khẩu khác."),
])
def test_each_rule(demo, password, expected):
    assert expected in _texts(password)


def test_a_good_password_passes(demo):
    assert _texts("Song-Tien@2026") == []
    assert _texts("Song-Tien@2026".replace("@", ""), require_symbol=False) == []


def test_no_reuse_of_the_last_n(demo):
    history = [policy.make_hash(f"Cu-Mat-Khau@{n}") for n in range(6)]
    assert all("Cu-Mat-Khau" not in h for h in history)  # hashes, never the password
    reused = _texts("Cu-Mat-Khau@2", history)
    assert reused == ["Mật khẩu này đã được dùng gần đây; hãy chọn mật khẩu chưa dùng trong 5 mật khẩu "
                      "gần nhất."]
    assert _texts("Cu-Mat-Khau@5", history) == []  # the sixth is older than the last five
