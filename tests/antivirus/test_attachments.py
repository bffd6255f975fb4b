"""Every file of a document is scanned, on every transaction, before any other check.

Issue 11, defects 1 and 2, through the real WSGI demo server and the real
private clamd (fixtures ``av`` and ``demo_server``):

* an infected *attachment* (a list field holding several files) is refused
  like an infected main file - on ``@incoming`` and on ``@outgoing``;
* a file set in a later transaction of the same request (after
  :func:`dongthap.qlvb.numbering.run_in_transaction` committed) still
  passes the safety net before it can be committed;
* malware that is not a PDF (the EICAR string named ``.pdf``, a ZIP sent as
  ``.pdf``) is refused as malware and recorded as an incident, instead of
  being turned away silently as "not a PDF".
"""

from __future__ import annotations

import base64
import datetime

import pytest
import transaction
from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD
from zope.component.hooks import setSite

from dongthap.qlvb.antivirus import eicar_bytes
from dongthap.qlvb.demo.data import DEMO_PASSWORD

from . import samples
from .conftest import blob_files
from .test_entry_paths import assert_refused_message, session
from .test_plone_api import incidents_of

CLEAN = samples.clean_pdf("UBND tinh - cong van kem phu luc")
EICAR_IN_STREAM = samples.reportlab_pdf_with_payload(eicar_bytes())
#: Malware that is not a PDF at all, sent with a ``.pdf`` name.
NOT_A_PDF = {
    "eicar-ten-pdf.pdf": eicar_bytes(),
    "zip-ten-pdf.pdf": samples.zip_of({"ho-so/eicar.com": eicar_bytes()}),
}


@pytest.fixture
def server(av, demo_server):
    portal = demo_server["layer"]["portal"]
    setSite(portal)
    transaction.begin()
    return {"url": demo_server["url"], "portal": portal, "layer": demo_server["layer"]}


def rest_error_message(response):
    """The message of a REST error answer and of each of its field errors."""
    body = response.json()
    error = body.get("error") if isinstance(body.get("error"), dict) else body
    texts = [str(error.get("message", ""))]
    texts += [str(e.get("message", "")) for e in error.get("errors") or () if isinstance(e, dict)]
    return " ".join(texts)


def file_json(name, data):
    return {"data": base64.b64encode(data).decode("ascii"), "encoding": "base64",
            "filename": name, "content-type": "application/pdf"}


def incoming_body(**overrides):
    body = {
        "title": "Về việc báo cáo kết quả chuyển đổi số", "document_type": "cong_van",
        "code_number": "15", "code_notation": "UBND-VP",
        "issued_date": (datetime.date.today() - datetime.timedelta(days=2)).isoformat(),
        "issuing_agency_name": "UBND tỉnh Đồng Tháp", "issuing_agency_code": "000.00.00.H20",
        "signer_name": "Trần Văn Bình", "signer_position": "Phó Chủ tịch",
        "urgency": "thuong", "source": "paper", "file": file_json("cong-van.pdf", CLEAN),
    }
    body.update(overrides)
    return body


def documents(server, portal_type, agency="so-tttt"):
    """Paths of the committed documents of *agency* and every committed blob file."""
    transaction.begin()
    portal = server["portal"]
    brains = portal.portal_catalog.unrestrictedSearchResults(
        portal_type=portal_type, path="/".join(portal[agency].getPhysicalPath()))
    return {"docs": {b.getPath() for b in brains}, "blobs": blob_files(portal)}


def stored_sha256s(server, portal_type):
    """sha256 of every file and attachment of every committed document of *portal_type*."""
    import hashlib

    transaction.begin()
    found = set()
    for brain in server["portal"].portal_catalog.unrestrictedSearchResults(portal_type=portal_type):
        obj = brain._unrestrictedGetObject()
        for named in [getattr(obj, "file", None), *(getattr(obj, "attachments", None) or ())]:
            if named is not None:
                found.add(hashlib.sha256(bytes(named.data)).hexdigest())
    return found


def sha256(data):
    import hashlib

    return hashlib.sha256(data).hexdigest()


def assert_infected_incident(server, name, path_of_entry=None, userid=None, agency="so-tttt"):
    found = [i for i in incidents_of(server["portal"], name) if i["kind"] == "infected"]
    assert len(found) == 1, found
    (incident,) = found
    assert incident["signature"].startswith("Eicar"), incident
    assert incident["agency_code"] == server["portal"][agency].agency_code, incident
    if path_of_entry is not None:
        assert incident["path_of_entry"] == path_of_entry, incident
    if userid is not None:
        assert incident["userid"] == userid, incident
    return incident


# --------------------------------------------------------------------------
# Defect 1: infected attachments


def test_incoming_rest_infected_attachment_refused(server):
    name = "phu-luc-nhiem.pdf"
    before = documents(server, "IncomingDocument")
    r = session(("stttt.vanthu", DEMO_PASSWORD)).post(
        f"{server['url']}/so-tttt/@incoming",
        json=incoming_body(attachments=[file_json("phu-luc-sach.pdf", samples.clean_pdf("PL 1")),
                                        file_json(name, EICAR_IN_STREAM)]))
    assert 400 <= r.status_code < 500, r.text
    assert_refused_message(rest_error_message(r), name, "Eicar")
    after = documents(server, "IncomingDocument")
    assert after == before
    assert sha256(EICAR_IN_STREAM) not in stored_sha256s(server, "IncomingDocument")
    assert_infected_incident(server, name, userid="stttt.vanthu")


def test_incoming_rest_clean_attachments_stored_and_marked(server):
    from dongthap.qlvb.antivirus.api import is_verified

    attachment = samples.clean_pdf("Phu luc sach")
    r = session(("stttt.vanthu", DEMO_PASSWORD)).post(
        f"{server['url']}/so-tttt/@incoming",
        json=incoming_body(attachments=[file_json("phu-luc.pdf", attachment)]))
    assert r.status_code == 201, r.text
    transaction.begin()
    doc = server["portal"].unrestrictedTraverse(r.json()["path"])
    (stored,) = doc.attachments
    assert bytes(stored.data) == attachment and is_verified(stored) and is_verified(doc.file)


def uid(server, path):
    r = session((SITE_OWNER_NAME, SITE_OWNER_PASSWORD)).get(f"{server['url']}/{path}")
    assert r.status_code == 200, r.text
    return r.json()["UID"]


def outgoing_body(server, **extra):
    body = {
        "title": "V/v kiểm tra tệp đính kèm", "document_type": "cong_van",
        "drafting_department": "vp", "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
        "internal_recipients": [uid(server, "so-noi-vu")], "file": file_json("du-thao.pdf", CLEAN),
    }
    body.update(extra)
    return body


@pytest.mark.parametrize("name", ["phu-luc-nhiem.pdf", *sorted(NOT_A_PDF)])
def test_outgoing_draft_infected_attachment_refused(server, name):
    data = NOT_A_PDF.get(name, EICAR_IN_STREAM)
    before = documents(server, "OutgoingDocument")
    r = session(("stttt.chuyenvien", DEMO_PASSWORD)).post(
        f"{server['url']}/so-tttt/@outgoing",
        json=outgoing_body(server, attachments=[file_json(name, data)]))
    assert 400 <= r.status_code < 500, r.text
    assert_refused_message(rest_error_message(r), name, "Eicar")
    assert documents(server, "OutgoingDocument") == before
    assert_infected_incident(server, name, userid="stttt.chuyenvien")


def _publish_like(request):
    """What the publisher does for a request before calling the view."""
    from ZPublisher.pubevents import PubAfterTraversal, PubStart
    from zope.event import notify

    notify(PubStart(request))
    notify(PubAfterTraversal(request))


@pytest.mark.parametrize("field", ["file", "attachments"])
def test_file_set_after_run_in_transaction_committed(server, field):
    """A later transaction of the same request: set a file without any event, commit."""
    from plone import api
    from plone.namedfile.file import NamedBlobFile
    from transaction.interfaces import DoomedTransaction, TransactionFailedError
    from zope.globalrequest import setRequest
    from zope.interface import alsoProvides

    from dongthap.qlvb.antivirus import VirusFound
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.interfaces import IQlvbLayer
    from dongthap.qlvb.numbering import run_in_transaction

    name = f"sau-giao-dich-{field}.pdf"
    portal = server["portal"]
    request = server["layer"]["request"]
    alsoProvides(request, IQlvbLayer)
    setRequest(request)
    _publish_like(request)
    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"):
        values = incoming.clean(dict(incoming_body(), file=(CLEAN, "cong-van.pdf")))
        result = run_in_transaction(lambda: incoming.build_document(agency, values),
                                    note="test: first unit of work")
        # run_in_transaction committed; the request goes on in a new transaction.
        doc = portal.unrestrictedTraverse(result["path"])
        infected = NamedBlobFile(data=EICAR_IN_STREAM, filename=name,
                                 contentType="application/pdf")
        if field == "file":
            doc.file = infected
        else:
            doc.attachments = [NamedBlobFile(data=CLEAN, filename="sach.pdf"), infected]
        blobs = blob_files(portal)
        with pytest.raises(VirusFound):
            transaction.commit()
        with pytest.raises((DoomedTransaction, TransactionFailedError)):  # nor later
            transaction.commit()
        transaction.abort()
    transaction.begin()
    stored = portal.unrestrictedTraverse(result["path"])
    assert bytes(stored.file.data) == CLEAN and not stored.attachments
    assert blob_files(portal) == blobs
    assert_infected_incident(server, name, path_of_entry="commit", userid="stttt.vanthu")


def test_worker_transaction_without_request_is_checked(server):
    """No request at all (exchange worker, scripts): the safety net still runs on commit."""
    from plone.namedfile.file import NamedBlobFile
    from zope.globalrequest import clearRequest

    from dongthap.qlvb.antivirus import VirusFound

    portal = server["portal"]
    clearRequest()
    transaction.begin()
    brains = portal.portal_catalog.unrestrictedSearchResults(portal_type="IncomingDocument")
    doc = brains[0]._unrestrictedGetObject()
    name = "tu-dong.pdf"
    doc.attachments = [NamedBlobFile(data=EICAR_IN_STREAM, filename=name)]
    with pytest.raises(VirusFound):
        transaction.commit()
    transaction.abort()
    transaction.begin()
    assert name not in [a.filename for a in portal.unrestrictedTraverse(
        brains[0].getPath()).attachments or ()]
    assert_infected_incident(server, name, path_of_entry="commit",
                             agency=doc.aq_parent.aq_parent.aq_parent.getId())


# --------------------------------------------------------------------------
# Defect 2: malware that is not a PDF still makes an incident


@pytest.mark.parametrize("where", ["file", "attachments"])
@pytest.mark.parametrize("name", sorted(NOT_A_PDF))
def test_incoming_rest_malware_not_a_pdf_makes_an_incident(server, name, where):
    data = NOT_A_PDF[name]
    before = documents(server, "IncomingDocument")
    if where == "file":
        body = incoming_body(file=file_json(name, data))
    else:
        body = incoming_body(attachments=[file_json(name, data)])
    r = session(("stttt.vanthu", DEMO_PASSWORD)).post(f"{server['url']}/so-tttt/@incoming", json=body)
    assert 400 <= r.status_code < 500, r.text
    # the virus refusal wins over "not a PDF"
    assert_refused_message(rest_error_message(r), name, "Eicar")
    assert documents(server, "IncomingDocument") == before
    assert_infected_incident(server, name, userid="stttt.vanthu")


@pytest.mark.parametrize("name", sorted(NOT_A_PDF))
def test_outgoing_rest_main_file_malware_not_a_pdf_makes_an_incident(server, name):
    before = documents(server, "OutgoingDocument")
    r = session(("stttt.chuyenvien", DEMO_PASSWORD)).post(
        f"{server['url']}/so-tttt/@outgoing",
        json=outgoing_body(server, file=file_json(name, NOT_A_PDF[name])))
    assert 400 <= r.status_code < 500, r.text
    assert_refused_message(rest_error_message(r), name, "Eicar")
    assert documents(server, "OutgoingDocument") == before
    assert_infected_incident(server, name, userid="stttt.chuyenvien")


@pytest.mark.parametrize("name", sorted(NOT_A_PDF))
def test_generic_patch_malware_not_a_pdf_makes_an_incident(server, name):
    """plone.restapi PATCH of a PDF-only field: the scan runs before the field's own check."""
    admin = session((SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    r = session(("stttt.vanthu", DEMO_PASSWORD)).post(
        f"{server['url']}/so-tttt/@incoming", json=incoming_body())
    assert r.status_code == 201, r.text
    url = r.json()["url"]
    r = admin.patch(url, json={"file": file_json(name, NOT_A_PDF[name])})
    assert 400 <= r.status_code < 500, r.text
    assert_refused_message(rest_error_message(r), name, "Eicar")
    transaction.begin()
    assert bytes(server["portal"].unrestrictedTraverse(
        url.split("/plone/", 1)[1]).file.data) == CLEAN
    assert_infected_incident(server, name, userid=SITE_OWNER_NAME)


def test_incoming_form_malware_not_a_pdf_makes_an_incident(server):
    """The clerk's page "Vào sổ văn bản đến": the virus refusal, not "not a PDF"."""
    from plone.testing.zope import Browser

    name = "form-eicar.pdf"
    before = documents(server, "IncomingDocument")
    browser = Browser(server["layer"]["app"])
    browser.handleErrors = False
    browser.raiseHttpErrors = False
    browser.addHeader("Authorization", f"Basic stttt.vanthu:{DEMO_PASSWORD}")
    browser.addHeader("Accept-Language", "vi")
    browser.open(f"{server['portal'].absolute_url()}/so-tttt/@@vao-so-van-ban-den")
    body = incoming_body()
    for field in ("title", "code_number", "code_notation", "issuing_agency_name",
                  "issuing_agency_code", "signer_name", "signer_position"):
        browser.getControl(name=field).value = body[field]
    browser.getControl(name="issued_date").value = (
        datetime.date.today() - datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    browser.getControl(name="file").add_file(NOT_A_PDF["eicar-ten-pdf.pdf"], "application/pdf", name)
    browser.getForm(action="vao-so-van-ban-den").submit()
    assert browser.headers["status"].startswith("400"), browser.headers["status"]
    assert_refused_message(browser.contents, name, "Eicar")
    assert documents(server, "IncomingDocument") == before
    assert_infected_incident(server, name, userid="stttt.vanthu")


def test_every_request_thread_checks_its_commits(server):
    """A server thread gets the commit check when it starts publishing a request."""
    import threading

    from ZPublisher.pubevents import PubStart
    from zope.event import notify

    seen = {}

    def serve():
        seen["before"] = transaction.manager.registeredSynchs()
        notify(PubStart(server["layer"]["request"]))
        seen["after"] = transaction.manager.registeredSynchs()

    thread = threading.Thread(target=serve)
    thread.start()
    thread.join(10)
    assert seen == {"before": False, "after": True}


def test_files_of_every_field_shape():
    """Single file fields and lists, tuples, sets and dicts of files, in any schema."""
    from plone.namedfile.field import NamedBlobFile as FileField
    from plone.namedfile.field import NamedBlobImage as ImageField
    from zope import schema
    from zope.interface import Interface

    from dongthap.qlvb.antivirus import api as av_api

    class IBehaviorLike(Interface):
        one = FileField()
        text = schema.TextLine()
        many = schema.List(value_type=FileField())
        frozen = schema.Tuple(value_type=ImageField())
        names = schema.List(value_type=schema.TextLine())
        by_key = schema.Dict(key_type=schema.TextLine(), value_type=FileField())

    assert av_api._file_field_names(IBehaviorLike) == ("one", "many", "frozen", "by_key")
    class Stored:  # the attributes of a NamedFile that the scanner relies on
        def __init__(self, index):
            self.data, self.filename = b"%d" % index, f"{index}.pdf"

    files = [Stored(i) for i in range(3)]
    assert av_api._file_items(files[0]) == [files[0]]
    assert av_api._file_items(files) == files
    assert av_api._file_items(tuple(files)) == files
    assert av_api._file_items({"a": files[1]}) == [files[1]]
    assert av_api._file_items("text") == [] and av_api._file_items(None) == []
