"""The archive through real HTTP: @export download, @import-dossier upload (round trip), bad input,
the archive page in Vietnamese."""

from __future__ import annotations

import io
import secrets

import pytest

from dongthap.qlvb.archive.package import read_package
from tests.incoming.helpers import payload, session


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _closed_dossier(url):
    sp, clerk = session("stttt.chuyenvien"), session("stttt.vanthu")
    notation = f"{secrets.randbelow(90) + 10}.R{secrets.token_hex(2).upper()}"
    r = sp.post(
        f"{url}/so-tttt/@dossiers",
        json={"title": "Hồ sơ nộp lưu qua REST", "notation": notation, "retention": "20", "year": 2025},
    )
    assert r.status_code == 201, r.text
    dossier = r.json()
    uids = []
    for number in (secrets.randbelow(9000) + 1000, secrets.randbelow(9000) + 1000):
        r = clerk.post(
            f"{url}/so-tttt/@incoming", json=payload(register=True, code_number=str(number), page_amount="2")
        )
        assert r.status_code == 201, r.text
        uids.append(r.json()["uid"])
    r = clerk.post(f"{dossier['@id']}/@file-documents", json={"documents": uids})
    assert r.status_code == 200, r.text
    r = sp.post(f"{dossier['@id']}/@dossier-workflow/close", json={})
    assert r.status_code == 200, r.text
    return dossier


def test_export_import_round_trip_over_http(url):
    dossier = _closed_dossier(url)
    rm = session("stttt.luutru")
    r = rm.get(f"{dossier['@id']}/@export")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "application/zip"
    assert r.headers["Content-Disposition"].startswith('attachment; filename="ho-so-000.00.14.H20.2025.')
    exported = r.content
    # a specialist may not export
    assert session("stttt.chuyenvien").get(f"{dossier['@id']}/@export").status_code in (401, 403)
    target = session("snv.luutru")
    r = target.post(
        f"{url}/so-noi-vu/@import-dossier", data=exported, headers={"Content-Type": "application/zip"}
    )
    assert r.status_code == 201, r.text
    imported = r.json()
    assert imported["title"] == "Hồ sơ nộp lưu qua REST" and imported["doc_total"] == 2
    again = target.get(f"{imported['@id']}/@export").content
    with read_package(exported) as a, read_package(again) as b:
        assert a.meta.dossier == b.meta.dossier
        assert [d.fields for d in a.meta.documents] == [d.fields for d in b.meta.documents]
        assert {p: s for p, s in a.checksums.items() if p.startswith("van-ban/")} == {
            p: s for p, s in b.checksums.items() if p.startswith("van-ban/")
        }
    # the same package again: refused (the file code exists), with a Vietnamese message
    r = target.post(
        f"{url}/so-noi-vu/@import-dossier", data=exported, headers={"Content-Type": "application/zip"}
    )
    assert r.status_code == 400 and "đã tồn tại" in r.json()["error"]["errors"][0]["message"]


@pytest.mark.parametrize(
    "data, text",
    [
        (b"not a zip at all", "Gửi gói hồ sơ"),
        (b"PK\x03\x04 broken zip", "không phải tệp ZIP"),
    ],
)
def test_import_bad_input(url, data, text):
    r = session("stttt.luutru").post(
        f"{url}/so-tttt/@import-dossier", data=data, headers={"Content-Type": "application/zip"}
    )
    assert r.status_code == 400, r.text
    assert text in r.json()["error"]["message"]


def test_import_needs_the_archive_role(url):
    r = session("stttt.chuyenvien").post(
        f"{url}/so-tttt/@import-dossier", data=io.BytesIO(b"PK"), headers={"Content-Type": "application/zip"}
    )
    assert r.status_code in (401, 403)
    # the upload page too: only the agency's own records manager
    assert session("stttt.luutru").get(f"{url}/so-tttt/@@nhap-ho-so").status_code == 200
    for user in ("stttt.chuyenvien", "stttt.lanhdao", "stttt.vanthu", "snv.luutru", "ubnd.luutru"):
        r = session(user).get(f"{url}/so-tttt/@@nhap-ho-so")
        assert r.status_code in (401, 403), (user, r.status_code)
        r = session(user).post(f"{url}/so-tttt/@@nhap-ho-so", data={"submitted": "1"},
                               files={"package": ("x.zip", b"PK", "application/zip")})
        assert r.status_code in (401, 403), (user, r.status_code)


def test_archive_page_and_due_list_in_vietnamese(url):
    rm = session("stttt.luutru")
    r = rm.get(f"{url}/so-tttt/@@luu-tru", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert "Lưu trữ cơ quan" in r.text and "Hồ sơ đến hạn nộp lưu trong 30 ngày" in r.text
    r = rm.get(f"{url}/so-tttt/@archive-due")
    assert r.status_code == 200 and set(r.json()) == {"warnings", "overdue_by_unit"}
    # another agency's staff see nothing of this one
    assert session("snv.chuyenvien").get(f"{url}/so-tttt/@archive-due").status_code in (401, 403)


def test_legal_hold_and_disposal_over_http(url, demo_server):
    from tests.dossiers.test_zz_browser import _give_keys

    _give_keys(demo_server, "stttt.chuyenvien", "stttt.luutru")
    dossier = _closed_dossier(url)
    rm, leader = session("stttt.luutru"), session("stttt.lanhdao")
    r = rm.patch(
        dossier["@id"], json={"start_date": "2014-01-01", "end_date": "2015-01-01", "retention": "5"}
    )
    assert r.status_code == 204, r.text
    # to the archive: prepared by the responsible person, approved by the leader, accepted
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@archive-transfers",
                                         json={"dossiers": [dossier["uid"]]})
    assert r.status_code == 201, r.text
    tid = r.json()["id"]
    r = leader.post(f"{url}/so-tttt/@archive-transfers/{tid}/approve", json={})
    assert r.status_code == 200, r.text
    r = rm.post(f"{url}/so-tttt/@archive-transfers/{tid}/accept", json={})
    assert r.status_code == 200, r.text
    r = leader.post(f"{dossier['@id']}/@legal-hold", json={"reason": "Đang thanh tra"})
    assert r.status_code == 200 and r.json()["legal_hold"]["reason"] == "Đang thanh tra"
    agency = f"{url}/so-tttt"
    body = {"dossiers": [dossier["uid"]], "appraisal": "Hết giá trị theo đánh giá của hội đồng"}
    r = rm.post(f"{agency}/@archive-disposals", json=body)
    assert r.status_code == 409, r.text
    assert "phong tỏa" in r.json()["error"]["errors"][0]["message"]
    r = rm.delete(f"{dossier['@id']}/@legal-hold", json={"reason": "Xong"})
    assert r.status_code == 200, r.text
    r = rm.post(f"{agency}/@archive-disposals", json=body)
    assert r.status_code == 201, r.text
    did = r.json()["id"]
    r = rm.post(f"{agency}/@archive-disposals/{did}/approve", json={})
    assert r.status_code == 403  # the leader approves
    r = leader.post(f"{agency}/@archive-disposals/{did}/approve", json={})
    assert r.status_code == 200 and r.json()["state"] == "approved"
    r = rm.post(f"{agency}/@archive-disposals/{did}/execute", json={})
    assert r.status_code == 200, r.text
    done = r.json()
    assert done["state"] == "executed" and done["destroyed"][0]["fields"]["FileCode"] == dossier["file_code"]
    r = rm.get(done["record_pdf"])
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert rm.get(f"{dossier['@id']}/@dossier").json()["review_state"] == "disposed"
    r = rm.get(f"{agency}/@archive-disposals/HY-0000-999")
    assert r.status_code == 404 and r.json()["error"]["message"].startswith("Không có danh mục hủy")
