"""Two-step signing with a key held by the client (staff USB token).

1. :func:`prepare_external` lays out the person's visible signature,
   reserves the signature placeholder and returns an
   :class:`ExternalSigningState` plus the SHA-256 digest the client must
   sign (the DER of the CMS signed attributes is ``state.data_to_sign``).
2. The client signs (RSA PKCS#1 v1.5 / ECDSA with SHA-256) and sends back
   either the raw signature value or a complete CMS ``SignedData``.
3. :func:`complete_external` checks that the signature really belongs to
   the prepared document and certificate, then embeds it.

The state is plain data (``to_dict`` / ``from_dict`` with base64) so the
web tier can keep it between two requests; it contains no secret.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hashlib
import io
from dataclasses import dataclass, fields

from asn1crypto import cms
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_cms import ExternalSigner, PdfCMSSignedAttributes
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import errors
from .certs import CertificatePolicy, check_signing_certificate, to_asn1, to_crypto
from .pdfsign import (
    DEFAULT_PERSON_BOX,
    PERSON_FIELD_PREFIX,
    _field,
    build_pdf_signer,
    open_pdf,
    person_style,
)

UTC = dt.UTC


@dataclass(frozen=True)
class ExternalSigningState:
    """Everything needed to finish an external signature (no secrets)."""

    prepared_pdf: bytes
    document_digest: bytes
    reserved_region_start: int
    reserved_region_end: int
    data_to_sign: bytes
    certificate_der: bytes
    chain_der: tuple[bytes, ...] = ()

    @property
    def digest(self) -> bytes:
        """SHA-256 of :attr:`data_to_sign` – what a token signs."""
        return hashlib.sha256(self.data_to_sign).digest()

    def to_dict(self) -> dict:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bytes):
                value = base64.b64encode(value).decode()
            elif isinstance(value, tuple):
                value = [base64.b64encode(v).decode() for v in value]
            out[f.name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict) -> ExternalSigningState:
        kwargs = dict(data)
        for key in ("prepared_pdf", "document_digest", "data_to_sign", "certificate_der"):
            kwargs[key] = base64.b64decode(kwargs[key])
        kwargs["chain_der"] = tuple(base64.b64decode(v) for v in kwargs.get("chain_der", ()))
        return cls(**kwargs)

    def __repr__(self) -> str:
        return (f"<ExternalSigningState {len(self.prepared_pdf)} bytes "
                f"digest={self.digest.hex()[:16]}…>")


def _external_signer(cert, chain, value=None) -> ExternalSigner:
    return ExternalSigner(signing_cert=to_asn1(cert),
                          cert_registry=SimpleCertificateStore.from_certs(
                              [to_asn1(c) for c in chain]),
                          signature_value=value if value is not None else 512)


async def _prepare(pdf_bytes, cert, chain, style, page, box, reason, when):
    writer = open_pdf(pdf_bytes)
    ext = _external_signer(cert, chain)
    pdf_signer = build_pdf_signer(ext, field_name=_field(PERSON_FIELD_PREFIX), page=page,
                                  box=box, style=style, reason=reason, signing_time=when)
    prep, _tbs, output = await pdf_signer.async_digest_doc_for_signing(writer)
    attrs = await ext.signed_attrs(prep.document_digest, "sha256",
                                   attr_settings=PdfCMSSignedAttributes(signing_time=when),
                                   use_pades=True)
    output.seek(0)
    return prep, output.read(), attrs.dump()


def prepare_external(pdf_bytes: bytes, certificate, *, name: str, position: str,
                     authority_prefix: str | None = None,
                     signature_image_png: bytes | None = None, chain=(), page: int = -1,
                     box=DEFAULT_PERSON_BOX, reason: str = "Ký duyệt văn bản",
                     policy: CertificatePolicy | None = None
                     ) -> tuple[ExternalSigningState, bytes]:
    """Prepare a person signature for a client-held key.

    :returns: ``(state, digest)``; ``digest`` = SHA-256 of ``state.data_to_sign``.
    :raises CertificateError: the certificate may not sign (checked first).
    """
    cert = to_crypto(certificate)
    chain = [to_crypto(c) for c in chain]
    when = dt.datetime.now(UTC).replace(microsecond=0)
    check_signing_certificate(cert, chain, policy, when)
    style = person_style(name, position, authority_prefix, signature_image_png)
    prep, prepared, signed_attrs = asyncio.run(
        _prepare(pdf_bytes, cert, chain, style, page, box, reason, when))
    state = ExternalSigningState(
        prepared_pdf=prepared, document_digest=prep.document_digest,
        reserved_region_start=prep.reserved_region_start,
        reserved_region_end=prep.reserved_region_end, data_to_sign=signed_attrs,
        certificate_der=to_asn1(cert).dump(), chain_der=tuple(to_asn1(c).dump() for c in chain))
    return state, state.digest


def _verify_raw(cert, data: bytes, signature: bytes) -> None:
    key = cert.public_key()
    try:
        if isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        else:
            raise errors.ExternalSignatureError("unsupported key type")
    except (InvalidSignature, ValueError) as exc:
        raise errors.ExternalSignatureError("signature does not verify") from exc


def _raw_from_cms(state: ExternalSigningState, data: bytes) -> bytes:
    """Extract the signature value from a client CMS after checking it matches."""
    try:
        info = cms.ContentInfo.load(data)
        signer_info = info["content"]["signer_infos"][0]
        signed_attrs = signer_info["signed_attrs"]
        attrs = {a["type"].native: a["values"][0].native for a in signed_attrs}
        certs = [c.chosen.dump() for c in info["content"]["certificates"]]
        raw, attrs_der = signer_info["signature"].native, signed_attrs.untag().dump()
    except Exception as exc:
        raise errors.ExternalSignatureError("not a CMS SignedData") from exc
    if attrs.get("message_digest") != state.document_digest:
        raise errors.ExternalSignatureError("CMS signs another document")
    if state.certificate_der not in certs:
        raise errors.ExternalSignatureError("CMS signed by another certificate")
    _verify_raw(to_crypto(state.certificate_der), attrs_der, raw)
    if attrs_der != state.data_to_sign:
        # the client built its own attributes: embed its CMS unchanged
        return data
    return raw


def _looks_like_cms(data: bytes) -> bool:
    try:
        return cms.ContentInfo.load(data)["content_type"].native == "signed_data"
    except Exception:  # noqa: BLE001 - asn1crypto raises many types on junk
        return False


def complete_external(state: ExternalSigningState, signature: bytes) -> bytes:
    """Embed the client's raw signature or CMS; return the signed PDF.

    :raises ExternalSignatureError: the signature does not match the prepared
        document/certificate (nothing is returned; ``state`` is unchanged).
    """
    cert = to_crypto(state.certificate_der)
    chain = [to_crypto(c) for c in state.chain_der]
    if _looks_like_cms(signature):
        value = _raw_from_cms(state, signature)
        if value is signature:
            return _finish(state, cms.ContentInfo.load(signature))
    else:
        value = signature
        _verify_raw(cert, state.data_to_sign, value)
    ext = _external_signer(cert, chain, value)
    attrs = cms.CMSAttributes.load(state.data_to_sign)
    content = asyncio.run(ext.async_sign_prescribed_attributes("sha256", signed_attrs=attrs))
    return _finish(state, content)


def _finish(state: ExternalSigningState, content: cms.ContentInfo) -> bytes:
    output = io.BytesIO(state.prepared_pdf)
    prep = PreparedByteRangeDigest(document_digest=state.document_digest,
                                   reserved_region_start=state.reserved_region_start,
                                   reserved_region_end=state.reserved_region_end)
    try:
        PdfTBSDocument.finish_signing(output, prep, content)
    except Exception as exc:  # e.g. CMS larger than the placeholder
        raise errors.ExternalSignatureError(type(exc).__name__) from exc
    return output.getvalue()
