"""A specialist cannot draft a document marked secret (QĐ 595), whatever its Unicode form."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.outgoing.helpers import payload
from tests.outgoing.helpers import session

import pytest
import unicodedata


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _body(url, **overrides):
    snv = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/so-noi-vu").json()["UID"]
    return payload([snv], **overrides)


def _drafts(url):
    r = session("stttt.chuyenvien").get(f"{url}/so-tttt/@outgoing")
    return r.json()


@pytest.mark.parametrize("overrides, field", [
    ({"title": nfd("TUYỆT MẬT: phương án phòng thủ")}, "title"),
    ({"secrecy": nfd("MẬT")}, "secrecy"),
])
def test_secret_draft_is_refused_with_the_legal_reason(url, overrides, field):
    before = _drafts(url)
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=_body(url, **overrides))
    assert r.status_code == 400, r.text
    [problem] = [e for e in r.json()["error"]["errors"] if e["field"] == field]
    assert "595" in problem["message"] and "bí mật nhà nước" in problem["message"]
    assert _drafts(url) == before


def test_a_draft_about_security_is_accepted(url):
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=_body(
        url, title=nfd("V/v tăng cường BẢO MẬT hệ thống thông tin"), secrecy=""))
    assert r.status_code == 201, r.text


def test_the_draft_page_asks_for_the_secrecy(url):
    r = session("stttt.chuyenvien").get(f"{url}/so-tttt/@@soan-van-ban-di")
    assert r.status_code == 200
    assert 'name="secrecy"' in r.text and "Độ mật" in r.text and "595" in r.text
