"""Verification reports of the separate attachment files, stored on the document."""

from __future__ import annotations

import json

import pytest
import requests
import transaction
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone_helpers import install_test_type, make_doc
from signing_helpers import make_pdf
from test_plone_api import CLERK, as_manager, sign_both
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.lifecycleevent import ObjectModifiedEvent

from dongthap.qlvb.signing import api as signing
from dongthap.qlvb.signing import settings as cfg
from dongthap.qlvb_testing.testpki import TEST_PASSWORD

NAMES = ["phu-luc-1.pdf", "bang-bieu.pdf"]
PW = "Demo@2026"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def _codes(report) -> set[str]:
    found = {r["code"] for r in report["reasons"]}
    for sig in report["signatures"]:
        found |= {p["code"] for p in sig["problems"]}
    return found


def _seal_signed_attachment(code_text="07/QĐ-STTTT") -> bytes:
    from dongthap.qlvb.signing.pdfsign import sign_attachment
    from dongthap.qlvb.signing.signers import Pkcs12Signer

    seal = Pkcs12Signer(cfg.keys_dir() / "000.00.14.H20" / "seal.p12", TEST_PASSWORD)
    return sign_attachment(make_pdf(1), seal, code_text)


@pytest.fixture
def att_doc(stttt, pdf_bytes):
    return make_doc(stttt, pdf_bytes, "vb-phu-luc",
                    attachments=[(make_pdf(1), NAMES[0]), (make_pdf(2), NAMES[1])])


def test_attachments_verified_and_stored_when_created(att_doc):
    entries = signing.attachment_reports(document=att_doc, verify_missing=False)
    assert [e["filename"] for e in entries] == NAMES
    assert all(e["stored"] for e in entries)
    assert [e["report"]["legal_validity"] for e in entries] == ["unsigned", "unsigned"]
    store = IAnnotations(att_doc)[signing.ATTACHMENTS_KEY]
    assert sorted(store) == ["attachments[0]", "attachments[1]"]
    assert store["attachments[1]"]["filename"] == NAMES[1]
    json.dumps({key: dict(value) for key, value in store.items()})  # plain, serialisable
    assert not signing.needs_attachment_verification(att_doc)


def test_signing_at_issue_stores_the_attachment_reports(att_doc):
    sign_both(att_doc)
    main_report = att_doc.signature_report
    with api.env.adopt_user(username=CLERK):
        reports = signing.sign_attachments(document=att_doc, code_text="07/QĐ-STTTT")
    entries = signing.attachment_reports(document=att_doc, verify_missing=False)
    assert [e["report"] for e in entries] == reports
    assert [e["filename"] for e in entries] == NAMES
    for entry in entries:
        assert entry["stored"]
        report = entry["report"]
        assert report["sha256"] == signing.sha256(bytes(att_doc.attachments[entry["index"]].data))
        [sig] = report["signatures"]
        assert sig["kind"] == "agency" and sig["ok"]
        assert sig["reason"].startswith("Số: 07/QĐ-STTTT; Ký: ")
        # a separate attachment carries the agency signature alone (NĐ 30 Phụ lục I): legal
        assert report["legal_validity"] == "legal" and report["rule"] == "attachment"
        assert _codes(report) == {"revocation_not_checked"}
    assert att_doc.signature_report == main_report and att_doc.legal_validity == "legal"
    assert not signing.needs_attachment_verification(att_doc)


def test_changed_and_removed_attachments_are_verified_again(att_doc):
    with api.env.adopt_user(username=CLERK):
        signing.sign_attachments(document=att_doc, code_text="07/QĐ-STTTT")
    data = bytearray(att_doc.attachments[0].data)
    data[data.index(b"stream", 200) + 20] ^= 0x01  # inside the signed page content
    att_doc.attachments = [NamedBlobFile(data=bytes(data), contentType="application/pdf",
                                         filename=NAMES[0])]
    assert signing.needs_attachment_verification(att_doc)
    stale = signing.attachment_reports(document=att_doc, verify_missing=False)
    assert not stale[0]["stored"] and stale[0]["report"] is None
    notify(ObjectModifiedEvent(att_doc))
    [entry] = signing.attachment_reports(document=att_doc, verify_missing=False)
    assert entry["stored"] and entry["filename"] == NAMES[0]
    assert entry["report"]["legal_validity"] == "reference"
    assert "signature_invalid" in _codes(entry["report"])
    assert sorted(IAnnotations(att_doc)[signing.ATTACHMENTS_KEY]) == ["attachments[0]"]


def test_view_shows_and_reverifies_the_attachments(sdemo, att_doc, demo_pki):
    from cryptography.hazmat.primitives import serialization
    from plone.protect import createToken

    with api.env.adopt_user(username=CLERK):
        signing.sign_attachments(document=att_doc, code_text="07/QĐ-STTTT")
    assert cfg.remove_trusted(cfg.fingerprint(demo_pki.root.certificate()))
    as_manager(sdemo)
    html = att_doc.restrictedTraverse("@@chu-ky-so")()
    assert "Tệp đính kèm" in html and NAMES[0] in html and NAMES[1] in html
    untrusted = ("Chứng thư số của SỞ THÔNG TIN VÀ TRUYỀN THÔNG không do tổ chức cung cấp "
                 "dịch vụ chứng thực chữ ký số tin cậy cấp.")
    assert untrusted not in html  # the stored reports, not verified again
    # "Verify again" re-verifies the attachments too (and stores the result)
    request = sdemo.REQUEST
    request.method = "POST"
    request.form.update({"reverify": "1", "_authenticator": createToken()})
    html = att_doc.restrictedTraverse("@@chu-ky-so")()
    for entry in signing.attachment_reports(document=att_doc, verify_missing=False):
        assert entry["stored"] and "untrusted" in _codes(entry["report"])
    assert html.count(untrusted) == 2  # one signature on each attachment
    # after the trust store is repaired, reverify_all brings the attachments back
    cfg.add_trusted(demo_pki.root.certificate().public_bytes(serialization.Encoding.PEM))
    assert signing.reverify_all() >= 1
    for entry in signing.attachment_reports(document=att_doc, verify_missing=False):
        assert "untrusted" not in _codes(entry["report"])
        assert entry["report"]["signatures"][0]["ok"]


def test_signatures_rest_lists_the_attachments(demo_server, pdf_bytes):
    portal = demo_server["layer"]["portal"]
    install_test_type(portal)
    make_doc(portal["so-tttt"], pdf_bytes, "vb-rest-phu-luc",
             attachments=[(_seal_signed_attachment(), NAMES[0]), (make_pdf(1), NAMES[1])])
    transaction.commit()
    url = f"{demo_server['url']}/so-tttt/vb-rest-phu-luc/@signatures"
    auth = ("stttt.vanthu", PW)
    r = requests.get(url, headers=JSON, auth=auth, timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["legal_validity"] == "unsigned"
    signed, plain = body["attachments"]
    assert (signed["filename"], plain["filename"]) == tuple(NAMES)
    assert signed["stored"] and plain["stored"]
    assert signed["legal_validity"] == "legal"
    assert signed["badge"]["label"] == "Có giá trị pháp lý"
    assert signed["verdict"] == ("Tệp đính kèm có chữ ký số hợp lệ của cơ quan, tổ chức ban hành: "
                                 "có giá trị pháp lý như bản gốc văn bản giấy.")
    assert "Không có chữ ký số hợp lệ của người có thẩm quyền." not in signed["reasons"]
    [sig] = signed["signatures"]
    assert sig["kind"] == "agency" and sig["ok"] and sig["kind_label"] == "cơ quan, tổ chức"
    assert sig["integrity"] == "có" and sig["signer"] == "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"
    assert signed["report"]["signatures"][0]["reason"].startswith("Số: 07/QĐ-STTTT")
    assert plain["legal_validity"] == "unsigned" and plain["badge"]["label"] == "Chưa ký số"
    assert plain["signatures"] == []
    checked = signed["report"]["checked_at"]
    # POST verifies again and stores the new reports
    r = requests.post(url, headers=JSON, auth=auth, timeout=30)
    assert r.status_code == 200, r.text
    again = r.json()["attachments"]
    assert [a["filename"] for a in again] == NAMES and all(a["stored"] for a in again)
    assert again[0]["report"]["checked_at"] > checked
    assert requests.get(url, headers=JSON, timeout=30).status_code == 401
