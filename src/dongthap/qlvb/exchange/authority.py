"""Who may change what through the exchange (status and recall forgery).

A package names its sender in ``From``, and ``From`` is whatever the package
says: a clerk importing a package by hand (``@edxml-import``) or any system
on the axis can write any OrganId there.  So a package that *changes* an
existing document is applied only when it comes from the party the original
exchange recorded:

* a **status package** (01…16) answers one of our outgoing documents: its
  ``From`` must be a recipient the document was queued for, and, when a
  clerk imports it, the importing agency must be the agency that sent the
  document (the status is addressed to it);
* a **revoke, update or replace** (BussinessDocType 1/2/3) changes a document
  an agency of ours received: ``From`` must be the sender recorded when it
  was received, and the agency must be one that received it (the dedup index
  holds one entry per receiving agency, so a document another agency received
  is never found for the importing one).

Anything else is refused (``Outcome.result == "forbidden"``, acknowledged
``fail``, never answered: the claimed sender may be the victim), written to
the exchange log and recorded as a security incident (the incident log of
the antivirus service, kind :data:`~dongthap.qlvb.antivirus.incidents.
EXCHANGE_FORGERY`) with the officers notified.
"""

from __future__ import annotations

import logging

from . import edxml
from .edxml.rules import replaced_document_ids, target_document_id
from .queue import KIND_DOCUMENT

logger = logging.getLogger("dongthap.qlvb.exchange")

FORBIDDEN = "forbidden"


def _code(agency) -> str:
    return (getattr(agency, "agency_code", "") or "").strip() if agency is not None else ""


def status_entries(store, header, import_agency=None):
    """The outbox entries a status package may update, and whether it is forged.

    Returns ``(entries, reason)``: ``reason`` is "" when the status is
    legitimate (or concerns no document we know: then ``entries`` is empty
    and the caller treats it as an orphan), else a Vietnamese explanation.
    """
    sender = (header.from_.organ_id or "").strip()
    known = [e for e in store.entries_of(document_id=header.response_for.document_id)
             if e.kind == KIND_DOCUMENT]
    if not known:
        return [], ""
    from_recipient = [e for e in known if (e.recipient or "").strip() == sender]
    if not from_recipient:
        return [], (f"Cơ quan {sender} không phải là nơi nhận văn bản "
                    f"{header.response_for.document_id}: không được gửi trạng thái cho văn bản này.")
    if import_agency is None:
        return from_recipient, ""
    ours = [e for e in from_recipient if (e.sender or "").strip() == _code(import_agency)]
    if not ours:
        return [], (f"Văn bản {header.response_for.document_id} không do cơ quan {_code(import_agency)} "
                    "gửi: không được nhập trạng thái của văn bản này.")
    return ours, ""


def referenced_documents(pkg) -> list[str]:
    """DocumentIds of the earlier documents a revoke/update/replace package changes."""
    kind = pkg.business_doc_type
    if kind == edxml.DOCTYPE_REPLACE:
        return replaced_document_ids(pkg)
    if kind in (edxml.DOCTYPE_REVOKE, edxml.DOCTYPE_UPDATE):
        return [target_document_id(pkg)]
    return []


def business_change_forgery(pkg, targets, earlier) -> str:
    """"" when ``pkg`` may change the documents it references, else the reason.

    ``earlier(document_id, agency)`` returns the document ``agency`` received
    under that DocumentId (or None).  A document not (or no longer) there is
    nothing to protect.
    """
    sender = (pkg.message_header.from_.organ_id or "").strip()
    for document_id in referenced_documents(pkg):
        for agency in targets:
            old = earlier(document_id, agency)
            if old is None:
                continue
            info = getattr(old, "qlvb_exchange", None) or {}
            recorded = (info.get("from_organ_id") or "").strip()
            if recorded != sender:
                return (f"Văn bản {document_id} do cơ quan {recorded or '(không rõ)'} gửi, "
                        f"cơ quan {sender} không được thu hồi, cập nhật hay thay thế văn bản này.")
    return ""


def _actor() -> str:
    """The person behind the request (the import runs as the exchange's system user)."""
    try:
        from zope.globalrequest import getRequest

        request = getRequest()
        user = request.get("AUTHENTICATED_USER") if request is not None else None
        return user.getId() if user is not None and hasattr(user, "getId") else ""
    except Exception:  # noqa: BLE001
        return ""


def report_forgery(site, *, reason, agency=None, source="", source_id="", sender="", document_id="",
                   store=None):
    """Log a refused forgery in the exchange log and as a security incident (officers notified)."""
    if store is not None:
        store.record("refused", kind="forgery", reason=reason[:900], source=source, source_id=source_id,
                     sender=sender, document_id=document_id, agency=_code(agency), actor=_actor())
    logger.warning("exchange: FORGED package refused (%s, %s): %s", source, source_id or "-", reason)
    try:
        from dongthap.qlvb.antivirus import incidents
        from plone.uuid.interfaces import IUUID

        incident = incidents.record(
            site, kind=incidents.EXCHANGE_FORGERY, userid=_actor(), reason=reason[:900],
            path_of_entry=f"exchange:{source}" if source else "exchange",
            agency_uid=IUUID(agency, "") if agency is not None else "",
            agency_code=_code(agency),
            agency_title=getattr(agency, "title", "") if agency is not None else "",
            detail=f"From={sender} DocumentId={document_id} source_id={source_id}"[:500])
    except Exception:  # noqa: BLE001 - the refusal stands even if the incident log fails
        logger.exception("exchange: the forgery incident could not be recorded")
        return None
    try:
        from dongthap.qlvb.antivirus.notify import notify_officers

        notify_officers(site, incident, agency)
    except Exception:  # noqa: BLE001
        logger.exception("exchange: notifying the security officers failed")
    return incident
