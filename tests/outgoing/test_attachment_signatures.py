"""Issue signs the separate attachment files as the agency (top right of page 1, no image)."""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import numbering
from dongthap.qlvb.signing import api as signing
from dongthap.qlvb.signing import errors
from dongthap.qlvb.signing import settings as cfg
from dongthap.qlvb.signing.pdfsign import format_vn_time
from dongthap.qlvb.signing.verify import verify_pdf
from plone import api
from tests.outgoing.helpers import act
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft

import pytest
import subprocess


SENDER_CODE = "000.00.14.H20"  # Sở Thông tin và Truyền thông
ATTACHMENTS = [
    (make_pdf(["PHỤ LỤC I", "Danh mục nhiệm vụ chuyển đổi số"]), "phu-luc-1.pdf"),
    (make_pdf(["PHỤ LỤC II", "Kinh phí thực hiện"], pages=2), "phu-luc-2.pdf"),
]


def _copies(portal, path, doc):
    uid = api.content.get_uuid(doc)
    return [b._unrestrictedGetObject()
            for b in api.content.find(portal_type="IncomingDocument", unrestricted=True,
                                      path="/".join(agency(portal, path).getPhysicalPath()))
            if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == uid]


def _page1_text(data: bytes) -> str:
    """Page 1 as text, by poppler (an independent reader of the visible stamp)."""
    result = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"],
                            input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _seal_subject():
    return cfg.seal_signer(SENDER_CODE).certificate.subject.rfc4514_string()


def test_issue_signs_every_attachment_and_delivers_them(portal):
    doc = draft(portal, attachments=list(ATTACHMENTS))
    assert len(doc.attachments) == 2
    chain(doc)
    assert api.content.get_state(doc) == "issued" and doc.legal_validity == "legal"
    notation = doc.notation()
    seal = _seal_subject()
    for (original, filename), item in zip(ATTACHMENTS, doc.attachments, strict=True):
        data = bytes(item.data)
        assert data != original and item.filename == filename
        report = verify_pdf(data, **cfg.verify_options())
        assert len(report.signatures) == 1
        sig = report.signatures[0]
        assert sig.kind == "agency" and sig.ok
        assert sig.signer_subject == seal
        assert sig.covers_whole_document and not sig.modified_after_signing
        # the Plone-level report agrees
        plone_report = signing.verify_bytes(data)
        assert [s["kind"] for s in plone_report["signatures"]] == ["agency"]
        # số/ký hiệu and the Vietnam signing time are shown on page 1
        text = " ".join(_page1_text(data).split())
        assert f"Số, ký hiệu: {notation}" in text
        assert f"Thời gian ký: {format_vn_time(doc.issued_at)}" in text
    # the originals are kept in the signing history, like the main file
    history = signing.history(document=doc)
    assert [h["action"] for h in history] == ["sign_person", "sign_agency",
                                              "sign_attachment", "sign_attachment"]
    assert [h["field"] for h in history[2:]] == ["attachments[0]", "attachments[1]"]
    assert [bytes(h["file"].data) for h in history[2:]] == [a for a, _ in ATTACHMENTS]
    # the received copy has the signed attachments
    copies = _copies(portal, "so-noi-vu", doc)
    assert len(copies) == 1
    received = copies[0]
    assert [bytes(a.data) for a in received.attachments] == \
        [bytes(a.data) for a in doc.attachments]


def test_attachment_signing_failure_changes_nothing(portal, monkeypatch):
    doc = draft(portal, attachments=list(ATTACHMENTS))
    chain(doc, until="signed")
    before = numbering.last_number(agency(portal), "cong_van")
    file_before = bytes(doc.file.data)
    attachments_before = [bytes(a.data) for a in doc.attachments]
    real = signing._sign_attachment
    calls = []

    def second_fails(data, signer, *args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise errors.SignerNotConfiguredError(who="Sở Thông tin và Truyền thông")
        return real(data, signer, *args, **kwargs)

    monkeypatch.setattr(signing, "_sign_attachment", second_fails)
    with pytest.raises(outgoing.OutgoingError) as raised:
        act(doc, "stttt.vanthu", "issue")
    assert len(calls) == 2
    assert api.content.get_state(doc) == "signed"
    assert doc.code_number is None and doc.issued_at is None
    assert numbering.last_number(agency(portal), "cong_van") == before
    assert bytes(doc.file.data) == file_before
    assert [bytes(a.data) for a in doc.attachments] == attachments_before
    assert [h["action"] for h in signing.history(document=doc)] == ["sign_person"]
    assert not delivery.delivery_status(doc)
    assert not _copies(portal, "so-noi-vu", doc)
    assert raised.value.message


def test_sign_attachments_api_is_all_or_nothing(portal, tmp_path, monkeypatch):
    doc = draft(portal, attachments=list(ATTACHMENTS))
    before = [bytes(a.data) for a in doc.attachments]
    monkeypatch.setenv("QLVB_KEYS_DIR", str(tmp_path))  # no seal configured
    with pytest.raises(errors.SignerNotConfiguredError):
        signing.sign_attachments(document=doc, code_text="01/STTTT-VP", check_permission=False)
    assert [bytes(a.data) for a in doc.attachments] == before
    assert not signing.history(document=doc)
    assert signing.sign_attachments(document=draft(portal), code_text="01/STTTT-VP",
                                    check_permission=False) == []


def test_the_issued_pdf_shows_its_number_and_date_and_stays_legal(portal):
    """Issue 15: "Số: 12/UBND-VP" and "Đồng Tháp, ngày … tháng … năm …" printed on page 1 of
    the issued main file, and the person's signature made before the number still valid."""
    doc = draft(portal)
    chain(doc)
    assert api.content.get_state(doc) == "issued"
    data = bytes(doc.file.data)
    text = " ".join(_page1_text(data).split())
    issued = doc.issued_at.astimezone(cfg_vn())
    assert f"Số: {doc.notation()}" in text
    assert f"Đồng Tháp, ngày {issued:%d} tháng {issued:%m} năm {issued:%Y}" in text
    report = verify_pdf(data, **cfg.verify_options())
    assert report.legal_validity == "legal"
    assert sorted(s.kind for s in report.signatures) == ["agency", "person"]
    assert all(s.ok and s.intact for s in report.signatures)
    assert doc.legal_validity == "legal"


def cfg_vn():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Ho_Chi_Minh")
