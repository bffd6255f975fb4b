"""Outgoing documents through real HTTP: REST API, errors, registers, concurrency of the numbers."""

from concurrent.futures import ThreadPoolExecutor
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.outgoing.helpers import payload
from tests.outgoing.helpers import session
from tests.outgoing.helpers import vi

import os
import pytest


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _uid(url, path, user="stttt.chuyenvien"):
    r = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/{path}")
    assert r.status_code == 200, r.text
    return r.json()["UID"]


def _create(url, user="stttt.chuyenvien", agency="so-tttt", **overrides):
    body = payload([_uid(url, "so-noi-vu")], **overrides)
    r = session(user).post(f"{url}/{agency}/@outgoing", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _act(url_doc, user, transition, comment="", expect=200):
    r = session(user).post(f"{url_doc}/@workflow/{transition}", json={"comment": comment})
    expected = expect if isinstance(expect, tuple) else (expect,)
    assert r.status_code in expected, (transition, user, r.text)
    return r.json()


def _chain(doc_url, until="issue", start="submit"):
    steps = [("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
             ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign"), ("stttt.vanthu", "issue")]
    steps = steps[[t for _u, t in steps].index(start):]
    for user, transition in steps:
        result = _act(doc_url, user, transition)
        if transition == until:
            return result
    return result


def test_rest_chain_delivery_status_and_registers(url):
    doc = _create(url)
    assert doc["state"] == "draft" and doc["code_number"] is None
    got = session("stttt.chuyenvien").get(doc["url"]).json()
    assert got["signer"]["token"] == "stttt.lanhdao" and got["review_state"] == "draft"
    # read-only system fields cannot be set through PATCH
    r = session("stttt.chuyenvien").patch(doc["url"], json={"code_number": "99", "title": "V/v sửa"})
    assert r.status_code == 204, r.text
    assert session("stttt.chuyenvien").get(doc["url"]).json()["code_number"] is None
    # the return needs a reason: a Vietnamese JSON error
    _act(doc["url"], "stttt.chuyenvien", "submit")
    r = session("stttt.truongphong").post(f"{doc['url']}/@workflow/return", json={"comment": ""})
    assert r.status_code == 400
    assert vi("trả lại", "returned") in r.json()["error"]["message"]
    r = session("stttt.truongphong").post(f"{doc['url']}/@review-comments",
                                          json={"text": "Rà soát lại số liệu"})
    assert r.status_code == 201, r.text
    result = _chain(doc["url"], start="forward")
    assert result["review_state"] == "issued"
    notation = result["notation"]
    assert notation.endswith("/STTTT-VP") and len(notation.split("/")[0]) >= 2
    status = session("stttt.vanthu").get(f"{doc['url']}/@delivery-status").json()
    assert status["notation"] == notation
    assert [(i["agency_code"], i["status"]) for i in status["items"]] == [("000.00.09.H20", "delivered")]
    # the recipient clerk sees and registers it: the sender sees the arrival number
    listing = session("snv.vanthu").get(f"{url}/so-noi-vu/@incoming").json()
    mine = [d for d in listing["waiting_registration"] if d["notation"] == notation]
    assert len(mine) == 1
    reg = session("snv.vanthu").post(f"{mine[0]['url']}/@workflow/register", json={})
    assert reg.status_code == 200, reg.text
    status = session("stttt.vanthu").get(f"{doc['url']}/@delivery-status").json()
    assert status["items"][0]["status"] == "registered"
    assert status["items"][0]["arrival_number"] == reg.json()["arrival_number"]
    comments = session("stttt.chuyenvien").get(f"{doc['url']}/@review-comments").json()
    assert "Rà soát lại số liệu" in [c["text"] for c in comments["comments"]]
    # registers: JSON, PDF, XLSX
    clerk = session("stttt.vanthu")
    reg_json = clerk.get(f"{url}/so-tttt/@registers/outgoing").json()
    assert len(reg_json["columns"]) == 10 and reg_json["columns"][0]["header"] == "Số, ký hiệu"
    assert notation in [r["notation"] for r in reg_json["rows"]]
    pdf = clerk.get(f"{url}/so-tttt/@registers/outgoing", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    xlsx = clerk.get(f"{url}/so-tttt/@registers/outgoing_report", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    # the incoming register is still served (delegated to the incoming capability)
    inc = session("snv.vanthu").get(f"{url}/so-noi-vu/@registers/incoming")
    assert inc.status_code == 200 and "register" in inc.json()
    inc_pdf = session("snv.vanthu").get(f"{url}/so-noi-vu/@registers/incoming", params={"format": "pdf"})
    assert inc_pdf.status_code == 200 and inc_pdf.content.startswith(b"%PDF-")
    # specialists do not read registers
    assert session("stttt.chuyenvien").get(f"{url}/so-tttt/@registers/outgoing").status_code == 403
    bad = clerk.get(f"{url}/so-tttt/@registers/outgoing", params={"from": "31-12-2026"})
    assert bad.status_code == 400


def test_rest_permission_matrix(url):
    doc = _create(url)
    # another agency's staff cannot see the draft; the reviewers cannot yet either
    assert session("snv.vanthu").get(doc["url"]).status_code in (401, 403)
    assert session("stttt.truongphong").get(doc["url"]).status_code in (401, 403)
    _act(doc["url"], "stttt.chuyenvien", "submit")
    _act(doc["url"], "stttt.lanhdao", "approve", expect=400)  # the department head first
    _act(doc["url"], "stttt.truongphong", "forward")
    _act(doc["url"], "stttt.lanhdao", "approve")
    _act(doc["url"], "snv.lanhdao", "sign", expect=(401, 403))
    for user in ("stttt.vanthu", "stttt.truongphong", "stttt.chuyenvien"):
        _act(doc["url"], user, "sign", expect=400)
    _act(doc["url"], "stttt.lanhdao", "sign")
    for user in ("stttt.chuyenvien", "stttt.lanhdao", "stttt.truongphong"):
        r = session(user).post(f"{doc['url']}/@workflow/issue", json={})
        assert r.status_code in (400, 403)
        assert r.json()["error"]["message"]
    _act(doc["url"], "snv.vanthu", "issue", expect=(401, 403))
    _act(doc["url"], "stttt.vanthu", "issue")


def test_bad_draft_is_a_vietnamese_json_error(url):
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=payload(
        ["nope"], signer="snv.lanhdao", file=None))
    assert r.status_code == 400
    fields = {e["field"] for e in r.json()["error"]["errors"]}
    assert {"signer", "internal_recipients", "file"} <= fields
    r = session("stttt.luutru").post(f"{url}/so-tttt/@outgoing", json=payload([]))
    assert r.status_code in (401, 403)


NUMBERS_PER_CLIENT = int(os.environ.get("QLVB_NUMBERS_PER_CLIENT", "100"))


@pytest.mark.stress
def test_numbering_concurrency_8_clients(url, monkeypatch):
    """8 concurrent clients take 8 × NUMBERS_PER_CLIENT numbers of one register: exactly 1..n
    (800 by default; ``QLVB_NUMBERS_PER_CLIENT=250`` gives the 2,000 of the first measurements).

    Measures :func:`numbering.take_number` (what ``issue`` uses) through HTTP and a test-only
    view that commits each number with a token, without the PDF signing around it.
    """
    monkeypatch.setenv("QLVB_TEST_VIEWS", "1")
    target = f"{url}/so-noi-vu/@@qlvb-test-outgoing-number"

    def client(_n):
        s = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
        numbers = []
        for _i in range(NUMBERS_PER_CLIENT):
            r = s.post(target, data={"document_type": "cong_van"})
            assert r.status_code == 200, r.text[:500]
            numbers.append(int(r.json()["number"]))
        return numbers

    with ThreadPoolExecutor(8) as pool:
        taken = [n for numbers in pool.map(client, range(8)) for n in numbers]
    assert sorted(taken) == list(range(1, 8 * NUMBERS_PER_CLIENT + 1))


def test_test_view_is_off_without_the_flag(url, monkeypatch):
    monkeypatch.delenv("QLVB_TEST_VIEWS", raising=False)
    admin = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    r = admin.post(f"{url}/so-noi-vu/@@qlvb-test-outgoing-number")
    assert r.status_code == 404


def test_concurrent_real_issues_get_consecutive_numbers(url):
    """4 clerks' clients issue 8 signed documents at once: 8 consecutive, distinct numbers."""
    docs = [_create(url, title=f"V/v thử nghiệm song song {i}")["url"] for i in range(8)]
    for doc in docs:
        _chain(doc, until="sign")

    def issue(doc):
        return _act(doc, "stttt.vanthu", "issue")["code_number"]

    with ThreadPoolExecutor(4) as pool:
        numbers = sorted(int(n) for n in pool.map(issue, docs))
    assert numbers == list(range(numbers[0], numbers[0] + 8))


def test_settings_and_draft_versions_through_patch(url):
    import base64

    from tests.outgoing.helpers import PDF

    admin = session("stttt.quantri")
    got = admin.get(f"{url}/so-tttt/@outgoing-settings").json()
    assert got["review_levels"]["*"] == ["department_head", "leader"]
    r = admin.patch(f"{url}/so-tttt/@outgoing-settings",
                    json={"review_levels": {"*": ["leader"]}, "series": {"nghi_quyet": "qppl"}})
    assert r.status_code == 200, r.text
    assert r.json()["series"] == {"nghi_quyet": "qppl"}
    bad = admin.patch(f"{url}/so-tttt/@outgoing-settings", json={"review_levels": {"*": ["boss"]}})
    assert bad.status_code == 400 and bad.json()["error"]["message"]
    assert session("stttt.chuyenvien").patch(f"{url}/so-tttt/@outgoing-settings",
                                             json={"series": {}}).status_code in (401, 403)
    doc = _create(url)
    second = PDF.replace(b"%%EOF", b"% ban 2\n%%EOF")
    r = session("stttt.chuyenvien").patch(doc["url"], json={"file": {
        "data": base64.b64encode(second).decode(), "encoding": "base64", "filename": "du-thao-2.pdf",
        "content-type": "application/pdf"}})
    assert r.status_code == 204, r.text
    info = session("stttt.chuyenvien").get(f"{doc['url']}/@review-comments").json()
    assert [v["filename"] for v in info["versions"]] == ["du-thao.pdf", "du-thao-2.pdf"]
    first = session("stttt.chuyenvien").get(info["versions"][0]["download"])
    assert first.status_code == 200 and first.content == PDF
    _act(doc["url"], "stttt.chuyenvien", "submit")
    assert session("stttt.chuyenvien").get(doc["url"]).json()["review_state"] == "pending_review"
    _act(doc["url"], "stttt.lanhdao", "approve")  # one level now
