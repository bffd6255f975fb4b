"""Certificate helpers: conversions and the pre-signing certificate check.

pyHanko works with :mod:`asn1crypto` objects, the rest of the system with
:mod:`cryptography`; :func:`to_asn1` and :func:`to_crypto` convert.
:func:`check_signing_certificate` refuses expired, not-yet-valid,
not-for-signing, untrusted and revoked certificates *before* anything is
signed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.oid import NameOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors
from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

from . import errors

UTC = dt.UTC


def load_certificate(value) -> x509.Certificate:
    """Accept a cryptography/asn1crypto certificate or PEM/DER bytes."""
    if isinstance(value, x509.Certificate):
        return value
    if isinstance(value, asn1_x509.Certificate):
        return x509.load_der_x509_certificate(value.dump())
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes | bytearray):
        data = bytes(value)
        if data.lstrip().startswith(b"-----BEGIN"):
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    raise TypeError(f"not a certificate: {type(value).__name__}")


def to_asn1(cert) -> asn1_x509.Certificate:
    """Convert any accepted certificate form to asn1crypto."""
    if isinstance(cert, asn1_x509.Certificate):
        return cert
    der = load_certificate(cert).public_bytes(serialization.Encoding.DER)
    return asn1_x509.Certificate.load(der)


def to_crypto(cert) -> x509.Certificate:
    """Convert any accepted certificate form to cryptography."""
    return load_certificate(cert)


def common_name(cert: x509.Certificate) -> str:
    """The subject CN (or the full RFC 4514 subject if it has none)."""
    attrs = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(attrs[0].value) if attrs else cert.subject.rfc4514_string()


def fetcher(timeout: float) -> RequestsFetcherBackend:
    """HTTP backend for CRL/OCSP/AIA fetches with a short timeout."""
    return RequestsFetcherBackend(per_request_timeout=timeout)


@dataclass(frozen=True)
class CertificatePolicy:
    """What :func:`check_signing_certificate` verifies before signing.

    Without ``trust_roots`` only the validity period and the key usage are
    checked.  With trust roots, the chain must lead to one of them and the
    revocation status is checked (CRL/OCSP from the certificate, plus the
    given ``crls``); ``revocation_mode`` ``"soft-fail"`` lets signing go on
    when the CRL/OCSP server cannot be reached, ``"hard-fail"`` refuses.
    """

    trust_roots: tuple = ()
    intermediates: tuple = ()
    crls: tuple[bytes, ...] = ()
    check_revocation: bool = True
    allow_fetching: bool = True
    revocation_mode: str = "soft-fail"
    timeout: float = 5.0


def _check_key_usage(cert: x509.Certificate, subject: str) -> None:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # no restriction (RFC 5280 §4.2.1.3)
    if not (ku.digital_signature or ku.content_commitment):
        raise errors.CertificateNotForSigningError(subject=subject)


def check_signing_certificate(cert, chain=(), policy: CertificatePolicy | None = None,
                              at: dt.datetime | None = None) -> None:
    """Raise a :class:`~.errors.CertificateError` if ``cert`` may not sign.

    :param cert: the signer certificate.
    :param chain: intermediate certificates shipped with the key.
    :param policy: trust/revocation settings (default: period + key usage).
    :param at: the signing time (default: now).
    """
    cert = load_certificate(cert)
    policy = policy or CertificatePolicy()
    at = at or dt.datetime.now(UTC)
    subject = common_name(cert)
    if at > cert.not_valid_after_utc:
        raise errors.CertificateExpiredError(
            subject=subject, date=cert.not_valid_after_utc.strftime("%d/%m/%Y"))
    if at < cert.not_valid_before_utc:
        raise errors.CertificateNotYetValidError(
            subject=subject, date=cert.not_valid_before_utc.strftime("%d/%m/%Y"))
    _check_key_usage(cert, subject)
    if not policy.trust_roots:
        return
    intermediates = [to_asn1(c) for c in (*chain, *policy.intermediates)]
    vc = ValidationContext(
        trust_roots=[to_asn1(c) for c in policy.trust_roots],
        other_certs=intermediates,
        crls=list(policy.crls),
        moment=at,
        allow_fetching=policy.allow_fetching and policy.check_revocation,
        revocation_mode=policy.revocation_mode if policy.check_revocation else "soft-fail",
        fetcher_backend=fetcher(policy.timeout),
    )
    validator = CertificateValidator(to_asn1(cert), intermediates, vc)
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except cv_errors.RevokedError as exc:
        raise errors.CertificateRevokedError(subject=subject) from exc
    except cv_errors.InsufficientRevinfoError as exc:
        raise errors.RevocationUnknownError(str(exc), subject=subject) from exc
    except (cv_errors.PathBuildingError, cv_errors.PathValidationError,
            cv_errors.InvalidCertificateError) as exc:
        raise errors.CertificateUntrustedError(str(exc), subject=subject) from exc
