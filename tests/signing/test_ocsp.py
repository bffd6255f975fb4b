"""Revocation through OCSP (RFC 6960) with the local responder of ``testpeers``."""

from __future__ import annotations

import socket
import time

import re

import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.x509 import ocsp
from signing_helpers import ISSUED_AT, codes
from test_certificates import bare_pyhanko_sign

from dongthap.qlvb.signing import errors
from dongthap.qlvb.signing.pdfsign import sign_agency, sign_person
from dongthap.qlvb.signing.signers import KeySigner, Pkcs12Signer
from dongthap.qlvb_testing.testpki import issue_identity
from dongthap.qlvb.signing.verify import _has_revocation_source


def _ocsp_only(cert: x509.Certificate) -> bool:
    """An AIA OCSP URL and no CRL distribution point."""
    try:
        cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
        return False
    except x509.ExtensionNotFound:
        pass
    aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    return any(d.access_method == x509.oid.AuthorityInformationAccessOID.OCSP for d in aia)


def _ask(peers, cert, issuer, *, get=False) -> ocsp.OCSPResponse:
    req = ocsp.OCSPRequestBuilder().add_certificate(cert, issuer, hashes.SHA1()).build()
    der = req.public_bytes(serialization.Encoding.DER)
    if get:  # RFC 6960 appendix A.1
        import base64

        r = requests.get(f"{peers.ocsp_url}/{base64.b64encode(der).decode()}", timeout=5)
    else:
        r = requests.post(peers.ocsp_url, data=der, timeout=5,
                          headers={"Content-Type": "application/ocsp-request"})
    assert r.headers["Content-Type"] == "application/ocsp-response"
    return ocsp.load_der_ocsp_response(r.content)


def test_ocsp_only_good_certificate_is_legal(pdf_bytes, pki, peers, policy, agency, verify):
    cert = pki.ocsp_good.certificate()
    assert _ocsp_only(cert) and _has_revocation_source(cert)
    before = peers.hits["/ocsp"]
    # the pre-signing check asks the responder too
    signer = Pkcs12Signer(pki.ocsp_good.p12, pki.ocsp_good.password, policy=policy)
    signed = sign_person(pdf_bytes, signer, "Hoàng Văn Minh", "PHÓ CHỦ TỊCH", "KT.")
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=21,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    report = verify(signed)
    assert report.legal_validity == "legal", report.to_dict()
    person = next(s for s in report.signatures if s.kind == "person")
    assert person.signer_name == "Hoàng Văn Minh"
    assert person.revocation == "good" and person.revocation_detail == "ocsp" and person.ok
    agency_sig = next(s for s in report.signatures if s.kind == "agency")
    assert agency_sig.revocation == "good" and agency_sig.revocation_detail == "crl"
    assert peers.hits["/ocsp"] >= before + 2  # at signing and at verification
    assert (cert.serial_number, "good") in peers.ocsp.answers


def test_ocsp_revoked_certificate_is_reference_with_vietnamese_reason(pdf_bytes, pki, agency,
                                                                      verify):
    cert = pki.ocsp_revoked.certificate()
    assert _ocsp_only(cert)
    signed = bare_pyhanko_sign(pdf_bytes, pki.ocsp_revoked, pki)  # as a forger would
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=22,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    report = verify(signed)
    assert report.legal_validity == "reference"
    person = next(s for s in report.signatures if s.kind == "person")
    assert person.revocation == "revoked" and person.revocation_detail == "ocsp"
    assert not person.ok and "revoked" in codes(report)
    assert "no_valid_person_signature" in codes(report)
    text = report.summary_text()
    assert "Chứng thư số của Đỗ Thị Lan đã bị thu hồi tại thời điểm ký." in text
    # when and why, from the OCSP answer (the test CA revoked it two days ago for key compromise)
    assert re.search(r"Chứng thư số của Đỗ Thị Lan bị thu hồi ngày \d{2}/\d{2}/\d{4} \d{2}:\d{2}, "
                     r"lý do: khóa bí mật bị lộ\.", text), text
    assert "Văn bản chỉ có giá trị tham khảo." in text


def test_ocsp_revoked_certificate_refused_at_signing(pdf_bytes, pki, policy):
    signer = Pkcs12Signer(pki.ocsp_revoked.p12, pki.ocsp_revoked.password, policy=policy)
    with pytest.raises(errors.CertificateRevokedError):
        sign_person(pdf_bytes, signer, "Đỗ Thị Lan", "PHÓ CHỦ TỊCH")


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers (a hung responder)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


def test_ocsp_responder_down_is_not_checked_fast(pdf_bytes, pki, silent_port):
    from dongthap.qlvb.signing.verify import verify_pdf

    for slug, url in (("ocsp_refused", "http://127.0.0.1:9/ocsp"),
                      ("ocsp_hung", f"http://127.0.0.1:{silent_port}/ocsp")):
        ident = issue_identity(pki, slug, common_name="Lý Văn Tâm", organisation="UBND TỈNH",
                               given="Tâm", surname="Lý Văn", ocsp_url=url)
        assert _ocsp_only(ident.certificate())
        signer = KeySigner(ident.private_key(), ident.certificate(),
                           [pki.intermediate.certificate()])
        signed = sign_person(pdf_bytes, signer, "Lý Văn Tâm", "CHUYÊN VIÊN")
        start = time.monotonic()
        report = verify_pdf(signed, pki.trust_roots(), timeout=1)
        assert time.monotonic() - start < 5, slug  # the 1 s timeout, not a hang
        sig = report.signatures[0]
        assert sig.revocation == "not_checked", slug
        assert "revocation_not_checked" in {p.code for p in sig.problems}
        assert sig.ok, slug  # a warning only …
        assert "OCSP" in sig.revocation_detail
        assert "Chưa kiểm tra được tình trạng thu hồi chứng thư số của Lý Văn Tâm." \
            in report.summary_text()
        if slug == "ocsp_refused":
            strict = verify_pdf(signed, pki.trust_roots(), timeout=1, require_revocation=True)
            assert not strict.signatures[0].ok  # … unless revocation checks are required


def test_ocsp_responder_answers(pki, peers):
    """good / revoked (with time and reason) / unknown, signed by the CA, GET and POST forms."""
    issuer = pki.intermediate.certificate()
    good = _ask(peers, pki.ocsp_good.certificate(), issuer)
    assert good.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert good.certificate_status == ocsp.OCSPCertStatus.GOOD
    issuer.public_key().verify(good.signature, good.tbs_response_bytes, padding.PKCS1v15(),
                               hashes.SHA256())  # signed by the issuing CA itself
    revoked = _ask(peers, pki.ocsp_revoked.certificate(), issuer, get=True)
    assert revoked.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert revoked.revocation_reason == x509.ReasonFlags.key_compromise
    crl_entry = pki.revoked_serials()[pki.ocsp_revoked.certificate().serial_number]
    assert revoked.revocation_time_utc == crl_entry.revocation_date_utc
    # a CRL-listed certificate has the same status over OCSP
    assert _ask(peers, pki.revoked.certificate(), issuer).certificate_status == \
        ocsp.OCSPCertStatus.REVOKED
    # a certificate of another CA: unauthorized; an unknown serial of ours: unknown
    other = _ask(peers, pki.untrusted_signer.certificate(), pki.untrusted_root.certificate())
    assert other.response_status == ocsp.OCSPResponseStatus.UNAUTHORIZED
    stranger = (x509.CertificateBuilder().subject_name(issuer.subject)
                .issuer_name(issuer.subject).public_key(issuer.public_key())
                .serial_number(424242).not_valid_before(issuer.not_valid_before_utc)
                .not_valid_after(issuer.not_valid_after_utc)
                .sign(pki.intermediate.private_key(), hashes.SHA256()))
    assert _ask(peers, stranger, issuer).certificate_status == ocsp.OCSPCertStatus.UNKNOWN


def test_readable_report_names_the_revocation_source(sdemo, pdf_bytes, pki, agency, verify):
    from dongthap.qlvb.signing.readable import readable

    signer = KeySigner(pki.ocsp_good.private_key(), pki.ocsp_good.certificate(),
                       [pki.intermediate.certificate()])
    signed = sign_person(pdf_bytes, signer, "Hoàng Văn Minh", "PHÓ CHỦ TỊCH")
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=23,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    out = readable(verify(signed).to_dict(), sdemo.REQUEST)
    sigs = {s["kind"]: s for s in out["signatures"]}
    assert sigs["person"]["revocation"] == "đã kiểm tra, không bị thu hồi (qua dịch vụ OCSP)"
    assert sigs["person"]["revocation_source"] == "ocsp"
    assert sigs["agency"]["revocation"] == "đã kiểm tra, không bị thu hồi (qua danh sách thu hồi CRL)"
    assert sigs["agency"]["revocation_source"] == "crl"
