"""Signing and verification of documents in Plone (``plone.api`` style).

Outgoing documents call, at their workflow transitions::

    from dongthap.qlvb.signing import api as signing

    # transition "sign" (the leader; permission "dongthap.qlvb: Sign as person")
    signing.sign_person(document=doc, name="Nguyễn Văn An", position="CHỦ TỊCH",
                        authority_prefix="TM.")               # server-held key, or
    info = signing.prepare_external_signature(document=doc, name=..., position=...)
    signing.complete_external_signature(document=doc, state_id=info["state_id"],
                                        signature=client_signature_bytes)

    # transition "issue" (the clerk; permission "dongthap.qlvb: Sign as agency")
    signing.sign_agency(document=doc, code_number=15, code_notation="QĐ-UBND",
                        issued_at=issued_at)
    signing.sign_attachment(document=attachment_or_doc, field="file",
                            code_text="15/QĐ-UBND")
    signing.sign_attachments(document=doc, code_text="15/QĐ-UBND",
                             signed_at=issued_at)            # every PDF in ``attachments``

    signing.verify(document=doc)       # → report dict; stores legal_validity
    signing.verify_attachments(document=doc)  # → one report per attachment, stored
    signing.attachment_reports(document=doc)  # the stored reports of the attachments

Every signing function works on the PDF of a ``NamedBlobFile`` field
(``file`` by default).  The signed PDF **replaces** the field value; the
previous value is kept in the document's signing history
(:func:`history`, an annotation list of the old ``NamedBlobFile`` objects
with time, user and action) – independent of CMFEditions.  On any error
(a :class:`~.errors.SigningError` subclass, with a translatable
``.message``) nothing on the document has been changed.  After signing, the
document is verified, its ``legal_validity`` stored and reindexed, and an
:class:`IDocumentSignedEvent` is notified (outgoing may react to it).

The verification reports of the separate attachment files (the list field
``attachments``) are stored too, in the annotation :data:`ATTACHMENTS_KEY`
(keyed ``attachments[<index>]``, each entry with the file name, the file's
SHA-256 and the same report dict as for the main file): by
:func:`sign_attachments` (at issue), :func:`verify_attachments` (the
"verify again" button, ``POST @signatures``, :func:`reverify_all`) and the
subscriber whenever an attachment changed.

These functions check the sign permissions of the *current* user on the
document (``check_permission=False`` to skip, for trusted system code).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.annotation.interfaces import IAnnotations
from zope.event import notify
from zope.interface import Attribute, Interface, implementer
from zope.lifecycleevent import ObjectModifiedEvent

from . import errors
from . import settings as cfg
from . import usercerts
from .behaviors import LEGAL, REFERENCE, UNSIGNED, ISignedDocumentMarker
from .external import ExternalSigningState, complete_external, prepare_external
from .pdfsign import sign_agency as _sign_agency
from .pdfsign import sign_attachment as _sign_attachment
from .pdfsign import sign_person as _sign_person
from .pdfsign import timestamper
from .verify import ATTACHMENT, DOCUMENT, verify_pdf

logger = logging.getLogger("dongthap.qlvb.signing")

SIGN_PERSON = "dongthap.qlvb: Sign as person"
SIGN_AGENCY = "dongthap.qlvb: Sign as agency"
MANAGE_SIGNING = "dongthap.qlvb: Manage signing"
HISTORY_KEY = "dongthap.qlvb.signing.history"
EXTERNAL_KEY = "dongthap.qlvb.signing.external"
ATTACHMENTS_KEY = "dongthap.qlvb.signing.attachments"
ATTACHMENTS_FIELD = "attachments"
EXTERNAL_TTL = dt.timedelta(minutes=15)
UTC = dt.UTC


class IDocumentSignedEvent(Interface):
    """A signature was added to ``object``'s PDF."""

    object = Attribute("The document")
    kind = Attribute("'person', 'agency' or 'attachment'")
    field = Attribute("Name of the file field")
    userid = Attribute("Who signed")
    report = Attribute("Verification report dict after signing")


@implementer(IDocumentSignedEvent)
class DocumentSignedEvent:
    def __init__(self, obj, kind, field, userid, report):
        self.object, self.kind, self.field = obj, kind, field
        self.userid, self.report = userid, report


# --------------------------------------------------------------------------
# helpers


def _file(document, field):
    value = getattr(document, field, None)
    return value if value is not None and hasattr(value, "data") else None


def _pdf(document, field) -> bytes:
    value = _file(document, field)
    if value is None or not value.data:
        raise errors.NoPdfError()
    return bytes(value.data)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _current_userid() -> str:
    user = api.user.get_current()
    return user.getId() if user is not None else ""


def _userid(user) -> str:
    if user is None:
        return _current_userid()
    if isinstance(user, str):
        return user
    return user.getId()


def _fullname(userid) -> str:
    user = api.user.get(userid=userid)
    return (user.getProperty("fullname") if user is not None else "") or userid


def _check(document, permission, check_permission):
    if check_permission and not api.user.has_permission(permission, obj=document):
        raise errors.SigningPermissionError()


def _agency_of(document, agency=None):
    from dongthap.qlvb.agencies.api import get_agency

    agency = agency if agency is not None else get_agency(document)
    if agency is None:
        raise errors.SignerNotConfiguredError("no agency", who="?")
    return agency


def _replace(document, field, data: bytes, action: str, userid: str) -> None:
    """Put ``data`` into ``field``; keep the previous value in the history."""
    old = _file(document, field)
    annotations = IAnnotations(document)
    history = annotations.get(HISTORY_KEY)
    if history is None:
        history = annotations[HISTORY_KEY] = PersistentList()
    now = dt.datetime.now(UTC)
    if old is not None:
        history.append(PersistentMapping({
            "field": field, "file": old, "replaced_at": now, "action": action,
            "userid": userid, "sha256": sha256(bytes(old.data))}))
    filename = getattr(old, "filename", None) or "document.pdf"
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    setattr(document, field, NamedBlobFile(data=data, contentType="application/pdf",
                                           filename=filename))


def history(*, document) -> list[dict]:
    """Earlier versions of the document's files, oldest first.

    Each entry: ``field``, ``file`` (the old ``NamedBlobFile``, e.g. the
    unsigned draft), ``replaced_at``, ``action`` (``sign_person`` …),
    ``userid``, ``sha256``.
    """
    return [dict(entry) for entry in IAnnotations(document).get(HISTORY_KEY, ())]


def _after_signing(document, field, kind, userid):
    report = verify(document=document, field=field, reindex=False)
    notify(ObjectModifiedEvent(document))
    notify(DocumentSignedEvent(document, kind, field, userid, report))
    return report


# --------------------------------------------------------------------------
# verification


def validity_of(report) -> str:
    """``legal`` / ``reference`` / ``unsigned`` from a core report."""
    if report.is_legal:
        return LEGAL
    if not report.signatures and {r.code for r in report.reasons} & {"not_pdf"}:
        return UNSIGNED
    if report.signatures or report.malformed:
        return REFERENCE
    codes = {r.code for r in report.reasons}
    if codes & {"encrypted_pdf"}:
        return REFERENCE
    return UNSIGNED


def verify_bytes(data: bytes | None, *, rule: str = DOCUMENT) -> dict:
    """Verify ``data`` with the site's trust store; a JSON-serialisable report.

    ``rule``: ``"document"`` (person and agency signatures make it legal) or
    ``"attachment"`` (a separate attachment file: the agency signature alone).
    """
    if not data:
        return {"legal_validity": UNSIGNED, "malformed": False, "signatures": [],
                "reasons": [{"code": "no_file", "mapping": {}, "text": "No file."}],
                "checked_at": dt.datetime.now(UTC).isoformat(), "sha256": ""}
    try:
        report = verify_pdf(data, rule=rule, **cfg.verify_options())
        result = report.to_dict()
        result["legal_validity"] = validity_of(report)
    except Exception as exc:  # noqa: BLE001 - verification must never crash an upload
        logger.exception("verification failed")
        result = {"legal_validity": REFERENCE, "malformed": True, "signatures": [],
                  "reasons": [{"code": "validation_error",
                               "mapping": {"field": "?", "error": type(exc).__name__},
                               "text": "The signatures could not be checked."}],
                  "checked_at": dt.datetime.now(UTC).isoformat()}
    result["sha256"] = sha256(data)
    result["rule"] = rule
    return result


def signature_rule(document) -> str | None:
    """The rule that makes the main file of ``document`` legal: ``"document"`` (person and
    agency signatures; the default), ``"attachment"`` (the agency signature alone), or ``None``
    (nothing in the file may make it legal yet). A type decides with a method
    ``qlvb_signature_rule()`` – a copy (bản sao) is legal by its own seal only, never by the
    signatures of its original that its PDF carries."""
    decide = getattr(document, "qlvb_signature_rule", None)
    return decide() if callable(decide) else DOCUMENT


def verify(*, document, field: str = "file", reindex: bool = True) -> dict:
    """Verify the PDF in ``field``; store and index the outcome.

    Never raises on bad files: a document without file or with an unsigned
    PDF is ``unsigned``, a signed but not legal (or unreadable) one
    ``reference``.  The report (JSON-serialisable dict) is stored on
    documents with the :class:`~.behaviors.ISignedDocument` behavior and
    returned in any case.
    """
    value = _file(document, field)
    data = bytes(value.data) if value is not None else None
    rule = signature_rule(document) if field == "file" else DOCUMENT
    report = verify_bytes(data, rule=rule or DOCUMENT)
    if rule is None and report["legal_validity"] == LEGAL:
        # signatures that are not the document's own (e.g. an original's, inside its copy)
        report["legal_validity"] = REFERENCE
        report["own_signature_missing"] = True
    if ISignedDocumentMarker.providedBy(document) and field == "file":
        document.legal_validity = report["legal_validity"]
        document.signature_report = report
        document.signature_verified_at = dt.datetime.now(UTC)
        document.signature_file_sha256 = report["sha256"]
        if reindex:
            document.reindexObject(idxs=["qlvb_legal_validity"])
    return report


# --------------------------------------------------------------------------
# attachments (a list field of NamedBlobFile, ``attachments``)


def _items(document, field) -> list:
    return list(getattr(document, field, None) or ())


def _data(item) -> bytes | None:
    data = getattr(item, "data", None) if item is not None else None
    return bytes(data) if data else None


def _attachment_name(item, index: int) -> str:
    return getattr(item, "filename", None) or f"phu-luc-{index + 1}.pdf"


def _store_attachment_reports(document, field, items, reports) -> None:
    """Replace the stored reports of ``field`` by ``reports`` (one per item)."""
    annotations = IAnnotations(document)
    store = annotations.get(ATTACHMENTS_KEY)
    if store is None:
        store = annotations[ATTACHMENTS_KEY] = PersistentMapping()
    for key in [k for k in store if k.startswith(f"{field}[")]:
        del store[key]
    now = dt.datetime.now(UTC).isoformat()
    for index, (item, report) in enumerate(zip(items, reports, strict=True)):
        store[f"{field}[{index}]"] = {
            "field": field, "index": index, "filename": _attachment_name(item, index),
            "sha256": report.get("sha256", ""), "verified_at": now, "report": report}


def verify_attachments(*, document, field: str = ATTACHMENTS_FIELD) -> list[dict]:
    """Verify every file of the list field ``field``; store and return the reports.

    One report (the same dict as :func:`verify` returns) per attachment, in
    the order of the list; stored in the annotation :data:`ATTACHMENTS_KEY`
    (the entries of removed attachments go away).  Never raises on bad files.
    """
    items = _items(document, field)
    reports = [verify_bytes(_data(item), rule=ATTACHMENT) for item in items]
    _store_attachment_reports(document, field, items, reports)
    return reports


def attachment_reports(*, document, field: str = ATTACHMENTS_FIELD,
                       verify_missing: bool = True) -> list[dict]:
    """The verification report of each current attachment, in list order.

    Each entry: ``index``, ``filename``, ``report`` (the stored dict),
    ``verified_at`` and ``stored`` (``False`` when the file changed since the
    last stored verification: the report is then computed now, without
    storing it, or ``None`` with ``verify_missing=False``).
    """
    store = IAnnotations(document).get(ATTACHMENTS_KEY) or {}
    out = []
    for index, item in enumerate(_items(document, field)):
        data = _data(item)
        entry = store.get(f"{field}[{index}]")
        current = sha256(data) if data else ""
        stored = entry is not None and entry.get("sha256", "") == current
        report = entry["report"] if stored else (
            verify_bytes(data, rule=ATTACHMENT) if verify_missing else None)
        out.append({"index": index, "filename": _attachment_name(item, index),
                    "report": report, "stored": stored,
                    "verified_at": entry.get("verified_at") if stored else None})
    return out


def needs_attachment_verification(document, field: str = ATTACHMENTS_FIELD) -> bool:
    """Whether an attachment was added, removed or changed since the last verification."""
    store = IAnnotations(document).get(ATTACHMENTS_KEY) or {}
    items = _items(document, field)
    keys = {k for k in store if k.startswith(f"{field}[")}
    if keys != {f"{field}[{index}]" for index in range(len(items))}:
        return True
    for index, item in enumerate(items):
        data = _data(item)
        if store[f"{field}[{index}]"].get("sha256", "") != (sha256(data) if data else ""):
            return True
    return False


def needs_verification(document, field: str = "file") -> bool:
    """Whether the file changed since the last stored verification."""
    value = _file(document, field)
    current = sha256(bytes(value.data)) if value is not None and value.data else ""
    stored = getattr(document, "signature_file_sha256", "") or ""
    return current != stored or getattr(document, "signature_report", None) is None


def legal_validity(*, document) -> str:
    """The stored ``legal`` / ``reference`` / ``unsigned``."""
    return getattr(document, "legal_validity", None) or UNSIGNED


# --------------------------------------------------------------------------
# person signature


def sign_person(*, document, field: str = "file", user=None, signer=None, name: str,
                position: str, authority_prefix: str | None = None,
                signature_image: bytes | None = None, check_permission: bool = True,
                reason: str | None = None) -> dict:
    """Sign the document's PDF as the competent person (visible stamp).

    :param user: the signing user (id or member; default: current user).
    :param signer: a :class:`~.signers.DocumentSigner`; default: the
        server-held key of the user (:func:`.settings.person_signer`).
    :param signature_image: transparent PNG of the handwritten signature
        (default: ``<keys>/users/<userid>/signature.png`` if present).
    :returns: the verification report after signing.
    :raises SigningError: (document unchanged) no PDF, no key, wrong PIN,
        certificate not registered for the user / expired / revoked …
    """
    _check(document, SIGN_PERSON, check_permission)
    userid = _userid(user)
    data = _pdf(document, field)
    if signer is None:
        signer = cfg.person_signer(userid, _fullname(userid))
    usercerts.check_registered(userid=userid, certificate=signer.certificate)
    if signature_image is None:
        signature_image = cfg.person_image(userid)
    signed = _sign_person(data, signer, name, position, authority_prefix, signature_image,
                          timestamper=timestamper(cfg.tsa_url()), reason=reason)
    _replace(document, field, signed, "sign_person", userid)
    logger.info("person signature on %s by %s", document.absolute_url_path(), userid)
    return _after_signing(document, field, "person", userid)


def _external_store(document, create=False):
    annotations = IAnnotations(document)
    store = annotations.get(EXTERNAL_KEY)
    if store is None and create:
        store = annotations[EXTERNAL_KEY] = PersistentMapping()
    return store


def _purge(store, now):
    for key in [k for k, v in store.items() if v["expires"] < now]:
        del store[key]


def prepare_external_signature(*, document, field: str = "file", user=None, name: str,
                               position: str, authority_prefix: str | None = None,
                               signature_image: bytes | None = None, certificate=None,
                               chain=(), check_permission: bool = True) -> dict:
    """Step 1 of the two-step flow for a key held by the client (USB token).

    :param certificate: the client's certificate (PEM/DER); default: the
        certificate registered for the user (if exactly one is valid).
    :returns: ``{"state_id", "digest" (base64 SHA-256 to sign),
        "data_to_sign" (base64 DER of the CMS signed attributes),
        "expires", "certificate"}``.  The prepared PDF stays on the server.
    """
    import base64

    _check(document, SIGN_PERSON, check_permission)
    userid = _userid(user)
    data = _pdf(document, field)
    if certificate is None:
        now = dt.datetime.now(UTC)
        valid = [c for c in usercerts.certificates(userid=userid)
                 if c.not_valid_before_utc <= now <= c.not_valid_after_utc]
        if len(valid) != 1:
            raise errors.NoRegisteredCertificateError()
        certificate = valid[0]
    usercerts.check_registered(userid=userid, certificate=certificate)
    policy = cfg.certificate_policy()
    if signature_image is None:
        signature_image = cfg.person_image(userid)
    state, digest = prepare_external(data, certificate, name=name, position=position,
                                     authority_prefix=authority_prefix,
                                     signature_image_png=signature_image,
                                     chain=chain, policy=policy)
    now = dt.datetime.now(UTC)
    store = _external_store(document, create=True)
    _purge(store, now)
    state_id = secrets.token_urlsafe(18)
    state_data = state.to_dict()
    prepared = state_data.pop("prepared_pdf")
    store[state_id] = PersistentMapping({
        "userid": userid, "field": field, "source_sha256": sha256(data),
        "expires": now + EXTERNAL_TTL, "state": state_data,
        "prepared": NamedBlobFile(data=base64.b64decode(prepared),
                                  contentType="application/pdf", filename="prepared.pdf")})
    return {"state_id": state_id, "digest": base64.b64encode(digest).decode(),
            "data_to_sign": state_data["data_to_sign"],
            "expires": (now + EXTERNAL_TTL).isoformat(),
            "certificate": cfg.describe(usercerts.load_certificate(certificate))}


def complete_external_signature(*, document, state_id: str, signature: bytes, user=None,
                                check_permission: bool = True) -> dict:
    """Step 2: embed the client's raw signature or CMS ``SignedData``.

    :raises ExternalStateError: unknown/expired state, another user, or the
        document's file changed since step 1.
    :raises ExternalSignatureError: the signature does not match.
    :returns: the verification report after signing.
    """
    import base64

    _check(document, SIGN_PERSON, check_permission)
    userid = _userid(user)
    store = _external_store(document)
    entry = store.get(state_id) if store is not None and state_id else None
    now = dt.datetime.now(UTC)
    if entry is None or entry["expires"] < now or entry["userid"] != userid:
        raise errors.ExternalStateError()
    field = entry["field"]
    value = _file(document, field)
    if value is None or sha256(bytes(value.data)) != entry["source_sha256"]:
        raise errors.ExternalStateError("document changed")
    state_data = dict(entry["state"])
    state_data["prepared_pdf"] = base64.b64encode(bytes(entry["prepared"].data)).decode()
    signed = complete_external(ExternalSigningState.from_dict(state_data), bytes(signature))
    del store[state_id]
    _replace(document, field, signed, "sign_person", userid)
    logger.info("external person signature on %s by %s", document.absolute_url_path(), userid)
    return _after_signing(document, field, "person", userid)


# --------------------------------------------------------------------------
# agency signature


def _has_valid_person_signature(document, field, data) -> bool:
    report = getattr(document, "signature_report", None)
    if not (report and report.get("sha256") == sha256(data)):
        report = verify_bytes(data)
    return any(s.get("kind") == "person" and s.get("ok") for s in report.get("signatures", ()))


def prepare_agency_signature(*, document, field: str = "file", agency=None, code_number,
                             code_notation: str, issued_at: dt.datetime, signer=None,
                             require_person_signature: bool = True,
                             check_permission: bool = True) -> tuple[bytes, dict]:
    """The expensive half of :func:`sign_agency`, changing nothing: ``(signed, report)``.

    Reads the PDF, checks the person signature, signs (seal, time-stamp) and
    verifies the result. Run it outside the transaction that stores the
    result (:func:`store_agency_signature`), so that a conflict retry of that
    transaction does not sign again.
    """
    _check(document, SIGN_AGENCY, check_permission)
    agency = _agency_of(document, agency)
    data = _pdf(document, field)
    if require_person_signature and not _has_valid_person_signature(document, field, data):
        raise errors.PersonSignatureMissingError()
    if signer is None:
        signer = cfg.seal_signer(agency.agency_code, agency.title)
    signed = _sign_agency(data, signer, agency.title, cfg.seal_image(agency.agency_code),
                          code_number=code_number, code_notation=code_notation,
                          issued_at=issued_at, timestamper=timestamper(cfg.tsa_url()))
    return signed, verify_bytes(signed)


def store_verification(document, *, report=None, attachment_reports=None) -> None:
    """Store reports computed earlier (:func:`verify_bytes` of the same bytes) on ``document``:
    ``report`` of the main file, ``attachment_reports`` one per attachment (``None``: leave)."""
    if report is not None:
        store_report(document, "file", report)
    if attachment_reports is not None:
        _store_attachment_reports(document, ATTACHMENTS_FIELD, _items(document, ATTACHMENTS_FIELD),
                                  attachment_reports)


def store_report(document, field, report) -> None:
    if ISignedDocumentMarker.providedBy(document) and field == "file":
        document.legal_validity = report["legal_validity"]
        document.signature_report = report
        document.signature_verified_at = dt.datetime.now(UTC)
        document.signature_file_sha256 = report["sha256"]


def store_agency_signature(*, document, signed: bytes, report: dict, field: str = "file",
                           agency=None, on_file=None) -> dict:
    """The cheap half of :func:`sign_agency`: store the signed PDF and its report.

    ``on_file(named_file)`` is called with the new file before the events are notified
    (e.g. to carry over a scan made before the transaction).
    """
    agency = _agency_of(document, agency)
    userid = _current_userid()
    _replace(document, field, signed, "sign_agency", userid)
    if on_file is not None:
        on_file(getattr(document, field))
    logger.info("agency signature (%s) on %s by %s", agency.agency_code,
                document.absolute_url_path(), userid)
    store_report(document, field, report)
    notify(ObjectModifiedEvent(document))
    notify(DocumentSignedEvent(document, "agency", field, userid, report))
    return report


def sign_agency(*, document, field: str = "file", agency=None, code_number,
                code_notation: str, issued_at: dt.datetime, signer=None,
                require_person_signature: bool = True, check_permission: bool = True) -> dict:
    """Sign as the agency with its seal over the person's signature.

    :param agency: the agency (default: the one containing ``document``);
        its seal key comes from :func:`.settings.seal_signer`.
    :param code_number, code_notation, issued_at: số, ký hiệu, issue time,
        recorded in the signature.
    :param require_person_signature: refuse unless the PDF already carries a
        valid person signature (NĐ 30/2020 Art. 14).
    :returns: the verification report after signing.
    """
    signed, report = prepare_agency_signature(
        document=document, field=field, agency=agency, code_number=code_number,
        code_notation=code_notation, issued_at=issued_at, signer=signer,
        require_person_signature=require_person_signature, check_permission=check_permission)
    return store_agency_signature(document=document, signed=signed, report=report, field=field,
                                  agency=agency)


def sign_attachment(*, document, field: str = "file", code_text: str, agency=None,
                    signed_at: dt.datetime | None = None, signer=None,
                    check_permission: bool = True) -> dict:
    """Agency signature on an attachment (top right of page 1, no image).

    ``document`` may be the document (another file field) or an attachment
    object inside it.  :returns: the verification report of that file.
    """
    _check(document, SIGN_AGENCY, check_permission)
    agency = _agency_of(document, agency)
    data = _pdf(document, field)
    if signer is None:
        signer = cfg.seal_signer(agency.agency_code, agency.title)
    signed = _sign_attachment(data, signer, code_text, signed_at,
                              timestamper=timestamper(cfg.tsa_url()))
    userid = _current_userid()
    _replace(document, field, signed, "sign_attachment", userid)
    return _after_signing(document, field, "attachment", userid)


def prepare_attachment_signatures(*, document, code_text: str, field: str = "attachments",
                                  agency=None, signed_at: dt.datetime | None = None, signer=None,
                                  check_permission: bool = True) -> list[tuple[bytes, dict]]:
    """The expensive half of :func:`sign_attachments`, changing nothing.

    :returns: ``(signed bytes, verification report)`` per attachment, in list order.
    """
    _check(document, SIGN_AGENCY, check_permission)
    items = list(getattr(document, field, None) or ())
    if not items:
        return []
    agency = _agency_of(document, agency)
    if signer is None:
        signer = cfg.seal_signer(agency.agency_code, agency.title)
    signed_at = signed_at or dt.datetime.now(UTC)
    tsa = timestamper(cfg.tsa_url())
    signed = []
    for item in items:
        if item is None or not getattr(item, "data", None):
            raise errors.NoPdfError()
        data = _sign_attachment(bytes(item.data), signer, code_text, signed_at, timestamper=tsa)
        signed.append((data, verify_bytes(data, rule=ATTACHMENT)))
    return signed


def store_attachment_signatures(*, document, prepared: list[tuple[bytes, dict]],
                                field: str = "attachments", agency=None,
                                on_file=None) -> list[dict]:
    """The cheap half of :func:`sign_attachments`: replace the files, keep the old ones
    (``on_file``: as for :func:`store_agency_signature`, once per new file)."""
    items = list(getattr(document, field, None) or ())
    if not items:
        return []
    if len(items) != len(prepared):
        raise ValueError("the attachments changed since they were signed")
    agency = _agency_of(document, agency)
    userid = _current_userid()
    annotations = IAnnotations(document)
    log = annotations.get(HISTORY_KEY)
    if log is None:
        log = annotations[HISTORY_KEY] = PersistentList()
    now = dt.datetime.now(UTC)
    new_items, reports = [], []
    for index, (old, (data, report)) in enumerate(zip(items, prepared, strict=True)):
        log.append(PersistentMapping({
            "field": f"{field}[{index}]", "file": old, "replaced_at": now,
            "action": "sign_attachment", "userid": userid, "sha256": sha256(bytes(old.data))}))
        filename = getattr(old, "filename", None) or f"phu-luc-{index + 1}.pdf"
        if not filename.lower().endswith(".pdf"):
            filename += ".pdf"
        new_items.append(NamedBlobFile(data=data, contentType="application/pdf",
                                       filename=filename))
        reports.append(report)
    setattr(document, field, new_items)
    for item in new_items if on_file is not None else ():
        on_file(item)
    _store_attachment_reports(document, field, new_items, reports)
    logger.info("agency signature (%s) on %d attachment(s) of %s by %s", agency.agency_code,
                len(new_items), document.absolute_url_path(), userid)
    notify(ObjectModifiedEvent(document))
    for index, report in enumerate(reports):
        notify(DocumentSignedEvent(document, "attachment", f"{field}[{index}]", userid, report))
    return reports


def sign_attachments(*, document, code_text: str, field: str = "attachments", agency=None,
                     signed_at: dt.datetime | None = None, signer=None,
                     check_permission: bool = True) -> list[dict]:
    """Agency signature on every PDF of a list field (``attachments``).

    Each attachment gets the seal signature top right of page 1 (no image:
    ``code_text`` and ``signed_at`` in Vietnam time) and is replaced by a new
    ``NamedBlobFile``; the originals go to the signing history (``field`` is
    ``attachments[<index>]``).  All or nothing: every attachment is signed
    before the document is touched, so on a :class:`~.errors.SigningError`
    nothing has changed.  :returns: one verification report per attachment,
    also stored on the document (:func:`attachment_reports`).
    """
    prepared = prepare_attachment_signatures(
        document=document, code_text=code_text, field=field, agency=agency,
        signed_at=signed_at, signer=signer, check_permission=check_permission)
    return store_attachment_signatures(document=document, prepared=prepared, field=field,
                                       agency=agency)


def reverify_document(document) -> None:
    """Verify the main file and the attachments of ``document`` again and store the reports."""
    verify(document=document)
    if _items(document, ATTACHMENTS_FIELD) or needs_attachment_verification(document):
        verify_attachments(document=document)


def reverify_all(*, batch: int = 200) -> int:
    """Re-verify every document with the behavior and its attachments (after trust
    store changes)."""
    count = 0
    for brain in api.content.find(object_provides=ISignedDocumentMarker.__identifier__,
                                  unrestricted=True):
        reverify_document(brain._unrestrictedGetObject())
        count += 1
        if count % batch == 0:
            import transaction

            transaction.savepoint(optimistic=True)
    return count
