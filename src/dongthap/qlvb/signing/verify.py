"""Verification of every signature of a PDF and its legal validity.

``verify_pdf`` checks each signature: integrity, certificate chain to the
configured trust roots, certificate validity and revocation at the signing
time (the RFC 3161 timestamp when present, else the signer's claimed time),
and whether the document was changed after signing (pyHanko's difference
analysis: adding pages or content in a later incremental update is
detected).  CRL/OCSP are fetched with a short timeout; when they cannot be
reached the revocation is recorded as ``not_checked`` (a warning unless
``require_revocation=True``).  When the status was checked,
``revocation_detail`` names the source: ``"ocsp"`` or ``"crl"``.

Legal validity (NĐ 30/2020 Art. 5, QĐ 595/QĐ-UBND): ``"legal"`` only if at
least one ``person`` signature and one ``agency`` signature are valid,
trusted, unrevoked, and the agency signature covers the whole final
document (nothing but LTA/DSS updates after it); otherwise ``"reference"``
with the reasons. Separate attachment files and electronic copies carry the
agency signature alone (NĐ 30 Phụ lục I): with ``rule=ATTACHMENT`` a valid
agency signature covering the whole file makes them ``"legal"``.

Default classifier (:func:`default_classifier`): a certificate whose
subject has ``givenName``, ``surname`` or ``pseudonym`` is a *person*; one
whose ``CN`` equals its ``O`` (and has no personal name) is an *agency*;
anything else is *unknown* and cannot make a document legal.  Pass your own
``classify(cert) -> "person" | "agency" | None`` for other CAs.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Callable

from cryptography import x509
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.ades.report import AdESIndeterminate
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .certs import common_name, fetcher, to_asn1, to_crypto
from .report import LEGAL, REFERENCE, VN_TZ, Problem, SignatureReport, VerificationReport

UTC = dt.UTC
Classifier = Callable[[x509.Certificate], str | None]
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
#: Legal-validity rules: a document needs the competent person's and the
#: agency's signatures; a separate attachment (or electronic copy) the agency's.
DOCUMENT, ATTACHMENT = "document", "attachment"
_REVOKED = {AdESIndeterminate.REVOKED_NO_POE, AdESIndeterminate.REVOKED_CA_NO_POE}
_TIME = {AdESIndeterminate.EXPIRED, AdESIndeterminate.NOT_YET_VALID,
         AdESIndeterminate.OUT_OF_BOUNDS_NO_POE, AdESIndeterminate.OUT_OF_BOUNDS_NOT_REVOKED}


def default_classifier(cert: x509.Certificate) -> str | None:
    """``person`` / ``agency`` / ``None`` from the subject (see module doc)."""
    subject = cert.subject

    def values(oid):
        return [str(a.value).strip() for a in subject.get_attributes_for_oid(oid)]

    if values(NameOID.GIVEN_NAME) or values(NameOID.SURNAME) or values(NameOID.PSEUDONYM):
        return "person"
    cn, org = values(NameOID.COMMON_NAME), values(NameOID.ORGANIZATION_NAME)
    if cn and org and cn[0].casefold() == org[0].casefold():
        return "agency"
    return None


def _has_revocation_source(cert: x509.Certificate) -> bool:
    try:
        cert.extensions.get_extension_for_class(x509.CRLDistributionPoints)
        return True
    except x509.ExtensionNotFound:
        pass
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        return any(d.access_method == AuthorityInformationAccessOID.OCSP for d in aia)
    except x509.ExtensionNotFound:
        return False


class _Settings:
    def __init__(self, trust_roots, intermediates, crls, check_revocation, allow_fetching,
                 timeout, classify, require_revocation, now):
        self.trust_roots = [to_asn1(c) for c in trust_roots]
        self.intermediates = [to_asn1(c) for c in intermediates]
        self.crls = list(crls)
        self.check_revocation = check_revocation
        self.allow_fetching = allow_fetching and check_revocation
        self.timeout = timeout
        self.classify = classify or default_classifier
        self.require_revocation = require_revocation
        self.now = now or dt.datetime.now(UTC)

    def context(self, moment: dt.datetime) -> ValidationContext:
        return ValidationContext(
            trust_roots=self.trust_roots, other_certs=self.intermediates,
            crls=self.crls if self.check_revocation else [], moment=moment,
            allow_fetching=self.allow_fetching, revocation_mode="soft-fail",
            retroactive_revinfo=True, fetcher_backend=fetcher(self.timeout))


async def _check_signature(embedded, settings: _Settings) -> SignatureReport:
    rep = SignatureReport(field_name=str(embedded.field_name))
    cert = to_crypto(embedded.signer_cert)
    rep.signer_subject = cert.subject.rfc4514_string()
    rep.signer_name = common_name(cert)
    rep.issuer = cert.issuer.rfc4514_string()
    rep.serial = format(cert.serial_number, "x")
    rep.kind = settings.classify(cert) or "unknown"
    sig_obj = embedded.sig_object
    rep.reason = str(sig_obj["/Reason"]) if "/Reason" in sig_obj else None
    rep.location = str(sig_obj["/Location"]) if "/Location" in sig_obj else None
    claimed = embedded.self_reported_timestamp
    moment = claimed or settings.now
    signer = {"signer": rep.signer_name, "field": rep.field_name}
    if claimed and claimed > settings.now + FUTURE_TOLERANCE:
        rep.problems.append(Problem("signing_time_in_future", signer))
    vc, ts_vc = settings.context(moment), settings.context(settings.now)
    status = await async_validate_pdf_signature(embedded, vc, ts_validation_context=ts_vc)
    tsv = status.timestamp_validity
    if tsv is not None and tsv.valid and tsv.intact and tsv.trusted:
        rep.time_source, rep.signing_time = "timestamp", tsv.timestamp
    else:
        rep.time_source, rep.signing_time = ("claimed" if claimed else "none"), claimed
    rep.intact, rep.crypto_valid, rep.trusted = status.intact, status.valid, status.trusted
    indic = status.trust_problem_indic
    rep.cert_valid_at_signing_time = indic not in _TIME
    if not (status.intact and status.valid):
        rep.problems.append(Problem("signature_invalid", signer))
    if status.revoked or indic in _REVOKED:
        rep.revocation = "revoked"
        rep.revocation_detail = _revocation_source(vc, cert)
        rep.problems.append(Problem("revoked", signer))
        details = getattr(status, "revocation_details", None)
        if details is not None and details.revocation_date is not None:
            when = details.revocation_date.astimezone(VN_TZ)
            rep.problems.append(Problem("revocation_reason", dict(
                signer, date=when.strftime("%d/%m/%Y %H:%M"),
                reason=str(details.revocation_reason.native or "unspecified"))))
    elif indic in _TIME:
        rep.problems.append(Problem("expired", signer))
    elif not status.trusted:
        rep.problems.append(Problem("untrusted", signer))
    if status.trusted and rep.revocation != "revoked":
        _revocation(rep, cert, vc, settings, signer)
    _key_usage(rep, cert, signer)
    _coverage(rep, status, signer)
    if rep.kind == "unknown":
        rep.problems.append(Problem("unclassified_signer", signer))
    return rep


def _revocation(rep, cert, vc, settings, signer):
    soft = [type(e).__name__ for e in vc.soft_fail_exceptions]
    if not settings.check_revocation:
        rep.revocation_detail = "disabled"
    elif soft:
        rep.revocation_detail = ", ".join(soft)
    elif not _has_revocation_source(cert) and not settings.crls:
        rep.revocation_detail = "no CRL/OCSP in certificate"
    else:
        rep.revocation = "good"
        rep.revocation_detail = _revocation_source(vc, cert)
        return
    rep.problems.append(Problem("revocation_not_checked", signer))
    if settings.require_revocation:
        rep.problems.append(Problem("untrusted", signer))


def _revocation_source(vc, cert: x509.Certificate) -> str:
    """``"ocsp"`` if an OCSP response about ``cert`` was used, else ``"crl"`` if a
    CRL of its issuer was, else ``""``."""
    asn1_cert = to_asn1(cert)
    serial, issuer = asn1_cert.serial_number, asn1_cert.issuer
    for response in vc.ocsps:
        try:
            basic = response["response_bytes"]["response"].parsed
            for single in basic["tbs_response_data"]["responses"]:
                cert_id = single["cert_id"]
                algo = cert_id["hash_algorithm"]["algorithm"].native
                if cert_id["serial_number"].native == serial and algo in ("sha1", "sha256") \
                        and cert_id["issuer_name_hash"].native == getattr(issuer, algo):
                    return "ocsp"
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
    for crl in vc.crls:
        try:
            if crl.issuer == issuer:
                return "crl"
        except (TypeError, ValueError, AttributeError):
            continue
    return ""


def _key_usage(rep, cert, signer):
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (ku.digital_signature or ku.content_commitment):
        rep.problems.append(Problem("not_for_signing", signer))


def _coverage(rep, status, signer):
    coverage = status.coverage or SignatureCoverageLevel.UNCLEAR
    level = status.modification_level
    rep.coverage = coverage.name.lower()
    rep.modification_level = level.name.lower() if level is not None else "unknown"
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        rep.modified_after_signing, rep.covers_whole_document = False, True
        return
    allowed = (coverage == SignatureCoverageLevel.ENTIRE_REVISION and level is not None
               and level <= ModificationLevel.FORM_FILLING and status.docmdp_ok is not False)
    rep.modified_after_signing = not allowed
    rep.covers_whole_document = allowed and level <= ModificationLevel.LTA_UPDATES
    if not allowed:
        rep.problems.append(Problem("modified_after_signing", signer))


#: A PDF ends with short lines (``startxref``, the offset, ``%%EOF``); a reader looks for them
#: byte by byte from the end, so a megabyte-long last line costs CPU on every upload.
TAIL_WITHOUT_NEWLINE = 64 * 1024


def _ends_like_a_pdf(pdf_bytes) -> bool:
    tail = bytes(pdf_bytes[-TAIL_WITHOUT_NEWLINE:])
    return len(tail) < TAIL_WITHOUT_NEWLINE or b"\n" in tail or b"\r" in tail


def _read(pdf_bytes) -> tuple[PdfFileReader | None, Problem | None]:
    if not isinstance(pdf_bytes, bytes | bytearray | memoryview) or \
            b"%PDF-" not in bytes(pdf_bytes[:1024]):
        return None, Problem("not_pdf")
    if not _ends_like_a_pdf(pdf_bytes):
        return None, Problem("malformed_pdf")
    try:
        reader = PdfFileReader(io.BytesIO(bytes(pdf_bytes)), strict=False)
        if reader.encrypted:
            return None, Problem("encrypted_pdf")
        reader.root  # noqa: B018 - force parsing of the trailer/root
    except Exception:  # noqa: BLE001 - any parser failure means a malformed document
        return None, Problem("malformed_pdf")
    return reader, None


async def _verify(pdf_bytes, settings: _Settings) -> VerificationReport:
    report = VerificationReport(checked_at=settings.now)
    reader, problem = _read(pdf_bytes)
    if problem:
        report.malformed = problem.code == "malformed_pdf" or problem.code == "not_pdf"
        report.reasons.append(problem)
        return report
    try:
        embedded = list(reader.embedded_signatures)
    except Exception:  # noqa: BLE001 - broken AcroForm / signature dictionaries
        report.malformed = True
        report.reasons.append(Problem("malformed_pdf"))
        return report
    if not embedded:
        report.reasons.append(Problem("no_signatures"))
        return report
    for sig in embedded:
        try:
            report.signatures.append(await _check_signature(sig, settings))
        except Exception as exc:  # noqa: BLE001 - a broken signature must not crash the check
            name = str(getattr(sig, "field_name", "?"))
            rep = SignatureReport(field_name=name, signer_name=name)
            rep.problems.append(Problem("validation_error",
                                        {"field": name, "error": type(exc).__name__}))
            report.signatures.append(rep)
    _decide(report, settings.rule)
    return report


def _decide(report: VerificationReport, rule: str = DOCUMENT) -> None:
    person = [s for s in report.signatures if s.kind == "person" and s.ok]
    agency = [s for s in report.signatures
              if s.kind == "agency" and s.ok and s.covers_whole_document]
    person_needed = rule == DOCUMENT
    if person_needed and not person:
        report.reasons.append(Problem("no_valid_person_signature"))
    if not agency:
        report.reasons.append(Problem("no_valid_agency_signature"))
    report.legal_validity = LEGAL if agency and (person or not person_needed) else REFERENCE


def verify_pdf(pdf_bytes: bytes, trust_roots, *, classify: Classifier | None = None,
               check_revocation: bool = True, crls=(), intermediates=(),
               allow_fetching: bool = True, timeout: float = 5.0,
               require_revocation: bool = False,
               now: dt.datetime | None = None, rule: str = DOCUMENT) -> VerificationReport:
    """Check every signature of ``pdf_bytes``; never raises on bad input.

    :param trust_roots: trusted root certificates (cryptography/asn1crypto
        objects or PEM/DER bytes) – e.g. the national root CA.
    :param classify: ``cert -> "person" | "agency" | None``.
    :param check_revocation: check CRL/OCSP (fetched from the certificate's
        URLs with ``timeout`` seconds, plus the given ``crls`` as DER bytes).
    :param require_revocation: treat "not checked" revocation as a failure.
    :param now: validation time (tests).
    :param rule: :data:`DOCUMENT` (a document: person **and** agency
        signatures) or :data:`ATTACHMENT` (a separate attachment file or an
        electronic copy, NĐ 30 Phụ lục I: the agency signature alone).
    """
    if rule not in (DOCUMENT, ATTACHMENT):
        raise ValueError(f"unknown rule {rule!r}")
    settings = _Settings(trust_roots, intermediates, crls, check_revocation, allow_fetching,
                         timeout, classify, require_revocation, now)
    settings.rule = rule
    return asyncio.run(_verify(pdf_bytes, settings))
