"""The password policy in Vietnamese on every path that sets a password: the agency admin's ``@staff``
and ``can-bo``, Plone's ``@users``; the history of earlier passwords; an expired password must be
changed first."""

from dongthap.qlvb.accounts import store
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD

import html
import re
import requests
import transaction

import pytest

LENGTH = "Mật khẩu phải có ít nhất 10 ký tự."
COMMON = "Mật khẩu này quá phổ biến, hãy chọn mật khẩu khác."


def _account(username, password):
    return {"username": username, "fullname": "Người Mới", "email": "moi@example.invalid",
            "password": password, "roles": ["specialist"], "create": True}


@pytest.mark.parametrize("password, expected", [("password", LENGTH), ("12345678", LENGTH),
                                                ("Password@123", COMMON)])
def test_staff_rest_refuses_weak_passwords_in_vietnamese(url, password, expected):
    r = requests.post(f"{url}/so-tttt/@staff", json=_account("nguoi.moi", password),
                      auth=("stttt.quantri", DEMO_PASSWORD), headers={"Accept": "application/json"})
    assert r.status_code == 400, r.text
    assert expected in [e["message"] for e in r.json()["error"]["errors"]]
    owner = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    assert requests.get(f"{url}/@users/nguoi.moi", auth=owner,
                        headers={"Accept": "application/json"}).status_code == 404


def test_staff_page_refuses_a_weak_password_in_vietnamese(url):
    page = requests.Session()
    page.auth = ("stttt.quantri", DEMO_PASSWORD)
    token = re.search(r'name="_authenticator" value="([^"]+)"',
                      page.get(f"{url}/so-tttt/@@can-bo").text).group(1)
    r = page.post(f"{url}/so-tttt/@@can-bo", data={
        "_authenticator": token, "action": "create", "username": "nguoi.moi", "fullname": "Người Mới",
        "email": "moi@example.invalid", "password": "12345678", "roles:list": "specialist"})
    text = html.unescape(r.text)
    assert LENGTH in text and "Mật khẩu phải có ít nhất một chữ hoa." in text


def test_plone_users_service_refuses_a_weak_password_in_vietnamese(url):
    r = requests.post(f"{url}/@users", auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
                      headers={"Accept": "application/json"},
                      json={"username": "nguoi.moi", "email": "moi@example.invalid", "password": "password"})
    assert r.status_code == 400, r.text
    assert LENGTH in r.json()["error"]["message"] and "at least" not in r.text
    r = requests.post(f"{url}/@users", auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
                      headers={"Accept": "application/json"},
                      json={"username": "nguoi.moi", "email": "moi@example.invalid",
                            "password": "Mot-Mat-Khau@2026"})
    assert r.status_code == 201, r.text


def test_an_expired_password_must_be_changed_first(url, demo_server):
    portal = demo_server["layer"]["portal"]
    store.update(portal, "stttt.vanthu", password_changed=1.0)  # long ago
    transaction.commit()
    try:
        r = requests.get(f"{url}/so-tttt", auth=("stttt.vanthu", DEMO_PASSWORD), allow_redirects=False)
        assert r.status_code == 302 and r.headers["Location"].endswith("/@@change-password")
        r = requests.get(f"{url}/so-tttt/@staff", auth=("stttt.vanthu", DEMO_PASSWORD),
                         headers={"Accept": "application/json"})
        assert r.status_code == 403
        assert r.json()["error"]["message"] == ("Mật khẩu đã hết hạn: đề nghị đổi mật khẩu trước khi "
                                                "tiếp tục.")
        r = requests.get(f"{url}/@@change-password", auth=("stttt.vanthu", DEMO_PASSWORD))
        assert r.status_code == 200
    finally:
        transaction.begin()
        store.update(portal, "stttt.vanthu", password_changed=None)
        transaction.commit()


def test_own_password_change_through_users_keeps_the_history(url):
    user = "stttt.luutru"
    auth = (user, DEMO_PASSWORD)

    def change(old, new, auth):
        return requests.post(f"{url}/@users/{user}/reset-password", auth=auth,
                             headers={"Accept": "application/json"},
                             json={"old_password": old, "new_password": new})

    r = change(DEMO_PASSWORD, "short", auth)
    assert r.status_code == 400, r.text
    assert LENGTH in r.json()["message"], r.text
    first, second = "Mat-Khau-Mot@2026", "Mat-Khau-Hai@2026"
    assert change(DEMO_PASSWORD, first, auth).status_code in (200, 204)
    assert change(first, second, (user, first)).status_code in (200, 204)
    r = change(second, first, (user, second))
    assert r.status_code == 400
    assert "Mật khẩu này đã được dùng gần đây" in r.json()["message"], r.text
    assert requests.get(f"{url}/so-tttt", auth=(user, second),
                        headers={"Accept": "application/json"}).status_code == 200
