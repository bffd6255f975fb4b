"""SoftHSM2 (PKCS#11) signing and the two-step external flow."""

from __future__ import annotations

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from signing_helpers import ISSUED_AT

from dongthap.qlvb.signing import errors
from dongthap.qlvb.signing.external import (
    ExternalSigningState,
    complete_external,
    prepare_external,
)
from dongthap.qlvb.signing.pdfsign import sign_agency, sign_person
from dongthap.qlvb.signing.signers import Pkcs11Signer


def test_softhsm_signing_is_legal(softhsm, pdf_bytes, pki, policy, agency, verify):
    signer = Pkcs11Signer(softhsm["module"], softhsm["token"], softhsm["pin"],
                          key_label=softhsm["label"], chain=[pki.intermediate.certificate()],
                          policy=policy)
    signed = sign_person(pdf_bytes, signer, "Nguyễn Văn An", "CHỦ TỊCH")
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=3,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    assert verify(signed).legal_validity == "legal"
    assert softhsm["pin"] not in repr(signer)


def test_softhsm_wrong_pin(softhsm, pdf_bytes):
    signer = Pkcs11Signer(softhsm["module"], softhsm["token"], "9999",
                          key_label=softhsm["label"])
    with pytest.raises(errors.WrongPinError):
        sign_person(pdf_bytes, signer, "Nguyễn Văn An", "CHỦ TỊCH")


def test_softhsm_absent_token(softhsm, pdf_bytes):
    signer = Pkcs11Signer(softhsm["module"], "no-such-token", softhsm["pin"],
                          key_label=softhsm["label"])
    with pytest.raises(errors.TokenNotFoundError) as exc:
        sign_person(pdf_bytes, signer, "Nguyễn Văn An", "CHỦ TỊCH")
    assert "no-such-token" in str(exc.value)


def test_softhsm_missing_key(softhsm, pdf_bytes):
    signer = Pkcs11Signer(softhsm["module"], softhsm["token"], softhsm["pin"],
                          key_label="nobody")
    with pytest.raises(errors.KeyNotFoundError):
        sign_person(pdf_bytes, signer, "Nguyễn Văn An", "CHỦ TỊCH")


def _client_sign(pki, data: bytes) -> bytes:
    return pki.leader.private_key().sign(data, padding.PKCS1v15(), hashes.SHA256())


def test_external_flow_raw_signature(pdf_bytes, pki, agency, verify, signature_png):
    state, digest = prepare_external(pdf_bytes, pki.leader.certificate(),
                                     chain=[pki.intermediate.certificate()],
                                     name="Nguyễn Văn An", position="CHỦ TỊCH",
                                     authority_prefix="TM.", signature_image_png=signature_png)
    assert len(digest) == 32
    state = ExternalSigningState.from_dict(state.to_dict())  # survives storage
    signed = complete_external(state, _client_sign(pki, state.data_to_sign))
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=4,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    assert verify(signed).legal_validity == "legal"


def test_external_flow_cms(pdf_bytes, pki, verify):
    from dongthap.qlvb.signing.external import _external_signer

    state, _digest = prepare_external(pdf_bytes, pki.leader.certificate(),
                                      chain=[pki.intermediate.certificate()],
                                      name="Nguyễn Văn An", position="CHỦ TỊCH")
    raw = _client_sign(pki, state.data_to_sign)
    import asyncio

    ext = _external_signer(pki.leader.certificate(), [pki.intermediate.certificate()], raw)
    content = asyncio.run(ext.async_sign_prescribed_attributes(
        "sha256", signed_attrs=cms.CMSAttributes.load(state.data_to_sign)))
    signed = complete_external(state, content.dump())
    report = verify(signed)
    assert report.signatures[0].ok and report.signatures[0].kind == "person"


def test_external_flow_rejects_wrong_key(pdf_bytes, pki):
    state, _ = prepare_external(pdf_bytes, pki.leader.certificate(),
                                chain=[pki.intermediate.certificate()],
                                name="Nguyễn Văn An", position="CHỦ TỊCH")
    wrong = pki.staff.private_key().sign(state.data_to_sign, padding.PKCS1v15(),
                                         hashes.SHA256())
    before = state.to_dict()
    with pytest.raises(errors.ExternalSignatureError):
        complete_external(state, wrong)
    assert state.to_dict() == before


def test_external_flow_rejects_other_document(pdf_bytes, pki):
    state_a, _ = prepare_external(pdf_bytes, pki.leader.certificate(),
                                  name="Nguyễn Văn An", position="CHỦ TỊCH")
    state_b, _ = prepare_external(pdf_bytes + b"\n", pki.leader.certificate(),
                                  name="Nguyễn Văn An", position="CHỦ TỊCH")
    with pytest.raises(errors.ExternalSignatureError):
        complete_external(state_b, _client_sign(pki, state_a.data_to_sign))


def test_external_flow_refuses_expired_cert(pdf_bytes, pki):
    with pytest.raises(errors.CertificateExpiredError):
        prepare_external(pdf_bytes, pki.expired.certificate(), name="Lê Văn Cũ",
                         position="PHÓ CHỦ TỊCH")
