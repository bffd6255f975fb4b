"""The Plone integration: behavior, API used by outgoing, subscribers, badge, trust store."""

from __future__ import annotations

import io
import logging

import pytest
from plone import api
from plone.namedfile.file import NamedBlobFile
from plone_helpers import TEST_TYPE, make_doc
from signing_helpers import ISSUED_AT, make_pdf
from zope.event import notify
from zope.i18n import translate
from zope.lifecycleevent import ObjectModifiedEvent

from dongthap.qlvb.signing import api as signing
from dongthap.qlvb.signing import errors
from dongthap.qlvb.signing import settings as cfg
from dongthap.qlvb.signing.signers import Pkcs12Signer
from dongthap.qlvb_testing.testpki import TEST_PASSWORD

LEADER, CLERK, SPECIALIST = "stttt.lanhdao", "stttt.vanthu", "stttt.chuyenvien"


def sign_both(doc):
    with api.env.adopt_user(username=LEADER):
        signing.sign_person(document=doc, name="Nguyễn Văn An", position="GIÁM ĐỐC")
    with api.env.adopt_user(username=CLERK):
        return signing.sign_agency(document=doc, code_number=7, code_notation="QĐ-STTTT",
                                   issued_at=ISSUED_AT)


def as_manager(portal):
    from plone.app.testing import TEST_USER_ID, login, setRoles

    setRoles(portal, TEST_USER_ID, ["Manager"])
    login(portal, "test-user")


def brains(**query):
    return api.content.find(portal_type=TEST_TYPE, unrestricted=True, **query)


def test_upload_of_unsigned_pdf_is_unsigned_and_indexed(unsigned_doc):
    assert unsigned_doc.legal_validity == "unsigned"
    assert unsigned_doc.signature_report["reasons"][0]["code"] == "no_signatures"
    assert [b.qlvb_legal_validity for b in brains(qlvb_legal_validity="unsigned")] == ["unsigned"]


def test_person_and_agency_signatures_make_it_legal(unsigned_doc):
    original = bytes(unsigned_doc.file.data)
    with api.env.adopt_user(username=LEADER):
        report = signing.sign_person(document=unsigned_doc, name="Nguyễn Văn An",
                                     position="GIÁM ĐỐC", authority_prefix="KT.")
    assert report["legal_validity"] == "reference"
    assert unsigned_doc.legal_validity == "reference"
    assert len(brains(qlvb_legal_validity="reference")) == 1
    with api.env.adopt_user(username=CLERK):
        report = signing.sign_agency(document=unsigned_doc, code_number=7,
                                     code_notation="QĐ-STTTT", issued_at=ISSUED_AT)
    assert report["legal_validity"] == "legal", report
    assert sorted(s["kind"] for s in report["signatures"]) == ["agency", "person"]
    assert unsigned_doc.legal_validity == "legal"
    found = brains(qlvb_legal_validity="legal")
    assert len(found) == 1 and found[0].qlvb_legal_validity == "legal"
    assert not brains(qlvb_legal_validity="reference")
    history = signing.history(document=unsigned_doc)
    assert [h["action"] for h in history] == ["sign_person", "sign_agency"]
    assert bytes(history[0]["file"].data) == original  # the unsigned draft is kept
    assert history[0]["userid"] == LEADER


def test_person_signature_only_is_reference_with_reason(unsigned_doc):
    with api.env.adopt_user(username=LEADER):
        signing.sign_person(document=unsigned_doc, name="Nguyễn Văn An", position="GIÁM ĐỐC")
    report = unsigned_doc.signature_report
    assert unsigned_doc.legal_validity == "reference"
    assert "no_valid_agency_signature" in {r["code"] for r in report["reasons"]}


def test_agency_refuses_document_without_person_signature(unsigned_doc):
    before = bytes(unsigned_doc.file.data)
    with api.env.adopt_user(username=CLERK), pytest.raises(errors.PersonSignatureMissingError):
        signing.sign_agency(document=unsigned_doc, code_number=1, code_notation="QĐ-STTTT",
                            issued_at=ISSUED_AT)
    assert bytes(unsigned_doc.file.data) == before


def test_tampered_upload_is_reference_with_vietnamese_reason(sdemo, unsigned_doc):
    sign_both(unsigned_doc)
    data = bytearray(unsigned_doc.file.data)
    # flip one byte inside the first page's content stream (covered by both signatures)
    idx = data.index(b"stream", 200) + 20
    data[idx] ^= 0x01
    unsigned_doc.file = NamedBlobFile(data=bytes(data), contentType="application/pdf",
                                      filename="van-ban.pdf")
    notify(ObjectModifiedEvent(unsigned_doc))
    assert unsigned_doc.legal_validity == "reference"
    codes = {p["code"] for s in unsigned_doc.signature_report["signatures"] for p in s["problems"]}
    assert "signature_invalid" in codes
    as_manager(sdemo)
    html = unsigned_doc.restrictedTraverse("@@chu-ky-so")()
    assert "Chỉ có giá trị tham khảo" in html
    assert "không hợp lệ" in html


def test_malformed_and_non_pdf_uploads_never_crash(stttt):
    broken = make_doc(stttt, b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage", "vb-1")
    assert broken.legal_validity in ("reference", "unsigned")
    text = make_doc(stttt, b"just text, not a PDF", "vb-2", filename="a.txt")
    assert text.legal_validity == "unsigned"
    empty = make_doc(stttt, None, "vb-3")
    assert empty.legal_validity == "unsigned"
    with api.env.adopt_user(username=LEADER), pytest.raises(errors.NoPdfError):
        signing.sign_person(document=empty, name="A", position="B")


def test_badge_in_rendered_view_and_listing_macro(sdemo, unsigned_doc):
    as_manager(sdemo)
    html = unsigned_doc.restrictedTraverse("@@view")()
    assert "Chưa ký số" in html
    sign_both(unsigned_doc)
    html = unsigned_doc.restrictedTraverse("@@view")()
    assert "Có giá trị pháp lý" in html and "qlvb-legal-legal" in html
    macros = sdemo.restrictedTraverse("@@qlvb-signing-macros")
    assert macros.badge("reference")["label"] == "Chỉ có giá trị tham khảo"


def test_leader_cannot_sign_with_another_users_certificate(unsigned_doc):
    other = cfg.keys_dir() / "users" / "ubnd.lanhdao" / "person.p12"
    signer = Pkcs12Signer(other, TEST_PASSWORD)
    before, modified = bytes(unsigned_doc.file.data), unsigned_doc.modified()
    with api.env.adopt_user(username=LEADER), \
            pytest.raises(errors.CertificateMismatchError) as exc:
        signing.sign_person(document=unsigned_doc, signer=signer, name="X", position="Y")
    assert "chỉ được ký bằng chứng thư số của chính mình" in translate(exc.value.message,
                                                              target_language="vi")
    assert bytes(unsigned_doc.file.data) == before and unsigned_doc.modified() == modified
    assert not signing.history(document=unsigned_doc)


def test_user_without_permission_cannot_sign(unsigned_doc):
    with api.env.adopt_user(username=SPECIALIST), pytest.raises(errors.SigningPermissionError):
        signing.sign_person(document=unsigned_doc, name="X", position="Y")
    with api.env.adopt_user(username=LEADER), pytest.raises(errors.SigningPermissionError):
        signing.sign_agency(document=unsigned_doc, code_number=1, code_notation="QĐ",
                            issued_at=ISSUED_AT)


def test_missing_seal_config_is_translated_error_and_unchanged(unsigned_doc, tmp_path,
                                                               monkeypatch):
    with api.env.adopt_user(username=LEADER):
        signing.sign_person(document=unsigned_doc, name="Nguyễn Văn An", position="GIÁM ĐỐC")
    before, modified = bytes(unsigned_doc.file.data), unsigned_doc.modified()
    monkeypatch.setenv("QLVB_KEYS_DIR", str(tmp_path))
    with api.env.adopt_user(username=CLERK), \
            pytest.raises(errors.SignerNotConfiguredError) as exc:
        signing.sign_agency(document=unsigned_doc, code_number=2, code_notation="QĐ-STTTT",
                            issued_at=ISSUED_AT)
    assert "Chưa cấu hình khóa ký số" in translate(exc.value.message, target_language="vi")
    assert bytes(unsigned_doc.file.data) == before and unsigned_doc.modified() == modified
    assert cfg.seal_status("000.00.14.H20")["status"] == "missing"


def test_wrong_seal_password_is_translated_error_and_unchanged(unsigned_doc, tmp_path,
                                                               monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    with api.env.adopt_user(username=LEADER):
        signing.sign_person(document=unsigned_doc, name="Nguyễn Văn An", position="GIÁM ĐỐC")
    before, modified = bytes(unsigned_doc.file.data), unsigned_doc.modified()
    seal_dir = tmp_path / "000.00.14.H20"
    seal_dir.mkdir()
    (seal_dir / "seal.p12").write_bytes(
        (cfg.keys_dir() / "000.00.14.H20" / "seal.p12").read_bytes())
    (seal_dir / "seal.pass").write_text("sai-mat-khau-XYZ")
    monkeypatch.setenv("QLVB_KEYS_DIR", str(tmp_path))
    with api.env.adopt_user(username=CLERK), pytest.raises(errors.WrongPinError) as exc:
        signing.sign_agency(document=unsigned_doc, code_number=2, code_notation="QĐ-STTTT",
                            issued_at=ISSUED_AT)
    assert translate(exc.value.message, target_language="vi") == \
        "Mã PIN hoặc mật khẩu của khóa ký không đúng."
    assert bytes(unsigned_doc.file.data) == before and unsigned_doc.modified() == modified
    assert cfg.seal_status("000.00.14.H20")["status"] == "error"
    assert "sai-mat-khau-XYZ" not in caplog.text and "sai-mat-khau-XYZ" not in str(exc.value)


def test_seal_from_environment_variables(unsigned_doc, tmp_path, monkeypatch):
    p12 = cfg.keys_dir() / "000.00.14.H20" / "seal.p12"
    with api.env.adopt_user(username=LEADER):
        signing.sign_person(document=unsigned_doc, name="Nguyễn Văn An", position="GIÁM ĐỐC")
    monkeypatch.setenv("QLVB_KEYS_DIR", str(tmp_path))  # no key files there
    monkeypatch.setenv("QLVB_SEAL_000_00_14_H20_P12", str(p12))
    monkeypatch.setenv("QLVB_SEAL_000_00_14_H20_PASSWORD", TEST_PASSWORD)
    assert cfg.seal_status("000.00.14.H20")["status"] == "found"
    with api.env.adopt_user(username=CLERK):
        report = signing.sign_agency(document=unsigned_doc, code_number=3,
                                     code_notation="QĐ-STTTT", issued_at=ISSUED_AT)
    assert report["legal_validity"] == "legal"


def test_trust_store_changes_the_verdict(unsigned_doc, demo_pki):
    sign_both(unsigned_doc)
    assert unsigned_doc.legal_validity == "legal"
    root_fp = cfg.fingerprint(demo_pki.root.certificate())
    assert cfg.remove_trusted(root_fp)
    report = signing.verify(document=unsigned_doc)
    assert report["legal_validity"] == "reference"
    assert "untrusted" in {p["code"] for s in report["signatures"] for p in s["problems"]}
    assert brains(qlvb_legal_validity="reference")
    from cryptography.hazmat.primitives import serialization

    cfg.add_trusted(demo_pki.root.certificate().public_bytes(serialization.Encoding.PEM))
    assert signing.verify(document=unsigned_doc)["legal_validity"] == "legal"


def test_forged_signature_by_untrusted_ca_is_never_legal(stttt, pki, pdf_bytes):
    """A signer from another CA with the same names as our leader and agency."""
    from dongthap.qlvb.signing.pdfsign import sign_agency, sign_person

    fake = Pkcs12Signer(pki.untrusted_signer.p12, TEST_PASSWORD)
    signed = sign_person(pdf_bytes, fake, "Nguyễn Văn An", "CHỦ TỊCH")
    signed = sign_agency(signed, Pkcs12Signer(pki.agency.p12, TEST_PASSWORD),
                         "UBND TỈNH ĐỒNG THÁP", code_number=1, code_notation="QĐ",
                         issued_at=ISSUED_AT)
    doc = make_doc(stttt, signed, "vb-forged")
    # the session PKI of the core tests is not in the demo trust store either
    assert doc.legal_validity == "reference"


def test_keys_and_pins_never_in_zodb_or_logs(sdemo, unsigned_doc, caplog):
    import transaction

    caplog.set_level(logging.DEBUG)
    sign_both(unsigned_doc)
    transaction.savepoint(optimistic=True)
    registry = api.portal.get_tool("portal_registry")
    for name in registry.records.keys():
        if name.startswith("dongthap.qlvb.signing"):
            assert TEST_PASSWORD not in repr(registry[name])
            assert "PRIVATE KEY" not in repr(registry[name])
    buf = io.BytesIO()
    sdemo._p_jar.exportFile(sdemo._p_oid, buf)
    dump = buf.getvalue()
    assert len(dump) > 100_000
    assert TEST_PASSWORD.encode() not in dump
    key_pem = (cfg.keys_dir().parent / "test-pki" / "seal_000_00_14_H20.key.pem").read_bytes()
    assert b"PRIVATE KEY" not in dump
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(key_pem, None)
    modulus = key.private_numbers().d.to_bytes(256, "big")
    assert modulus[:32] not in dump  # no private exponent
    seal_p12 = (cfg.keys_dir() / "000.00.14.H20" / "seal.p12").read_bytes()
    assert seal_p12[:64] not in dump
    assert TEST_PASSWORD not in caplog.text and "PRIVATE KEY" not in caplog.text


def test_registered_certificates_and_own_certificate_only(sdemo, demo_pki):
    from dongthap.qlvb.signing import usercerts

    leader_id = api.user.get(username=LEADER).getId()
    certs = usercerts.describe_all(userid=leader_id)
    assert len(certs) == 1 and not certs[0]["expired"]
    from cryptography.hazmat.primitives import serialization

    pem = demo_pki.root.certificate().public_bytes(serialization.Encoding.PEM)
    with pytest.raises(ValueError):
        usercerts.register(userid=leader_id, data=pem)  # a CA is not a personal certificate
    with pytest.raises(ValueError):
        usercerts.register(userid=leader_id, data=b"not a certificate")


def test_signed_pdf_validates_with_pdfsig(unsigned_doc, tmp_path):
    import shutil
    import subprocess

    from tests.conftest import require

    require(shutil.which("pdfsig"), "pdfsig (poppler-utils)")
    sign_both(unsigned_doc)
    path = tmp_path / "signed.pdf"
    path.write_bytes(bytes(unsigned_doc.file.data))
    out = subprocess.run(["pdfsig", "-nocert", str(path)], capture_output=True, text=True).stdout
    assert out.count("Signature is Valid.") == 2


def test_make_pdf_helper_works():
    assert make_pdf(1).startswith(b"%PDF-")
