"""The verification report and its translatable messages.

Each problem has a stable ``code`` (for programs and audit logs) and a
translatable message (for people).  :meth:`VerificationReport.summary`
returns ``zope.i18nmessageid`` messages for Plone to translate;
:meth:`VerificationReport.summary_text` renders Vietnamese directly from
``locales/vi/LC_MESSAGES/dongthap.qlvb.po`` (falls back to English defaults).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

from dongthap.qlvb.i18n import _

from .errors import interpolate

VN_TZ = dt.timezone(dt.timedelta(hours=7))
LEGAL = "legal"
REFERENCE = "reference"

# code -> (msgid, English default)
MESSAGES: dict[str, tuple[str, str]] = {
    "not_pdf": ("signing_verify_not_pdf", "The file is not a PDF document."),
    "malformed_pdf": ("signing_verify_malformed_pdf",
                      "The PDF document is damaged and its signatures cannot be checked."),
    "encrypted_pdf": ("signing_verify_encrypted_pdf",
                      "The PDF document is encrypted; its signatures cannot be checked."),
    "no_signatures": ("signing_verify_no_signatures", "The document has no digital signature."),
    "signature_invalid": ("signing_verify_signature_invalid",
                          ("Signature ${field} is invalid: the signed content was altered "
                           "or the signature is damaged.")),
    "untrusted": ("signing_verify_untrusted",
                  ("The certificate of ${signer} is not issued by a trusted certification "
                   "authority.")),
    "revoked": ("signing_verify_revoked",
                "The certificate of ${signer} was revoked at the signing time."),
    "expired": ("signing_verify_expired",
                "The certificate of ${signer} was not valid at the signing time."),
    "not_for_signing": ("signing_verify_not_for_signing",
                        "The certificate of ${signer} is not allowed for digital signatures."),
    "modified_after_signing": ("signing_verify_modified_after_signing",
                               "The document was modified after ${signer} signed it."),
    "revocation_not_checked": ("signing_verify_revocation_not_checked",
                               ("The revocation status of the certificate of ${signer} "
                                "could not be checked.")),
    "signing_time_in_future": ("signing_verify_signing_time_in_future",
                               "The signing time of ${signer} lies in the future."),
    "unclassified_signer": ("signing_verify_unclassified_signer",
                            ("The certificate of ${signer} is neither a personal nor an "
                             "organisation certificate.")),
    "validation_error": ("signing_verify_validation_error",
                         "Signature ${field} could not be checked."),
    "no_valid_person_signature": ("signing_verify_no_valid_person_signature",
                                  "No valid signature of the competent person."),
    "no_valid_agency_signature": ("signing_verify_no_valid_agency_signature",
                                  "No valid agency signature covering the whole document."),
    "legal": ("signing_verify_legal",
              ("The document is signed by the competent person and the agency: it is legally "
               "equivalent to the paper original.")),
    "reference": ("signing_verify_reference",
                  "The document has reference value only."),
    "signature_ok": ("signing_verify_signature_ok",
                     "Valid ${kind} signature of ${signer}, signed at ${time}."),
    "signature_bad": ("signing_verify_signature_bad",
                      "Invalid ${kind} signature of ${signer}."),
    "revocation_reason": ("signing_verify_revocation_reason",
                          "Certificate of ${signer} revoked on ${date}, reason: ${reason}."),
    "kind_person": ("signing_verify_kind_person", "personal"),
    "kind_agency": ("signing_verify_kind_agency", "agency"),
    "kind_unknown": ("signing_verify_kind_unknown", "unclassified"),
}

WARNINGS = {"revocation_not_checked"}

#: RFC 5280 CRLReason (asn1crypto's names) → translatable label.
REVOCATION_REASONS = {
    "unspecified": _("signing_reason_unspecified", default="not given"),
    "key_compromise": _("signing_reason_key_compromise", default="the private key was compromised"),
    "ca_compromise": _("signing_reason_ca_compromise", default="the certification authority was compromised"),
    "affiliation_changed": _("signing_reason_affiliation_changed", default="the holder changed organisation"),
    "superseded": _("signing_reason_superseded", default="replaced by a new certificate"),
    "cessation_of_operation": _("signing_reason_cessation_of_operation",
                                default="the holder ceased operation"),
    "certificate_hold": _("signing_reason_certificate_hold", default="suspended"),
    "remove_from_crl": _("signing_reason_remove_from_crl", default="removed from the revocation list"),
    "privilege_withdrawn": _("signing_reason_privilege_withdrawn", default="the privilege was withdrawn"),
    "aa_compromise": _("signing_reason_aa_compromise", default="the attribute authority was compromised"),
}


def message(code: str, **mapping):
    """The translatable message for ``code`` (a known revocation ``reason`` is translated too)."""
    msgid, default = MESSAGES[code]
    mapping = {k: v if hasattr(v, "default") else str(v) for k, v in mapping.items()}
    if mapping.get("reason") in REVOCATION_REASONS:
        mapping["reason"] = REVOCATION_REASONS[mapping["reason"]]
    return _(msgid, default=default, mapping=mapping)


@dataclass
class Problem:
    """One finding: ``code`` plus mapping values for the message."""

    code: str
    mapping: dict = field(default_factory=dict)

    @property
    def message(self):
        return message(self.code, **self.mapping)

    def to_dict(self) -> dict:
        return {"code": self.code, "mapping": dict(self.mapping),
                "text": interpolate(self.message)}


@dataclass
class SignatureReport:
    """Findings for one signature field."""

    field_name: str
    kind: str = "unknown"  # person | agency | unknown
    signer_subject: str = ""
    signer_name: str = ""
    issuer: str = ""
    serial: str = ""
    signing_time: dt.datetime | None = None
    time_source: str = "claimed"  # claimed | timestamp | none
    intact: bool = False
    crypto_valid: bool = False
    trusted: bool = False
    cert_valid_at_signing_time: bool = False
    revocation: str = "not_checked"  # good | revoked | not_checked
    revocation_detail: str = ""  # checked: "ocsp" / "crl"; not checked: why
    coverage: str = "unclear"  # entire_file | entire_revision | unclear | …
    modification_level: str = "unknown"
    modified_after_signing: bool = True
    covers_whole_document: bool = False
    reason: str | None = None
    location: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Valid, trusted, unrevoked, and not modified afterwards."""
        return not [p for p in self.problems if p.code not in WARNINGS]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["signing_time"] = self.signing_time.isoformat() if self.signing_time else None
        data["problems"] = [p.to_dict() for p in self.problems]
        data["ok"] = self.ok
        return data


@dataclass
class VerificationReport:
    """Result of :func:`~.verify.verify_pdf`."""

    legal_validity: str = REFERENCE
    signatures: list[SignatureReport] = field(default_factory=list)
    reasons: list[Problem] = field(default_factory=list)
    malformed: bool = False
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def is_legal(self) -> bool:
        return self.legal_validity == LEGAL

    def to_dict(self) -> dict:
        """JSON-serialisable dictionary."""
        return {"legal_validity": self.legal_validity, "malformed": self.malformed,
                "checked_at": self.checked_at.isoformat(),
                "signatures": [s.to_dict() for s in self.signatures],
                "reasons": [r.to_dict() for r in self.reasons]}

    def summary(self) -> list:
        """Translatable messages: verdict, one line per signature, reasons."""
        lines = [message(self.legal_validity)]
        for sig in self.signatures:
            kind = message(f"kind_{sig.kind}")
            when = (sig.signing_time.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S +07:00")
                    if sig.signing_time else "?")
            code = "signature_ok" if sig.ok else "signature_bad"
            lines.append(message(code, kind=kind, signer=sig.signer_name, time=when))
            lines.extend(p.message for p in sig.problems)
        lines.extend(r.message for r in self.reasons)
        return lines

    def summary_text(self, lang: str = "vi") -> str:
        """Readable text (Vietnamese by default) of :meth:`summary`."""
        return "\n".join(translate(m, lang) for m in self.summary())


PO_FILE = Path(__file__).resolve().parent.parent / "locales" / "vi" / "LC_MESSAGES" / "dongthap.qlvb.po"


@lru_cache(maxsize=1)
def _catalog() -> dict[str, str]:
    try:
        text = PO_FILE.read_text(encoding="utf-8")
    except OSError:
        return {}
    catalog = {}
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"', block, re.MULTILINE)
        msgstr = re.search(r'^msgstr "(.*)"', block, re.MULTILINE)
        if msgid and msgstr and msgid.group(1):
            catalog[msgid.group(1)] = msgstr.group(1).replace('\\"', '"')
    return catalog


def translate(msg, lang: str = "vi") -> str:
    """Translate a message with the signing fragment catalog (no Zope needed)."""
    text = _catalog().get(str(msg)) if lang == "vi" else None
    text = text or getattr(msg, "default", None) or str(msg)
    for key, value in (getattr(msg, "mapping", None) or {}).items():
        value = translate(value, lang) if hasattr(value, "default") else value
        text = text.replace(f"${{{key}}}", str(value))
    return text
