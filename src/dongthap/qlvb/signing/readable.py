"""The stored report made readable (Vietnamese) for views and REST."""

from __future__ import annotations

import datetime as dt

from zope.i18n import translate

from dongthap.qlvb.i18n import _

from .behaviors import LEGAL, REFERENCE, UNSIGNED
from .report import MESSAGES, message

VN_TZ = dt.timezone(dt.timedelta(hours=7))

BADGES = {
    LEGAL: ("legal bg-success", _("signing_badge_legal", default="Legally valid")),
    REFERENCE: ("reference bg-warning text-dark",
                _("signing_badge_reference", default="Reference value only")),
    UNSIGNED: ("unsigned bg-secondary", _("signing_badge_unsigned",
                                          default="Not digitally signed")),
}

YES = _("signing_yes", default="yes")
NO = _("signing_no", default="no")
REVOCATION = {
    "good": _("signing_revocation_good", default="checked, not revoked"),
    "revoked": _("signing_revocation_revoked", default="revoked"),
    "not_checked": _("signing_revocation_not_checked", default="not checked"),
}
REVOCATION_SOURCE = {
    "ocsp": _("signing_revocation_source_ocsp", default="via OCSP"),
    "crl": _("signing_revocation_source_crl", default="via CRL"),
}
TIME_SOURCE = {
    "timestamp": _("signing_time_source_timestamp", default="time-stamp"),
    "claimed": _("signing_time_source_claimed", default="time claimed by the signer"),
    "none": _("signing_time_source_none", default="unknown"),
}
ATTACHMENT_LEGAL = _(
    "signing_verdict_attachment_legal",
    default="A separate attachment with a valid digital signature of the issuing agency: "
            "legally valid like the paper original.")
EXTRA_MESSAGES = {
    "no_file": _("signing_verify_no_file", default="The document has no file."),
}


def badge(value, request) -> dict:
    """``{"value", "css", "label"}`` of a legal validity value."""
    value = value if value in BADGES else UNSIGNED
    css, label = BADGES[value]
    return {"value": value, "css": f"qlvb-legal-badge qlvb-legal-{css}",
            "label": translate(label, context=request)}


def _time(text):
    if not text:
        return ""
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M:%S +07:00")


#: The attributes of a certificate's subject a reader understands, by their RFC 4514 names
#: (cryptography writes the ones it has no short name for as dotted OIDs: 2.5.4.12=…).
SUBJECT_KEYS = {
    "CN": "name", "2.5.4.3": "name", "2.5.4.12": "title", "T": "title", "TITLE": "title",
    "O": "organisation", "2.5.4.10": "organisation", "OU": "unit", "2.5.4.11": "unit",
    "L": "place", "2.5.4.7": "place", "ST": "province", "2.5.4.8": "province",
    "2.5.4.42": "given_name", "GN": "given_name", "2.5.4.4": "surname", "SN": "surname",
}


def _rdn_pairs(subject: str):
    """(key, value) of an RFC 4514 string, with its backslash escapes undone."""
    pairs, key, buf, escaped = [], None, [], False
    chars = iter(subject or "")
    for char in chars:
        if escaped:
            escaped = False
            if char in "0123456789abcdefABCDEF":
                following = next(chars, "")
                try:
                    buf.append(bytes.fromhex(char + following).decode("latin-1"))
                except ValueError:
                    buf.append(char + following)
            else:
                buf.append(char)
        elif char == "\\":
            escaped = True
        elif char == "=" and key is None:
            key, buf = "".join(buf).strip(), []
        elif char in ",+":
            if key is not None:
                pairs.append((key, "".join(buf).strip()))
            key, buf = None, []
        else:
            buf.append(char)
    if key is not None:
        pairs.append((key, "".join(buf).strip()))
    return pairs


def subject_parts(subject: str) -> dict:
    """Name, title, organisation (with unit) and place of a certificate's subject, readable:
    never the raw ``2.5.4.42=…`` form (issue 15)."""
    found = {}
    for key, value in _rdn_pairs(subject):
        role = SUBJECT_KEYS.get(key.upper()) or SUBJECT_KEYS.get(key)
        if role and value and role not in found:
            found[role] = value
    name = found.get("name") or " ".join(
        part for part in (found.get("surname"), found.get("given_name")) if part)
    organisation = ", ".join(part for part in (found.get("unit"), found.get("organisation")) if part)
    place = ", ".join(part for part in (found.get("place"), found.get("province")) if part)
    return {"name": name, "title": found.get("title", ""), "organisation": organisation,
            "place": place}


def _problem(problem: dict, request) -> str:
    code = problem.get("code", "")
    if code in MESSAGES:
        return translate(message(code, **(problem.get("mapping") or {})), context=request)
    if code in EXTRA_MESSAGES:
        return translate(EXTRA_MESSAGES[code], context=request)
    return problem.get("text") or code


def _revocation(sig: dict, request) -> str:
    status = sig.get("revocation")
    text = translate(REVOCATION.get(status, REVOCATION["not_checked"]), context=request)
    source = REVOCATION_SOURCE.get(sig.get("revocation_detail") or "")
    if source is not None and status in ("good", "revoked"):
        text = f"{text} ({translate(source, context=request)})"
    return text


def readable(report: dict | None, request) -> dict:
    """Verdict, one entry per signature and the reasons, translated."""
    report = report or {}
    value = report.get("legal_validity") or UNSIGNED
    out = {"legal_validity": value, "badge": badge(value, request),
           "verdict": translate(message(LEGAL if value == LEGAL else REFERENCE),
                                context=request) if value != UNSIGNED
           else translate(BADGES[UNSIGNED][1], context=request),
           "checked_at": _time(report.get("checked_at")), "signatures": [],
           "reasons": [_problem(r, request) for r in report.get("reasons", ())]}
    if value == LEGAL and report.get("rule") == "attachment":
        out["verdict"] = translate(ATTACHMENT_LEGAL, context=request)
    for sig in report.get("signatures", ()):
        kind = sig.get("kind", "unknown")
        parts = subject_parts(sig.get("signer_subject", ""))
        out["signatures"].append({
            "signer": sig.get("signer_name", "") or parts["name"],
            "signer_title": parts["title"],
            "organisation": parts["organisation"],
            "place": parts["place"],
            "issuer_name": subject_parts(sig.get("issuer", ""))["name"] or sig.get("issuer", ""),
            "subject": sig.get("signer_subject", ""),
            "issuer": sig.get("issuer", ""),
            "serial": sig.get("serial", ""),
            "kind": kind,
            "kind_label": translate(message(f"kind_{kind}" if f"kind_{kind}" in MESSAGES
                                            else "kind_unknown"), context=request),
            "ok": bool(sig.get("ok")),
            "signing_time": _time(sig.get("signing_time")),
            "time_source": translate(TIME_SOURCE.get(sig.get("time_source"),
                                                     TIME_SOURCE["none"]), context=request),
            "chain_trusted": translate(YES if sig.get("trusted") else NO, context=request),
            "valid_at_signing_time": translate(
                YES if sig.get("cert_valid_at_signing_time") else NO, context=request),
            "integrity": translate(YES if sig.get("intact") and sig.get("crypto_valid")
                                   else NO, context=request),
            "modified_after_signing": translate(
                YES if sig.get("modified_after_signing") else NO, context=request),
            "revocation": _revocation(sig, request),
            "revocation_source": sig.get("revocation_detail")
            if sig.get("revocation_detail") in REVOCATION_SOURCE else "",
            "reason": sig.get("reason") or "",
            "location": sig.get("location") or "",
            "problems": [_problem(p, request) for p in sig.get("problems", ())],
        })
    return out


def readable_attachments(entries: list[dict], request) -> list[dict]:
    """:func:`readable` of each attachment entry of :func:`.api.attachment_reports`.

    Each item: ``index``, ``filename``, ``stored`` and the keys of
    :func:`readable` (``legal_validity``, ``badge``, ``verdict``,
    ``signatures``, ``reasons`` …), plus the raw ``report``.
    """
    out = []
    for entry in entries:
        item = readable(entry.get("report"), request)
        item.update({"index": entry.get("index"), "filename": entry.get("filename", ""),
                     "stored": bool(entry.get("stored")), "report": entry.get("report")})
        out.append(item)
    return out
