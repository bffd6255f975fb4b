"""The two dossier registers (Mục lục hồ sơ, Mục lục văn bản trong hồ sơ) through ``@registers``."""

from io import BytesIO
from tests.dossiers.test_rest import _dossier
from tests.dossiers.test_rest import _incoming
from tests.incoming.helpers import session

import datetime
import pytest


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _cells(data):
    from openpyxl import load_workbook

    return [c for row in load_workbook(BytesIO(data)).active.iter_rows(values_only=True) for c in row]


def _filed(url):
    dossier = _dossier(url, title="Hồ sơ mục lục kiểm thử")
    docs = [_incoming(url, 931), _incoming(url, 932)]
    r = session("stttt.vanthu").post(f"{dossier['@id']}/@file-documents",
                                     json={"documents": [d["uid"] for d in docs]})
    assert r.status_code == 200, r.text
    return dossier, docs


def test_listing_per_role(url):
    for user, listed in (("stttt.luutru", True), ("stttt.lanhdao", True), ("stttt.chuyenvien", True),
                         ("snv.luutru", False)):
        r = session(user).get(f"{url}/so-tttt/@registers")
        if not listed:
            assert r.status_code in (401, 403) or not {i["name"] for i in r.json()["items"]} \
                & {"dossiers", "dossier_documents"}, user
            continue
        assert r.status_code == 200, (user, r.text)
        items = {i["name"]: i for i in r.json()["items"]}
        assert {"dossiers", "dossier_documents"} <= set(items), user
        assert items["dossiers"]["downloads"]["pdf"] and items["dossiers"]["downloads"]["xlsx"]


def test_dossier_list_json_pdf_xlsx(url):
    dossier, _docs = _filed(url)
    year = datetime.date.today().year
    rm = session("stttt.luutru")
    r = rm.get(f"{url}/so-tttt/@registers/dossiers", params={"year": year})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["title"] == "MỤC LỤC HỒ SƠ"
    row = next(r for r in body["rows"] if r["file_notation"] == dossier["file_code"])
    assert row["title"] == "Hồ sơ mục lục kiểm thử" and row["retention"] == "10 năm" and row["pages"] == "6"
    # another year: not listed
    r = rm.get(f"{url}/so-tttt/@registers/dossiers", params={"year": year - 5})
    assert dossier["file_code"] not in [r["file_notation"] for r in r.json()["rows"]]
    pdf = rm.get(f"{url}/so-tttt/@registers/dossiers", params={"year": year, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert f'muc-luc-ho-so-{year}.pdf' in pdf.headers["Content-Disposition"]
    xlsx = rm.get(f"{url}/so-tttt/@registers/dossiers", params={"year": year, "format": "xlsx"})
    assert xlsx.status_code == 200
    cells = _cells(xlsx.content)
    assert dossier["file_code"] in cells
    # another agency's records manager never reads them
    other = session("snv.luutru").get(f"{url}/so-tttt/@registers/dossiers", params={"year": year})
    assert other.status_code in (401, 403)


def test_dossier_documents_of_one_dossier(url):
    dossier, docs = _filed(url)
    rm = session("stttt.luutru")
    r = rm.get(f"{url}/so-tttt/@registers/dossier_documents", params={"dossier": dossier["file_code"]})
    assert r.status_code == 200, r.text
    rows = r.json()["rows"]
    assert [row["ordinal"] for row in rows] == [1, 2]
    assert [row["subject"] for row in rows] == ["Về việc báo cáo kết quả chuyển đổi số"] * 2
    assert [row["notation"] for row in rows] == ["931/UBND-VP", "932/UBND-VP"]
    assert rows[0]["pages"] == 3
    by_uid = rm.get(f"{url}/so-tttt/@registers/dossier_documents", params={"dossier": dossier["uid"]})
    assert by_uid.json()["rows"] == rows
    xlsx = rm.get(f"{url}/so-tttt/@registers/dossier_documents",
                  params={"dossier": dossier["uid"], "format": "xlsx"})
    cells = _cells(xlsx.content)
    assert "931/UBND-VP" in cells
    pdf = rm.get(f"{url}/so-tttt/@registers/dossier_documents",
                 params={"dossier": dossier["uid"], "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    missing = rm.get(f"{url}/so-tttt/@registers/dossier_documents", params={"dossier": "khong-co"})
    assert missing.status_code == 404 and missing.json()["error"]["message"]
