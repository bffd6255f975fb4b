"""The dossier REST API by example (``docs/rest/dossiers_*.md``), written like ``tests/test_rest_docs.py``."""

from tests.incoming.helpers import payload
from tests.test_rest_docs import DOCS
from tests.test_rest_docs import Recorder

import re

TITLES = {
    "dossiers_schedule":
        "Draft the records schedule (records manager): `PUT <agency>/@records-schedule/<year>`",
    "dossiers_schedule_approve": "Approve it (leader): `POST <agency>/@records-schedule/<year>/approve`",
    "dossiers_create": "Open a dossier (specialist): `POST <agency>/@dossiers`",
    "dossiers_file": "File documents into it: `POST <dossier>/@file-documents`",
    "dossiers_document": "The dossiers of a document: `GET <document>/@dossiers`",
    "dossiers_close": "Close it (records manager): `POST <dossier>/@dossier-workflow/close`",
    "dossiers_read": "The dossier with its documents: `GET <dossier>/@dossier`",
    "dossiers_list": "The agency's dossiers (filters): `GET <agency>/@dossiers?state=closed`",
    "dossiers_bad_input": "Bad input: a translated error, nothing created",
}
EXTRA = [(re.compile(r"hs-[a-z0-9]{10}"), "hs-xxxxxxxxxx"),
         (re.compile(r"\.(19|20)\d{2}\.(\d\d\.[A-Z])"), r".<year>.\2"),
         (re.compile(r'"year": (19|20)\d{2}'), '"year": <year>'),
         (re.compile(r"/@records-schedule/\d{4}"), "/@records-schedule/<year>")]


def test_a_day_of_dossier_work(demo_server):
    rec = Recorder(demo_server["url"], TITLES, EXTRA)
    year = 2035
    rows = [{"kind": "heading", "number": "I", "title": "Văn phòng HĐND và UBND"},
            {"kind": "entry", "notation": "01.VP", "title": "Hồ sơ tổ chức cán bộ", "retention": "permanent",
             "unit": "vp", "person": "Lưu trữ viên"},
            {"kind": "entry", "notation": "02.VP", "title": "Hồ sơ thi đua, khen thưởng", "retention": "20",
             "unit": "vp"}]
    r = rec.call("dossiers_schedule", "mytho.luutru", "PUT", f"xa-my-tho/@records-schedule/{year}",
                 {"rows": rows})
    assert r.status_code == 200, r.text
    r = rec.call("dossiers_schedule_approve", "mytho.lanhdao", "POST",
                 f"xa-my-tho/@records-schedule/{year}/approve")
    assert r.status_code == 200 and r.json()["state"] == "approved"
    r = rec.call("dossiers_create", "mytho.chuyenvien", "POST", "xa-my-tho/@dossiers", {
        "title": "Hồ sơ tổ chức cán bộ", "notation": "01.VP", "retention": "permanent", "year": year,
        "department": "vp", "description": "Quyết định bổ nhiệm, điều động cán bộ."})
    assert r.status_code == 201, r.text
    dossier = r.json()
    assert dossier["schedule_entry"] == "01.VP"
    import requests

    clerk = requests.Session()
    clerk.auth = ("mytho.vanthu", rec_password())
    clerk.headers["Accept"] = "application/json"
    docs = []
    for number in (1, 2):
        r = clerk.post(f"{demo_server['url']}/xa-my-tho/@incoming",
                       json=payload(register=True, code_number=str(100 + number), page_amount="2"))
        assert r.status_code == 201, r.text
        docs.append(r.json())
    r = rec.call("dossiers_file", "mytho.vanthu", "POST", f"{dossier['@id']}/@file-documents",
                 {"documents": [d["uid"] for d in docs]})
    assert r.status_code == 200, r.text
    r = rec.call("dossiers_document", "mytho.vanthu", "GET", f"{docs[0]['url']}/@dossiers")
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    r = rec.call("dossiers_close", "mytho.luutru", "POST", f"{dossier['@id']}/@dossier-workflow/close", {})
    assert r.status_code == 200 and r.json()["review_state"] == "closed"
    r = rec.call("dossiers_read", "mytho.luutru", "GET", f"{dossier['@id']}/@dossier")
    assert r.status_code == 200 and r.json()["doc_total"] == 2
    r = rec.call("dossiers_list", "mytho.luutru", "GET", "xa-my-tho/@dossiers?state=closed")
    assert r.status_code == 200 and r.json()["items_total"] >= 1
    r = rec.call("dossiers_bad_input", "mytho.chuyenvien", "POST", "xa-my-tho/@dossiers",
                 {"title": "", "notation": "01 VP", "retention": "3"})
    assert r.status_code == 400


def rec_password():
    from dongthap.qlvb.demo.data import DEMO_PASSWORD

    return DEMO_PASSWORD


def test_the_docs_index_lists_every_dossier_example():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for name in TITLES:
        assert f"({name}.md)" in index, name
