"""Entry paths of the document flow: draft version uploads and delivery between agencies.

Through the real WSGI demo server and the real private clamd (fixtures ``av``
and ``demo_server``).  A new main file PATCHed into a draft becomes a new
version - unless it is infected.  A file stored without a scan (scanning
switched off with the documented ``QLVB_CLAMD_ENABLED=0``) is refused by the
check of :func:`dongthap.qlvb.outgoing.delivery.deliver` when the document is
issued to another agency: no copy, no number, an incident for the recipient.
"""

from __future__ import annotations

import base64

import pytest
import transaction
from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD
from zope.component.hooks import setSite

from dongthap.qlvb.antivirus import eicar_bytes
from dongthap.qlvb.demo.data import DEMO_PASSWORD

from . import samples
from .conftest import blob_files
from .test_entry_paths import assert_refused_message, rest_error_message, session
from .test_plone_api import incidents_of

CLEAN = samples.clean_pdf("So TTTT - du thao ban 1")
INFECTED = {
    "ban-2-nhiem.pdf": samples.reportlab_pdf_with_payload(eicar_bytes()),
    "ban-2-tho.pdf": eicar_bytes(),  # the raw EICAR string named .pdf
}


@pytest.fixture
def server(av, demo_server):
    portal = demo_server["layer"]["portal"]
    setSite(portal)
    transaction.begin()
    return {"url": demo_server["url"], "portal": portal}


def staff(user):
    return session((user, DEMO_PASSWORD))


def file_json(name, data):
    return {"data": base64.b64encode(data).decode("ascii"), "encoding": "base64",
            "filename": name, "content-type": "application/pdf"}


def uid(server, path):
    r = session((SITE_OWNER_NAME, SITE_OWNER_PASSWORD)).get(f"{server['url']}/{path}")
    assert r.status_code == 200, r.text
    return r.json()["UID"]


def create_draft(server, name, **extra):
    body = {
        "title": f"V/v kiểm tra quét virus {name}", "document_type": "cong_van",
        "drafting_department": "vp", "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
        "internal_recipients": [uid(server, "so-noi-vu")], "file": file_json(name, CLEAN),
    }
    body.update(extra)
    r = staff("stttt.chuyenvien").post(f"{server['url']}/so-tttt/@outgoing", json=body)
    assert r.status_code == 201, r.text
    return r.json()


def stored(server, doc):
    """The document as committed (fresh transaction in the test thread)."""
    transaction.begin()
    return server["portal"].unrestrictedTraverse(doc["path"])


# --------------------------------------------------------------------------
# Version uploads


@pytest.mark.parametrize("name", sorted(INFECTED))
def test_version_upload_infected_refused(server, name):
    from dongthap.qlvb.outgoing import api as outgoing

    doc = create_draft(server, "du-thao.pdf")
    s = staff("stttt.chuyenvien")
    # a clean second version is accepted and becomes version 2
    second = CLEAN.replace(b"%%EOF", b"% ban 2\n%%EOF")
    r = s.patch(doc["url"], json={"file": file_json("du-thao-2.pdf", second)})
    assert r.status_code == 204, r.text
    obj = stored(server, doc)
    versions = [(v["version"], v["filename"], v["sha256"]) for v in outgoing.versions(obj)]
    assert [v[1] for v in versions] == ["du-thao.pdf", "du-thao-2.pdf"]
    blobs = blob_files(server["portal"])

    r = s.patch(doc["url"], json={"file": file_json(name, INFECTED[name])})
    assert r.status_code == 400, r.text
    assert_refused_message(rest_error_message(r), name, "Eicar")

    obj = stored(server, doc)
    assert [(v["version"], v["filename"], v["sha256"]) for v in outgoing.versions(obj)] == versions
    assert bytes(obj.file.data) == second and obj.file.filename == "du-thao-2.pdf"
    assert blob_files(server["portal"]) == blobs
    info = s.get(f"{doc['url']}/@review-comments").json()
    assert [v["filename"] for v in info["versions"]] == ["du-thao.pdf", "du-thao-2.pdf"]
    (incident,) = incidents_of(server["portal"], name)
    assert incident["kind"] == "infected" and incident["signature"].startswith("Eicar")
    assert incident["path_of_entry"] == "rest" and incident["userid"] == "stttt.chuyenvien"
    assert incident["agency_code"] == server["portal"]["so-tttt"].agency_code


# --------------------------------------------------------------------------
# Internal delivery


def incoming_copies(server, doc_uid):
    from dongthap.qlvb.outgoing.delivery import SOURCE_ATTR

    transaction.begin()
    catalog = server["portal"].portal_catalog
    brains = catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument",
        path="/".join(server["portal"]["so-noi-vu"].getPhysicalPath()))
    return [b for b in brains if getattr(b._unrestrictedGetObject(), SOURCE_ATTR, None) == doc_uid]


@pytest.mark.parametrize("where", ["file", "attachment"])
def test_delivery_refuses_a_file_stored_without_scan(server, monkeypatch, where):
    name = "to-trinh-nhiem.pdf"
    infected = INFECTED["ban-2-nhiem.pdf"]
    # An administrator switched scanning off: the infected file is stored unscanned.
    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    if where == "file":
        doc = create_draft(server, name, file=file_json(name, infected))
    else:
        doc = create_draft(server, "du-thao.pdf", attachments=[file_json(name, infected)])
    steps = [("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
             ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign")]
    for user, transition in steps:
        r = staff(user).post(f"{doc['url']}/@workflow/{transition}", json={"comment": ""})
        assert r.status_code == 200, (transition, r.text)
    unscanned = incidents_of(server["portal"], name)
    assert unscanned and {i["kind"] for i in unscanned} == {"accepted_unscanned"}
    # Scanning is switched on again; the clerk issues the document to so-noi-vu.
    monkeypatch.delenv("QLVB_CLAMD_ENABLED")
    r = staff("stttt.vanthu").post(f"{doc['url']}/@workflow/issue", json={"comment": ""})
    assert 400 <= r.status_code < 500, r.text
    message = rest_error_message(r)
    assert name in message and "Eicar" in message and "nhiễm mã độc" in message, message

    assert incoming_copies(server, uid_of(server, doc)) == []
    obj = stored(server, doc)
    from plone import api

    assert api.content.get_state(obj) == "signed"
    assert obj.code_number is None and not obj.issued_date
    from dongthap.qlvb.outgoing.delivery import delivery_status

    assert delivery_status(obj) == []
    refused = [i for i in incidents_of(server["portal"], name) if i["kind"] == "infected"]
    (incident,) = refused
    assert incident["signature"].startswith("Eicar")
    # The signed files (main file and attachments) are scanned once for the recipients,
    # before the issuing transaction (outgoing/issuing.py): refused there, nothing issued.
    assert incident["path_of_entry"] == "delivery"
    assert incident["agency_code"] == server["portal"]["so-noi-vu"].agency_code
    assert incident["userid"] == "stttt.vanthu"


def uid_of(server, doc):
    from plone.uuid.interfaces import IUUID

    return IUUID(stored(server, doc))


# --------------------------------------------------------------------------
# Tasks (giao việc): the files of a task are scanned like every upload


def test_task_attachment_infected_refused(server):
    import datetime

    s = staff("stttt.lanhdao")
    url = f"{server['url']}/so-tttt/@tasks"
    before = len(s.get(url, params={"list": "assigned"}).json()["assigned"])
    blobs = blob_files(server["portal"])
    deadline = (datetime.date.today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    body = {"title": "Việc có tệp nhiễm mã độc", "deadline": deadline, "lead": {"user": "stttt.chuyenvien"},
            "attachments": [file_json("ke-hoach.pdf", CLEAN), file_json("ke-hoach.com", eicar_bytes())]}
    r = s.post(url, json=body)
    assert r.status_code == 400, r.text
    assert_refused_message(rest_error_message(r), "ke-hoach.com", "Eicar")
    assert len(s.get(url, params={"list": "assigned"}).json()["assigned"]) == before
    assert blob_files(server["portal"]) == blobs
    (incident,) = incidents_of(server["portal"], "ke-hoach.com")
    assert incident["kind"] == "infected" and incident["path_of_entry"] == "tasks"
    assert incident["userid"] == "stttt.lanhdao"
    # the clean file alone is accepted
    body["attachments"] = body["attachments"][:1]
    r = s.post(url, json=body)
    assert r.status_code == 201, r.text
    assert [f["filename"] for f in r.json()["attachments"]] == ["ke-hoach.pdf"]


def test_task_file_added_by_a_change_infected_refused(server):
    import datetime

    s = staff("stttt.lanhdao")
    url = f"{server['url']}/so-tttt/@tasks"
    deadline = (datetime.date.today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y")
    task = s.post(url, json={"title": "Việc được bổ sung tệp", "deadline": deadline,
                             "lead": {"user": "stttt.chuyenvien"}}).json()
    blobs = blob_files(server["portal"])
    r = s.post(f"{url}/{task['id']}/edit", json={"title": "Không được lưu", "attachments": [
        file_json("bo-sung.pdf", CLEAN), file_json("bo-sung.com", eicar_bytes())]})
    assert r.status_code == 400, r.text
    assert_refused_message(rest_error_message(r), "bo-sung.com", "Eicar")
    assert blob_files(server["portal"]) == blobs
    (incident,) = incidents_of(server["portal"], "bo-sung.com")
    assert incident["path_of_entry"] == "tasks" and incident["userid"] == "stttt.lanhdao"
    again = s.get(f"{url}/{task['id']}").json()
    assert again["title"] == "Việc được bổ sung tệp" and again["attachments"] == []
    assert [h["action"] for h in again["history"]] == ["create"]
    r = s.post(f"{url}/{task['id']}/edit", json={"attachments": [file_json("bo-sung.pdf", CLEAN)]})
    assert r.status_code == 200 and [f["filename"] for f in r.json()["attachments"]] == ["bo-sung.pdf"]
