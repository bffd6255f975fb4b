"""The code of two-factor login on Plone's own login form and in ``@login``; ``@login`` answers every
failure in Vietnamese, the same whatever the reason; the password is hashed once per request."""

from dongthap.qlvb.accounts import store
from dongthap.qlvb.accounts import totp
from dongthap.qlvb.demo.data import DEMO_PASSWORD

import html
import re
import requests
import time
import transaction

import pytest

USER = "stttt.lanhdao"
JSON = {"Accept": "application/json"}
REFUSED = {"error": {"type": "Invalid credentials", "message": (
    "Đăng nhập không thành công: sai tên tài khoản hoặc mật khẩu, hoặc tài khoản đang bị khoá.")}}


@pytest.fixture
def enrolled(url, demo_server):
    portal = demo_server["layer"]["portal"]
    secret = totp.new_secret()
    store.update(portal, USER, totp_secret=secret, totp_enabled=True, totp_last=-1,
                 recovery=[totp.hash_code("abcd-1234")])
    transaction.commit()
    return secret


def _form(session, url):
    page = session.get(f"{url}/login").text
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    return page, fields


def test_plone_login_form_has_the_code_field_and_logs_in_with_it(url, enrolled):
    s = requests.Session()
    page, fields = _form(s, url)
    text = html.unescape(page)
    assert 'name="__ac_otp"' in page
    assert "Mã xác thực (đăng nhập hai bước)" in text
    assert "mã 6 số trong ứng dụng xác thực, hoặc một mã khôi phục" in text
    fields.update({"__ac_name": USER, "__ac_password": DEMO_PASSWORD, "buttons.login": "Đăng nhập"})
    r = s.post(f"{url}/login", data=fields)
    assert "__ac" not in s.cookies  # the password alone is not enough
    assert 'name="__ac_otp"' in r.text and "Đăng nhập không thành công" in html.unescape(r.text)
    r = s.post(f"{url}/login", data=dict(fields, __ac_otp="000000"))
    assert "__ac" not in s.cookies
    r = s.post(f"{url}/login", data=dict(fields, __ac_otp=totp.totp(enrolled)), allow_redirects=False)
    assert "__ac" in s.cookies and r.status_code == 302
    assert s.get(f"{url}/so-tttt", headers=JSON).status_code == 200
    # an account without two-factor login leaves the field empty
    other = requests.Session()
    _page, fields = _form(other, url)
    fields.update({"__ac_name": "stttt.chuyenvien", "__ac_password": DEMO_PASSWORD,
                   "buttons.login": "Đăng nhập"})
    other.post(f"{url}/login", data=fields, allow_redirects=False)
    assert "__ac" in other.cookies


def test_rest_login_with_the_code_and_vietnamese_failures(url, enrolled):
    def login(**body):
        return requests.post(f"{url}/@login", json=body, headers=JSON)

    # one answer for every refusal: wrong password, unknown account, missing or wrong code
    answers = [login(login=USER, password="Sai-Mat-Khau@9"), login(login="khong.ton.tai", password="x"),
               login(login=USER, password=DEMO_PASSWORD), login(login=USER, password=DEMO_PASSWORD, otp="1")]
    assert [(r.status_code, r.json()) for r in answers] == [(401, REFUSED)] * 4
    assert all("Wrong login" not in r.text for r in answers)
    r = login(login=USER)
    assert r.status_code == 400
    assert r.json()["error"]["message"].startswith("Hãy nhập tên đăng nhập và mật khẩu")
    r = requests.post(f"{url}/@login", data="không phải JSON", headers=dict(JSON, **{
        "Content-Type": "application/json"}))
    assert r.status_code == 400 and "Hãy nhập tên đăng nhập" in r.json()["error"]["message"]
    r = login(login=USER, password=DEMO_PASSWORD, otp=totp.totp(enrolled))
    assert r.status_code == 200 and r.json()["token"]
    r = login(login=USER, password=DEMO_PASSWORD, otp="abcd-1234")  # a recovery code, once
    assert r.status_code == 200
    assert login(login=USER, password=DEMO_PASSWORD, otp="abcd-1234").json() == REFUSED
    # locked: the same answer again
    for n in range(5):
        login(login=USER, password=f"Sai-Mat-Khau@{n}")
    r = login(login=USER, password=DEMO_PASSWORD, otp=totp.totp(enrolled, now=time.time() + 30))
    assert (r.status_code, r.json()) == (401, REFUSED)


@pytest.fixture
def hashes(monkeypatch):
    """Counts the password hash checks (AuthEncoding.pw_validate, what Plone's user manager uses)."""
    from AuthEncoding import AuthEncoding

    calls = []
    original = AuthEncoding.pw_validate

    def counting(reference, attempt):
        calls.append(attempt)
        return original(reference, attempt)

    monkeypatch.setattr(AuthEncoding, "pw_validate", counting)
    return calls


@pytest.mark.parametrize("path", ["basic", "rest", "form"])
def test_the_password_is_hashed_once_per_request(url, hashes, path):
    user = "stttt.chuyenvien"
    if path == "basic":
        r = requests.get(f"{url}/so-tttt", auth=(user, DEMO_PASSWORD), headers=JSON)
        assert r.status_code == 200
    elif path == "rest":
        r = requests.post(f"{url}/@login", json={"login": user, "password": DEMO_PASSWORD}, headers=JSON)
        assert r.status_code == 200
    else:
        s = requests.Session()
        _page, fields = _form(s, url)
        hashes.clear()
        fields.update({"__ac_name": user, "__ac_password": DEMO_PASSWORD, "buttons.login": "Đăng nhập"})
        s.post(f"{url}/login", data=fields, allow_redirects=False)
        assert "__ac" in s.cookies
    assert hashes.count(DEMO_PASSWORD) == 1, len(hashes)
    hashes.clear()
    # a wrong password: once too (plus nothing else)
    requests.get(f"{url}/so-tttt", auth=(user, "Sai-Mat-Khau@1"), headers=JSON)
    assert hashes == ["Sai-Mat-Khau@1"]
