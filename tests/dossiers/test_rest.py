"""Dossiers and records schedules through real HTTP: REST API, roles, isolation, bad input."""

from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import pytest
import secrets


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _notation():
    return f"{secrets.randbelow(90) + 10}.T{secrets.token_hex(2).upper()}"


def _dossier(url, user="stttt.chuyenvien", **overrides):
    body = {"title": "Hồ sơ kiểm thử REST", "notation": _notation(), "retention": "10"}
    body.update(overrides)
    r = session(user).post(f"{url}/so-tttt/@dossiers", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def _incoming(url, number):
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming",
                                     json=payload(register=True, code_number=str(number), page_amount="3"))
    assert r.status_code == 201, r.text
    return r.json()


def _count(url, user="stttt.luutru"):
    r = session(user).get(f"{url}/so-tttt/@dossiers")
    assert r.status_code == 200, r.text
    return r.json()["items_total"]


def test_dossier_lifecycle_through_rest(url):
    dossier = _dossier(url)
    assert dossier["review_state"] == "open" and dossier["file_code"].startswith("000.00.14.H20.")
    assert dossier["responsible"] == "stttt.chuyenvien"
    docs = [_incoming(url, 901), _incoming(url, 902)]
    clerk, rm, sp = session("stttt.vanthu"), session("stttt.luutru"), session("stttt.chuyenvien")
    r = clerk.post(f"{dossier['@id']}/@file-documents", json={"documents": [d["uid"] for d in docs]})
    assert r.status_code == 200, r.text
    assert r.json()["filed"] == [{"uid": docs[0]["uid"], "ordinal": 1}, {"uid": docs[1]["uid"], "ordinal": 2}]
    assert r.json()["doc_total"] == 2 and r.json()["page_total"] == 6
    got = rm.get(f"{dossier['@id']}/@dossier").json()
    assert [i["ordinal"] for i in got["items"]] == [1, 2]
    r = clerk.get(f"{docs[0]['url']}/@dossiers")
    assert [d["file_code"] for d in r.json()["items"]] == [dossier["file_code"]]
    assert r.json()["items"][0]["ordinal"] == 1
    # plone.restapi GET/PATCH of the dossier
    got = sp.get(dossier["@id"]).json()
    assert got["file_code"] == dossier["file_code"] and got["doc_total"] == 2
    r = sp.patch(dossier["@id"], json={"title": "Hồ sơ kiểm thử REST (sửa)", "doc_total": 99})
    assert r.status_code == 204, r.text
    got = sp.get(dossier["@id"]).json()
    assert got["title"] == "Hồ sơ kiểm thử REST (sửa)" and got["doc_total"] == 2
    r = sp.patch(dossier["@id"], json={"start_date": "2026-05-02", "end_date": "2026-05-01"})
    assert r.status_code == 400
    assert sp.get(dossier["@id"]).json()["end_date"] is None
    # closing, then nothing more filed; reopening needs a reason
    r = rm.post(f"{dossier['@id']}/@dossier-workflow/close", json={})
    assert r.status_code == 200, r.text
    assert r.json()["review_state"] == "closed" and r.json()["end_date"]
    r = clerk.post(f"{dossier['@id']}/@file-documents", json={"documents": [docs[0]["uid"]]})
    assert r.status_code in (401, 403)
    r = rm.post(f"{dossier['@id']}/@dossier-workflow/reopen", json={})
    assert r.status_code == 400 and r.json()["error"]["errors"][0]["field"] == "reason"
    assert "lý do" in r.json()["error"]["errors"][0]["message"].lower()
    r = rm.post(f"{dossier['@id']}/@dossier-workflow/reopen", json={"reason": "Bổ sung văn bản"})
    assert r.status_code == 200 and r.json()["review_state"] == "open"


@pytest.mark.parametrize(("body", "field"), [
    ({"title": "", "notation": "01.X", "retention": "10"}, "title"),
    ({"title": "Hồ sơ", "notation": "01 X", "retention": "10"}, "notation"),
    ({"title": "Hồ sơ", "notation": "01.X", "retention": "vinh-vien"}, "retention"),
    ({"title": "Hồ sơ", "notation": "01.X", "retention": "10", "file_code": "x"}, "file_code"),
    ({"title": "Hồ sơ", "notation": "01.X", "retention": "10", "access": "restricted"}, "access_people"),
    ({"title": "Hồ sơ", "notation": "01.X", "retention": "10", "year": "hai nghìn"}, "year"),
])
def test_bad_dossier_input_is_a_vietnamese_400_and_stores_nothing(url, body, field):
    before = _count(url)
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@dossiers", json=body)
    assert r.status_code == 400, r.text
    assert field in [e["field"] for e in r.json()["error"]["errors"]]
    assert r.json()["error"]["message"].startswith(("Chưa lưu", "Không lưu"))
    assert _count(url) == before


def test_bad_bodies(url):
    dossier = _dossier(url)
    sp = session("stttt.chuyenvien")
    r = sp.post(f"{url}/so-tttt/@dossiers", data="{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    for bad in ({}, {"documents": "abc"}, {"documents": [1, 2]}, {"documents": ["khong-co"]}):
        r = sp.post(f"{dossier['@id']}/@file-documents", json=bad)
        assert r.status_code == 400, (bad, r.text)
    assert sp.get(f"{dossier['@id']}/@dossier").json()["items"] == []


def test_nothing_crosses_agencies(url):
    dossier = _dossier(url)
    doc = _incoming(url, 903)
    for user in ("snv.vanthu", "snv.luutru", "snv.lanhdao", "snv.chuyenvien"):
        other = session(user)
        assert other.get(dossier["@id"]).status_code in (403, 404)
        assert other.get(f"{dossier['@id']}/@dossier").status_code in (403, 404)
        r = other.post(f"{dossier['@id']}/@file-documents", json={"documents": [doc["uid"]]})
        assert r.status_code in (403, 404)
        assert other.get(f"{url}/so-tttt/@dossiers").status_code in (403, 404)
        assert other.get(f"{url}/so-tttt/@records-schedule/2026").status_code in (403, 404)
        assert other.post(f"{url}/so-tttt/@dossiers", json={"title": "x", "notation": "01.X",
                                                            "retention": "10"}).status_code in (403, 404)
    # a dossier of Sở Nội vụ cannot take a document of Sở TT&TT, even from Sở TT&TT's clerk
    r = session("snv.chuyenvien").post(f"{url}/so-noi-vu/@dossiers",
                                       json={"title": "Hồ sơ SNV", "notation": _notation(), "retention": "5"})
    assert r.status_code == 201, r.text
    r = session("snv.vanthu").post(f"{r.json()['@id']}/@file-documents", json={"documents": [doc["uid"]]})
    assert r.status_code == 400


def test_records_schedule_through_rest(url):
    year = 2031
    base = f"{url}/so-tttt/@records-schedule/{year}"
    rm, ld = session("stttt.luutru"), session("stttt.lanhdao")
    rows = [{"kind": "heading", "number": "I", "title": "Văn phòng"},
            {"kind": "entry", "notation": "01.VP", "title": "Hồ sơ tổ chức", "retention": "permanent",
             "unit": "vp"},
            {"kind": "entry", "notation": "02.VP", "title": "Hồ sơ thi đua", "retention": "10"}]
    assert rm.get(base).status_code == 404
    r = rm.put(base, json={"rows": rows[:1] + [dict(rows[1], retention="3")]})
    assert r.status_code == 400 and r.json()["error"]["errors"][0]["field"] == "rows.1.retention"
    assert rm.get(base).status_code == 404
    assert ld.put(base, json={"rows": rows}).status_code in (401, 403)
    r = rm.put(base, json={"rows": rows})
    assert r.status_code == 200 and r.json()["state"] == "draft"
    assert rm.post(f"{base}/approve").status_code in (401, 403)
    r = ld.post(f"{base}/approve")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    got = rm.get(base).json()
    assert got["totals"] == {"permanent": 1, "10": 1}
    pdf = rm.get(base, params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["Content-Type"] == "application/pdf"
    xlsx = rm.get(base, params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert rm.get(base, params={"format": "doc"}).status_code == 400
    r = rm.post(f"{base}/copy")
    assert r.status_code == 201 and r.json()["year"] == year + 1 and r.json()["state"] == "draft"
    assert rm.post(f"{base}/copy").status_code == 409


def test_record_uploaded_into_the_dossier_through_rest(url):
    import base64

    from tests.incoming.helpers import PDF

    dossier = _dossier(url)
    sp = session("stttt.chuyenvien")
    record = {"@type": "DossierRecord", "title": "Biên bản họp triển khai", "issued_date": "2026-03-02",
              "page_amount": 1, "author": "Phòng CNTT",
              "file": {"data": base64.b64encode(PDF).decode(), "encoding": "base64",
                       "filename": "bien-ban.pdf", "content-type": "application/pdf"}}
    r = sp.post(dossier["@id"], json=record)
    assert r.status_code == 201, r.text
    got = sp.get(f"{dossier['@id']}/@dossier").json()
    assert [(i["ordinal"], i["title"]) for i in got["items"]] == [(1, "Biên bản họp triển khai")]
    assert got["doc_total"] == 1 and got["page_total"] == 1
    not_pdf = dict(record, file=dict(record["file"], data=base64.b64encode(b"hello").decode()))
    assert sp.post(dossier["@id"], json=not_pdf).status_code == 400
    assert sp.get(f"{dossier['@id']}/@dossier").json()["doc_total"] == 1
    r = session("stttt.luutru").post(f"{dossier['@id']}/@dossier-workflow/close", json={})
    assert r.status_code == 200, r.text
    assert sp.post(dossier["@id"], json=record).status_code in (401, 403)
