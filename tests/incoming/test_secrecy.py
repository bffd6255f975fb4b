"""State secrets never enter the system (QĐ 595): a paper document marked secret is refused,
also when the marking is typed in decomposed Unicode (Unikey "Unicode tổ hợp")."""

from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import pytest
import unicodedata


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _count(url):
    return len(session("stttt.vanthu").get(f"{url}/so-tttt/@incoming").json().get("waiting_registration", []))


@pytest.mark.parametrize("overrides, field", [
    ({"title": nfd("MẬT - Kế hoạch bảo đảm an ninh"), "code_number": "901"}, "title"),
    ({"secrecy": nfd("Tối mật"), "code_number": "902"}, "secrecy"),
    ({"code_notation": nfd("MẬT-UBND"), "code_number": "903"}, "code_notation"),
])
def test_secret_paper_document_is_refused_with_the_legal_reason(url, overrides, field):
    before = _count(url)
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(**overrides))
    assert r.status_code == 400, r.text
    [problem] = [e for e in r.json()["error"]["errors"] if e["field"] == field]
    assert "595" in problem["message"] and "bí mật nhà nước" in problem["message"]
    assert _count(url) == before


def test_a_topic_about_secrets_is_registered(url):
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(
        title=nfd("V/v bảo vệ BÍ MẬT nhà nước năm 2026"), secrecy="Không mật", code_number="904"))
    assert r.status_code == 201, r.text


def test_the_registration_page_asks_for_the_secrecy(url):
    r = session("stttt.vanthu").get(f"{url}/so-tttt/@@vao-so-van-ban-den")
    assert r.status_code == 200
    assert 'name="secrecy"' in r.text and "Độ mật" in r.text and "595" in r.text
