"""Every field of both document types read through REST: GET and ``@search?fullobjects=1``.

Documents with attachments used to answer 500 (``No converter for making
<NamedBlobFile …> JSON compatible``); each file (the main file and every
attachment) is now a download link with its name, size and content type.
"""

from dongthap.qlvb.content import incoming as incoming_type
from dongthap.qlvb.content import outgoing as outgoing_type
from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.signing.behaviors import ISignedDocument
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.incoming import helpers as inc
from tests.outgoing import helpers as out
from zope.schema import getFieldNames

import base64
import pytest

ATTACHMENTS = [
    (make_pdf(["Phụ lục 1", "Danh sách đơn vị"]), "phu-luc-1.pdf"),
    (make_pdf(["Phụ lục 2", "Kinh phí thực hiện", "Trang hai"]), "phu-lục-2 (bản ký).pdf"),
]


def _b64(data, filename):
    return {"data": base64.b64encode(data).decode(), "encoding": "base64",
            "filename": filename, "content-type": "application/pdf"}


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _check_file(client, value, data, filename):
    assert value["filename"] == filename
    assert value["size"] == len(data)
    assert value["content-type"] == "application/pdf"
    got = client.get(value["download"])
    assert got.status_code == 200, (value["download"], got.status_code)
    assert got.content == data


def _check_document(client, doc_json, fields, main, attachments):
    missing = [name for name in fields if name not in doc_json]
    assert missing == []
    _check_file(client, doc_json["file"], *main)
    assert len(doc_json["attachments"]) == len(attachments)
    for value, (data, filename) in zip(doc_json["attachments"], attachments, strict=True):
        _check_file(client, value, data, filename)


def _search(client, url, agency, portal_type, uid):
    r = client.get(f"{url}/{agency}/@search",
                   params={"portal_type": portal_type, "UID": uid, "fullobjects": 1})
    assert r.status_code == 200, r.text[:500]
    items = r.json()["items"]
    assert [i["UID"] for i in items] == [uid]
    return items[0]


def test_incoming_document_every_field(url):
    body = inc.payload(page_amount=4, attachments=[_b64(d, n) for d, n in ATTACHMENTS])
    clerk = inc.session("stttt.vanthu")
    r = clerk.post(f"{url}/so-tttt/@incoming", json=body)
    assert r.status_code == 201, r.text
    doc_url = r.json()["url"]
    fields = list(incoming_type.FIELDS) + getFieldNames(ISignedDocument)
    main = (inc.PDF, "cv15.pdf")

    got = clerk.get(doc_url)
    assert got.status_code == 200, got.text[:500]
    doc = got.json()
    _check_document(clerk, doc, fields, main, ATTACHMENTS)
    assert doc["title"] == body["title"] and doc["code_number"] == "15"
    assert doc["issued_date"] == body["issued_date"] and doc["page_amount"] == 4
    assert doc["document_type"]["token"] == "cong_van" and doc["source"]["token"] == "paper"
    assert doc["arrival_date"]  # set by the system at creation

    found = _search(clerk, url, "so-tttt", "IncomingDocument", doc["UID"])
    _check_document(clerk, found, fields, main, ATTACHMENTS)

    # the files are only served to whoever may see the document
    outsider = inc.session("snv.vanthu")
    assert outsider.get(doc["attachments"][0]["download"]).status_code in (401, 403, 404)
    assert clerk.get(doc["attachments"][0]["download"].rsplit("/", 1)[0] + "/7").status_code == 404


def test_outgoing_document_every_field(url):
    admin = out.session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    snv = admin.get(f"{url}/so-noi-vu").json()["UID"]
    body = out.payload([snv], attachments=[_b64(d, n) for d, n in ATTACHMENTS], page_amount=2,
                       copy_holder="Lưu: VT, VP.", issued_amount=3,
                       external_recipients=[{"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"}])
    drafter = out.session("stttt.chuyenvien")
    r = drafter.post(f"{url}/so-tttt/@outgoing", json=body)
    assert r.status_code == 201, r.text
    doc_url = r.json()["url"]
    fields = list(outgoing_type.FIELDS) + getFieldNames(ISignedDocument)
    main = (out.PDF, "du-thao.pdf")

    got = drafter.get(doc_url)
    assert got.status_code == 200, got.text[:500]
    doc = got.json()
    _check_document(drafter, doc, fields, main, ATTACHMENTS)
    assert doc["copy_holder"] == "Lưu: VT, VP." and doc["issued_amount"] == 3
    assert doc["external_recipients"] == body["external_recipients"]
    assert [r["token"] for r in doc["internal_recipients"]] == [snv]
    assert doc["signer"]["token"] == "stttt.lanhdao" and doc["in_reply_to"] == []

    found = _search(drafter, url, "so-tttt", "OutgoingDocument", doc["UID"])
    _check_document(drafter, found, fields, main, ATTACHMENTS)
