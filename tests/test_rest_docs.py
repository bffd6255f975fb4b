"""The REST API by example: real calls against the demo site, written to ``docs/rest/``.

Like plone.restapi's documentation, the examples are produced by the tests:
every run performs the calls of a clerk's, a leader's and a handler's day,
checks their answers, and (re)writes one Markdown file per call with the
request and the response. Values that change from run to run (ids, UIDs,
dates, numbers) are replaced by placeholders, so the files change only when
the API does. ``git diff docs/rest`` after a change shows what clients see.
"""

from __future__ import annotations

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from pathlib import Path
from dongthap.qlvb.demo.incoming import make_pdf
from tests.incoming.helpers import payload

import base64

import json
import re
import requests

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rest"
VOLATILE = [
    (re.compile(r"https?://(localhost|127\.0\.0\.1):\d+/plone"), "http://localhost:8080/qlvb"),
    (re.compile(r"vbdi?-[a-z0-9]{10}"), "vbd-xxxxxxxxxx"),
    (re.compile(r"\bbs-[a-z0-9]{10}"), "bs-xxxxxxxxxx"),
    (re.compile(r"\b(QLVB_[A-Za-z]+_)[0-9a-f]{8}\b"), r"\1<id>"),
    (re.compile(r'("serial": ")[0-9a-f]+"'), r'\1<serial>"'),
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b\d{16,20}\b"), "<number>"),  # notification ids (time-based)
    (re.compile(r"\b[0-9a-f]{32}\b"), "<uid>"),
    (re.compile(r"\b[0-9a-f]{8}\b"), "<id>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?"), "<datetime>"),
    (re.compile(r"\d{4}-\d{2}-\d{2}"), "<date>"),
    (re.compile(r"\d{2}/\d{2}/\d{4}( \d{2}:\d{2}(:\d{2})?( \+07:00)?)?"), "<dd/mm/yyyy>"),
    (re.compile(r"/(19|20)\d{2}/"), "/<year>/"),
]
TITLES = {
    "incoming_create": "Register an incoming paper document (clerk): `POST <agency>/@incoming`",
    "incoming_list": "The clerk's and leader's work lists: `GET <agency>/@incoming`",
    "incoming_assign": "Assign it (leader): `POST <document>/@assign`",
    "incoming_assignment": "Read the assignment, progress and trail: `GET <document>/@assign`",
    "incoming_progress": "Record progress (handler): `POST <document>/@progress`",
    "incoming_bad_input": "Bad input: a translated error, nothing created",
    "registers_list": "The registers the user may see: `GET <agency>/@registers`",
    "registers_incoming": "One register's rows (JSON; `format=pdf|xlsx` downloads it): "
                          "`GET <agency>/@registers/incoming`",
    "staff_list": "The staff of an agency with roles and departments: `GET <agency>/@staff`",
    "staff_departments": "Move a person to another department (agency admin): `POST <agency>/@staff`",
    "outgoing_create": "Draft an outgoing document (specialist): `POST <agency>/@outgoing`",
    "outgoing_submit": "Submit it for review: `POST <document>/@workflow/submit`",
    "outgoing_forward": "Department head approves and forwards: `POST <document>/@workflow/forward`",
    "outgoing_approve": "Leader approves: `POST <document>/@workflow/approve`",
    "outgoing_sign": "Leader signs (PAdES, server-held key): `POST <document>/@workflow/sign`",
    "outgoing_issue": "Clerk issues (number, agency seal, delivery): `POST <document>/@workflow/issue`",
    "outgoing_signatures": "The issued document is legally valid: `GET <document>/@signatures`",
    "outgoing_delivery": "Who received it and what they did: `GET <document>/@delivery-status`",
    "signatures": "The signature report of a document: `GET <document>/@signatures`",
    "outgoing_issue_paper": "Clerk issues a document signed by hand with its scan (number from the same "
                            "series): `POST <document>/@issue-paper`",
    "copies_create": "Make a copy (sao y, sao lục, trích sao) of a document (clerk): `POST <agency>/@copies`",
    "copies_sign": "The chosen leader signs the copy: `POST <copy>/@workflow/sign`",
    "copies_issue": "Clerk numbers it in the series of copies and seals it: `POST <copy>/@workflow/issue`",
    "copies_read": "The copy, its original and its trail: `GET <copy>/@copy`",
    "copies_of_original": "The copies of a document: `GET <document>/@copies`",
    "registers_copies": "The register of copies (JSON; `format=pdf|xlsx` downloads it): "
                        "`GET <agency>/@registers/copies`",
}


def _normalise(text: str) -> str:
    for pattern, placeholder in VOLATILE:
        text = pattern.sub(placeholder, text)
    return text


def _shorten(value):
    """Long base64 data (files) is shortened in the examples."""
    if isinstance(value, dict):
        return {k: ("<base64 …>" if k == "data" and isinstance(v, str) and len(v) > 80 else _shorten(v))
                for k, v in value.items()}
    if isinstance(value, list):
        return [_shorten(v) for v in value[:5]] + (["…"] if len(value) > 5 else [])
    return value


class Recorder:
    """Calls the demo server (``base``) as a demo account and writes each call as
    ``docs/rest/<name>.md``. A test module of its own examples gives their headings (``titles``,
    by name; they join :data:`TITLES`) and the placeholders of its values that change from run to
    run (``extra``: ``(pattern, placeholder)`` pairs, applied after :data:`VOLATILE`)."""

    def __init__(self, base, titles=None, extra=()):
        self.base = base
        self.titles = titles or {}
        self.extra = list(extra)

    def call(self, name, user, method, path, body=None):
        s = requests.Session()
        s.auth = (user, DEMO_PASSWORD)
        url = path if path.startswith("http") else f"{self.base}/{path}"
        r = s.request(method, url, json=body, headers={"Accept": "application/json"}, timeout=60)
        try:
            answer = r.json()
        except ValueError:
            answer = None
        self.write(name, user, method, url, body, r.status_code, answer)
        return r

    def write(self, name, user, method, url, body, status, answer):
        if name in self.titles:
            TITLES.setdefault(name, self.titles[name])
        DOCS.mkdir(parents=True, exist_ok=True)
        parts = [f"# {TITLES[name]}", "",
                 f"As `{user}` (Basic auth here; the Plone UI uses its login cookie).", "",
                 "```http", f"{method} {url} HTTP/1.1", "Accept: application/json"]
        if body is not None:
            parts += ["Content-Type: application/json", "",
                      json.dumps(_shorten(body), ensure_ascii=False, indent=2)]
        parts += ["```", "", "```http", f"HTTP/1.1 {status}", "Content-Type: application/json", ""]
        if answer is not None:
            parts.append(json.dumps(_shorten(answer), ensure_ascii=False, indent=2, sort_keys=True))
        parts += ["```", ""]
        text = _normalise("\n".join(parts))
        if self.extra:
            for pattern, placeholder in self.extra:
                text = pattern.sub(placeholder, text)
            text = _normalise(text)
        (DOCS / f"{name}.md").write_text(text, encoding="utf-8")


def test_a_day_of_incoming_work(demo_server):
    rec = Recorder(demo_server["url"])
    body = payload(register=True)
    r = rec.call("incoming_create", "caolanh.vanthu", "POST", "phuong-cao-lanh/@incoming", body)
    assert r.status_code == 201, r.text
    doc = r.json()
    # an agency no other test writes to: the first arrival number of the session
    assert doc["arrival_number"] == 1 and doc["state"] == "registered"

    r = rec.call("incoming_list", "caolanh.lanhdao", "GET", "phuong-cao-lanh/@incoming")
    assert r.status_code == 200

    deadline = (payload()["due_date"])
    r = rec.call("incoming_assign", "caolanh.lanhdao", "POST", f"{doc['@id']}/@assign", {
        "lead": {"user": "caolanh.truongphong", "department": "kt", "deadline": deadline},
        "coordinators": [{"user": "caolanh.chuyenvien", "deadline": deadline}],
        "fyi": ["caolanh.luutru"],
        "direction": "Phòng Kinh tế chủ trì, tham mưu văn bản trả lời trước hạn.",
    })
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "assigned"

    r = rec.call("incoming_progress", "caolanh.truongphong", "POST", f"{doc['@id']}/@progress",
                 {"text": "Đã giao chuyên viên dự thảo báo cáo."})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "in_progress"

    r = rec.call("incoming_assignment", "caolanh.truongphong", "GET", f"{doc['@id']}/@assign")
    assert r.status_code == 200
    assert [e["kind"] for e in r.json()["entries"]] == ["lead", "coordinator", "fyi"]

    r = rec.call("registers_list", "caolanh.vanthu", "GET", "phuong-cao-lanh/@registers")
    assert r.status_code == 200
    assert [i["name"] for i in r.json()["items"]][:2] == ["incoming", "incoming_tracking"]
    r = rec.call("registers_incoming", "caolanh.vanthu", "GET", "phuong-cao-lanh/@registers/incoming")
    assert r.status_code == 200 and [row["arrival_number"] for row in r.json()["rows"]] == [1]

    bad = dict(payload(), document_type="khong_co", issued_date="2999-01-01")
    r = rec.call("incoming_bad_input", "caolanh.vanthu", "POST", "phuong-cao-lanh/@incoming", bad)
    assert r.status_code == 400
    assert r.json()["error"]["message"]

    r = rec.call("signatures", "caolanh.vanthu", "GET", f"{doc['@id']}/@signatures")
    assert r.status_code == 200 and r.json()["legal_validity"] == "unsigned"

    r = rec.call("staff_departments", "stc.quantri", "POST", "so-tai-chinh/@staff",
                 {"username": "stc.chuyenvien", "departments": ["ns"]})
    assert r.status_code == 200, r.text
    r = rec.call("staff_list", "stc.quantri", "GET", "so-tai-chinh/@staff")
    assert r.status_code == 200 and r.json()["departments"]
    member = {m["username"]: m for m in r.json()["items"]}["stc.chuyenvien"]
    assert member["departments"] == ["ns"]


def test_a_day_of_outgoing_work(demo_server):
    from plone import api

    rec = Recorder(demo_server["url"])
    recipient = api.content.get_uuid(demo_server["layer"]["portal"]["xa-my-tho"])
    pdf = make_pdf(["UBND PHƯỜNG CAO LÃNH", "Số:      /UBND-KT", "V/v báo cáo tình hình kinh tế"])
    r = rec.call("outgoing_create", "caolanh.chuyenvien", "POST", "phuong-cao-lanh/@outgoing", {
        "title": "V/v báo cáo tình hình kinh tế quý IV", "document_type": "cong_van",
        "drafting_department": "kt", "signer": "caolanh.lanhdao", "signer_position": "CHỦ TỊCH",
        "urgency": "khan", "internal_recipients": [recipient],
        "file": {"data": base64.b64encode(pdf).decode(), "encoding": "base64",
                 "filename": "du-thao.pdf", "content-type": "application/pdf"}})
    assert r.status_code == 201, r.text
    url = r.json()["@id"]
    for name, user, transition, state in (
            ("outgoing_submit", "caolanh.chuyenvien", "submit", "pending_review"),
            ("outgoing_forward", "caolanh.truongphong", "forward", "pending_review"),
            ("outgoing_approve", "caolanh.lanhdao", "approve", "approved"),
            ("outgoing_sign", "caolanh.lanhdao", "sign", "signed"),
            ("outgoing_issue", "caolanh.vanthu", "issue", "issued")):
        r = rec.call(name, user, "POST", f"{url}/@workflow/{transition}", {"comment": ""})
        assert r.status_code == 200, r.text
        assert r.json()["review_state"] == state
    r = rec.call("outgoing_signatures", "caolanh.vanthu", "GET", f"{url}/@signatures")
    assert r.status_code == 200 and r.json()["legal_validity"] == "legal"
    r = rec.call("outgoing_delivery", "caolanh.vanthu", "GET", f"{url}/@delivery-status")
    assert r.status_code == 200, r.text


def test_a_paper_issue_and_copies(demo_server):
    from dongthap.qlvb_testing.scans import make_scan
    from plone import api

    rec = Recorder(demo_server["url"])
    portal = demo_server["layer"]["portal"]
    recipient = api.content.get_uuid(portal["xa-my-tho"])
    pdf = make_pdf(["UBND PHƯỜNG CAO LÃNH", "Số:      /QĐ-UBND", "Quyết định ký tay"])
    s = requests.Session()
    s.auth = ("caolanh.chuyenvien", DEMO_PASSWORD)
    r = s.post(f"{rec.base}/phuong-cao-lanh/@outgoing", json={
        "title": "Quyết định về việc thành lập tổ công tác", "document_type": "quyet_dinh",
        "drafting_department": "kt", "signer": "caolanh.lanhdao", "signer_position": "CHỦ TỊCH",
        "urgency": "thuong", "internal_recipients": [recipient],
        "file": {"data": base64.b64encode(pdf).decode(), "encoding": "base64", "filename": "du-thao.pdf"}},
        headers={"Accept": "application/json"})
    assert r.status_code == 201, r.text
    url = r.json()["@id"]
    for user, transition in (("caolanh.chuyenvien", "submit"), ("caolanh.truongphong", "forward"),
                             ("caolanh.lanhdao", "approve")):
        s.auth = (user, DEMO_PASSWORD)
        assert s.post(f"{url}/@workflow/{transition}", json={},
                      headers={"Accept": "application/json"}).status_code == 200
    r = rec.call("outgoing_issue_paper", "caolanh.vanthu", "POST", f"{url}/@issue-paper", {
        "scan": {"data": base64.b64encode(make_scan(300)).decode(), "encoding": "base64",
                 "filename": "ban-goc-ky-tay.pdf"}, "comment": "Lãnh đạo ký tay"})
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "issued" and r.json()["original_medium"] == "paper"
    r = rec.call("copies_create", "caolanh.vanthu", "POST", "phuong-cao-lanh/@copies", {
        "original": r.json()["uid"], "copy_form": "trich_sao", "copy_medium": "electronic",
        "page_from": 1, "page_to": 1, "place": "Đồng Tháp", "signer": "caolanh.lanhdao",
        "signer_position": "CHỦ TỊCH", "signing_authority": "TM", "recipients": "Xã Mỹ Thọ"})
    assert r.status_code == 201, r.text
    copy = r.json()["@id"]
    r = rec.call("copies_sign", "caolanh.lanhdao", "POST", f"{copy}/@workflow/sign", {"comment": ""})
    assert r.status_code == 200 and r.json()["state"] == "signed", r.text
    r = rec.call("copies_issue", "caolanh.vanthu", "POST", f"{copy}/@workflow/issue", {"comment": ""})
    assert r.status_code == 200 and r.json()["state"] == "issued", r.text
    assert r.json()["notation"].split("/")[1] == "TrS-" + portal["phuong-cao-lanh"].abbreviation
    r = rec.call("copies_read", "caolanh.vanthu", "GET", f"{copy}/@copy")
    assert r.status_code == 200 and r.json()["form_words"] == "TRÍCH SAO"
    r = rec.call("copies_of_original", "caolanh.vanthu", "GET", f"{url}/@copies")
    assert [c["form"] for c in r.json()["items"]] == ["trich_sao"]
    r = rec.call("registers_copies", "caolanh.vanthu", "GET", "phuong-cao-lanh/@registers/copies")
    assert r.status_code == 200 and r.json()["rows"][-1]["form"] == "TRÍCH SAO"


def test_the_docs_index_lists_every_example():
    """docs/rest/README.md links every example file this module writes."""
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for name in TITLES:
        assert f"({name}.md)" in index, name


def test_examples_hide_volatile_values():
    text = _normalise('{"@id": "http://localhost:51234/plone/so-tttt/van-ban-den/2026/vbd-ab3cd4ef5g", '
                      '"UID": "0123456789abcdef0123456789abcdef", "at": "2026-11-25T22:00:01+07:00"}')
    assert text == ('{"@id": "http://localhost:8080/qlvb/so-tttt/van-ban-den/<year>/vbd-xxxxxxxxxx", '
                    '"UID": "<uid>", "at": "<datetime>"}')
