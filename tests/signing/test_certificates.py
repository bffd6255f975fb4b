"""Expired, revoked and not-for-signing certificates; wrong passwords."""

from __future__ import annotations

import io
import time

import pytest
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from signing_helpers import codes

from dongthap.qlvb.signing import errors
from dongthap.qlvb.signing.certs import CertificatePolicy, to_asn1
from dongthap.qlvb.signing.pdfsign import sign_person
from dongthap.qlvb.signing.signers import KeySigner, Pkcs12Signer
from dongthap.qlvb_testing.testpki import ensure_test_pki
from dongthap.qlvb.signing.verify import default_classifier


def bare_pyhanko_sign(pdf: bytes, identity, pki) -> bytes:
    """Sign without our checks, as a forger or another tool would."""
    from asn1crypto import keys
    from cryptography.hazmat.primitives import serialization
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    key = keys.PrivateKeyInfo.load(identity.private_key().private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    signer = signers.SimpleSigner(
        signing_cert=to_asn1(identity.certificate()), signing_key=key,
        cert_registry=SimpleCertificateStore.from_certs([to_asn1(pki.intermediate.certificate())]))
    out = io.BytesIO()
    signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)),
                     signers.PdfSignatureMetadata(field_name="Sig1",
                                                  subfilter=fields.SigSeedSubFilter.PADES),
                     signer=signer, output=out)
    return out.getvalue()


def test_expired_refused_at_signing(pdf_bytes, pki, policy):
    signer = Pkcs12Signer(pki.expired.p12, pki.expired.password, policy=policy)
    with pytest.raises(errors.CertificateExpiredError) as exc:
        sign_person(pdf_bytes, signer, "Lê Văn Cũ", "PHÓ CHỦ TỊCH")
    assert exc.value.message.default.startswith("The signing certificate")


def test_expired_reported_at_verification(pdf_bytes, pki, verify):
    report = verify(bare_pyhanko_sign(pdf_bytes, pki.expired, pki))
    assert report.legal_validity == "reference"
    assert "expired" in codes(report)


def test_revoked_refused_at_signing(pdf_bytes, pki, policy):
    signer = Pkcs12Signer(pki.revoked.p12, pki.revoked.password, policy=policy)
    with pytest.raises(errors.CertificateRevokedError):
        sign_person(pdf_bytes, signer, "Phạm Thị Thu", "PHÓ CHỦ TỊCH")


def test_revoked_reported_at_verification_via_http_crl(pdf_bytes, pki, verify):
    report = verify(bare_pyhanko_sign(pdf_bytes, pki.revoked, pki))
    assert report.signatures[0].revocation == "revoked"
    assert "revoked" in codes(report)


def test_revoked_reported_with_offline_crl(pdf_bytes, pki, verify):
    signed = bare_pyhanko_sign(pdf_bytes, pki.revoked, pki)
    report = verify(signed, crls=[pki.crl_path.read_bytes()], allow_fetching=False)
    assert "revoked" in codes(report)


def test_unreachable_crl_is_not_checked_and_fast(tmp_path, pdf_bytes):
    offline = ensure_test_pki(tmp_path / "offline", crl_base_url="http://127.0.0.1:9/pki")
    signer = KeySigner(offline.leader.private_key(), offline.leader.certificate(),
                       [offline.intermediate.certificate()])
    signed = sign_person(pdf_bytes, signer, "Nguyễn Văn An", "CHỦ TỊCH")
    from dongthap.qlvb.signing.verify import verify_pdf

    start = time.monotonic()
    report = verify_pdf(signed, offline.trust_roots(), timeout=2)
    assert time.monotonic() - start < 10
    sig = report.signatures[0]
    assert sig.revocation == "not_checked" and sig.ok  # warning only
    strict = verify_pdf(signed, offline.trust_roots(), timeout=2, require_revocation=True)
    assert not strict.signatures[0].ok


def test_not_for_signing_refused(pdf_bytes, pki):
    signer = Pkcs12Signer(pki.not_for_signing.p12, pki.not_for_signing.password)
    with pytest.raises(errors.CertificateNotForSigningError):
        sign_person(pdf_bytes, signer, "Võ Văn Mã", "CHUYÊN VIÊN")


def test_not_for_signing_reported(pdf_bytes, pki, verify):
    report = verify(bare_pyhanko_sign(pdf_bytes, pki.not_for_signing, pki))
    assert report.legal_validity == "reference"
    assert not report.signatures[0].ok


def test_untrusted_refused_with_policy(pdf_bytes, pki, policy):
    signer = KeySigner(pki.untrusted_signer.private_key(), pki.untrusted_signer.certificate(),
                       policy=policy)
    with pytest.raises(errors.CertificateUntrustedError):
        sign_person(pdf_bytes, signer, "Nguyễn Văn An", "CHỦ TỊCH")


def test_wrong_p12_password(pki):
    with pytest.raises(errors.WrongPinError) as exc:
        Pkcs12Signer(pki.leader.p12, "wrong")
    assert "wrong" not in str(exc.value)


def test_repr_hides_secrets(pki):
    signer = Pkcs12Signer(pki.leader.p12, pki.leader.password,
                          policy=CertificatePolicy())
    text = repr(signer) + repr(vars(signer))
    assert pki.leader.password not in text
    assert "Nguyễn Văn An" in repr(signer)
    assert "PRIVATE" not in text


def test_default_classifier(pki):
    assert default_classifier(pki.leader.certificate()) == "person"
    assert default_classifier(pki.agency.certificate()) == "agency"
    assert default_classifier(pki.intermediate.certificate()) is None
