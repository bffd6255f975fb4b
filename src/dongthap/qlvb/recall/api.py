"""Recall that really removes (Phụ lục VI III.8, NĐ 30 art. 14; issue 22 item 3).

When the sender recalls (thu hồi) an issued document, every received copy is
**destroyed** at the recipient — the document, its metadata, its catalog
entries, its files (blobs), its place in an open dossier — and a
**destruction record** is kept on both sides:

* what: số, ký hiệu, trích yếu, cơ quan ban hành, ngày ban hành, số đến, the
  SHA-256 of the main file and of every attachment;
* by whom (the recipient's clerk, or the system for a copy nobody registered)
  and when (Vietnam time); why (the sender's reason).

The recipient's records are kept on its agency (``qlvb_destruction_records``,
listed on ``@@van-ban-da-huy`` and ``GET @destruction-records``); the sender's
copy of each record is written into the delivery table of the recalled
document (status "đã hủy tại nơi nhận", internal delivery) or reaches it as the
status 15 answer over the national axis (external). Every destruction is an
audit record (``recall_destroyed``) and a trail entry of the sender's document.

"Destroyed" means: the object is deleted from its register folder (catalog entries go with it,
nothing references its files any more); the ZODB keeps old revisions of the blobs until the next
pack of the storage (``zeopack`` / RelStorage's ``zodbpack``), which a deployment runs regularly.

A copy that was **not registered** (``received``) is destroyed at once, by the
system. A **registered** copy is **frozen** (``qlvb_recalled``: no transition,
no assignment, no progress, no edit; a clear message) until the recipient's
clerk destroys it (``POST @recall-destroy``, the button on the document page).

Decisions (domain.md §2 "the receiver destroys its copy and metadata; both are
logged"; §3 dossiers):

* a copy filed in an **open** dossier is taken out of it (renumbered, the
  dossier's log names the recall) and destroyed;
* a copy in a **closed** (or transferred) dossier is not destroyed: a closed
  dossier is a record that only the records manager may reopen. The clerk is
  told so; the copy stays frozen until the dossier is reopened;
* an **archived** copy (handed over to the archive) is never destroyed: the
  recall is refused (the sender sees it refused; over the axis, status 16).
"""

from __future__ import annotations

from Acquisition import aq_inner
from Acquisition import aq_parent
from BTrees.LOBTree import LOBTree
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.documents.common import actor
from dongthap.qlvb.documents.common import fmt_date
from dongthap.qlvb.documents.common import fmt_datetime
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from persistent.mapping import PersistentMapping
from plone import api

import hashlib
import logging
import time

logger = logging.getLogger("dongthap.qlvb.recall")

#: the freeze of a recalled copy (also set by the exchange inbox: ``exchange.inbox.RECALL_ATTR``)
FROZEN_ATTR = "qlvb_recalled"
#: the destruction records of an agency (as recipient and as sender)
RECORDS_ATTR = "qlvb_destruction_records"
DESTROY_PERMISSION = "dongthap.qlvb: Destroy recalled document"
RECORDS_PERMISSION = "dongthap.qlvb: View incoming registers"
SYSTEM = "system"

REFUSED_ARCHIVED = _("recall_refused_archived",
                     default="The document was handed over to the agency archive; it cannot be destroyed.")


def error_frozen():
    return QlvbError(_("error_document_recalled", default="The sender recalled this document: it is "
                       "frozen and cannot be processed further."), status=409)


def frozen(doc):
    """The freeze notice of ``doc`` (a mapping) or None."""
    return getattr(doc, FROZEN_ATTR, None)


def pending_destruction(doc):
    notice = frozen(doc)
    return bool(notice) and bool(notice.get("pending_destruction"))


def check_not_frozen(doc):
    """Refuse (409) any processing of a recalled copy."""
    if frozen(doc) is not None:
        raise error_frozen()


def freeze(doc, *, reason, sender, sender_name="", notation="", origin="internal", document_id="",
           source_uid=""):
    """Freeze the registered copy ``doc`` until its clerk destroys it (no commit)."""
    from dongthap.qlvb.documents.trail import add_trail

    notice = PersistentMapping(
        at=now().isoformat(timespec="seconds"), reason=reason or "", sender=sender or "",
        sender_name=sender_name or sender or "", notation=notation or notation_of(doc), origin=origin,
        document_id=document_id or "", source_uid=source_uid or "", replaced_by="",
        pending_destruction=True)
    setattr(doc, FROZEN_ATTR, notice)
    # nobody edits it any more, whatever path (forms, plone.restapi PATCH): no transition can
    # come and give the workflow's role mapping back
    doc.manage_permission("Modify portal content", (), acquire=False)
    add_trail(doc, "exchange_recall" if origin == "axis" else "recall_frozen", reason or "")
    doc.reindexObject()
    return notice


# ---------------------------------------------------------------- the record


def notation_of(doc):
    number = getattr(doc, "code_number", None) or ""
    notation = getattr(doc, "code_notation", None) or ""
    return f"{number}/{notation}" if number and notation else (number or notation)


def _sha256(named):
    if named is None:
        return ""
    digest = hashlib.sha256()
    with named.open() as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def describe_copy(doc):
    """What is destroyed: the identity of the copy and the checksums of its files."""
    files = []
    main = getattr(doc, "file", None)
    if main is not None:
        files.append({"role": "main", "name": getattr(main, "filename", "") or "",
                      "sha256": _sha256(main), "size": getattr(main, "size", 0) or 0})
    for att in getattr(doc, "attachments", None) or ():
        files.append({"role": "attachment", "name": getattr(att, "filename", "") or "",
                      "sha256": _sha256(att), "size": getattr(att, "size", 0) or 0})
    issued = getattr(doc, "issued_date", None)
    info = getattr(doc, "qlvb_exchange", None) or {}
    return {
        "uid": api.content.get_uuid(doc),
        "path": "/".join(doc.getPhysicalPath()),
        "code_number": getattr(doc, "code_number", None) or "",
        "code_notation": getattr(doc, "code_notation", None) or "",
        "notation": notation_of(doc),
        "title": doc.title or "",
        "issuing_agency_name": getattr(doc, "issuing_agency_name", None) or "",
        "issuing_agency_code": getattr(doc, "issuing_agency_code", None) or "",
        "issued_date": issued.isoformat() if issued else None,
        "arrival_number": getattr(doc, "arrival_number", None),
        "state": api.content.get_state(doc, default=""),
        "document_id": info.get("document_id", "") if hasattr(info, "get") else "",
        "files": files,
    }


def record_text(record):
    """One Vietnamese line with the record (sent back over the axis with status 15)."""
    sums = "; ".join(f"{f['name']} SHA-256 {f['sha256']}" for f in record.get("files", ()))
    who = record.get("by_name") or record.get("by") or ""
    return (f"Đã hủy văn bản tại nơi nhận: {record.get('notation', '')} \"{record.get('title', '')}\" "
            f"của {record.get('issuing_agency_name', '')}, ngày {_day(record.get('issued_date')) or '-'}; "
            f"tệp: {sums or '-'}; người hủy: {who}; lúc {fmt_datetime(record.get('at'))}.")


def _records(agency, create=False):
    records = getattr(agency, RECORDS_ATTR, None)
    if records is None and create:
        records = LOBTree()
        setattr(agency, RECORDS_ATTR, records)
    return records


def keep_record(agency, record):
    """Append ``record`` (a dict) to the destruction records of ``agency``; returns its key."""
    records = _records(agency, create=True)
    key = int(time.time() * 1_000_000)
    while key in records:
        key += 1
    records[key] = PersistentMapping(record)
    return key


def records_of(agency, limit=500):
    """The destruction records of ``agency``, newest first (side ``recipient`` or ``sender``)."""
    records = _records(agency) or {}
    out = []
    for key in reversed(list(records.keys())):
        item = dict(records[key])
        item["at_text"] = fmt_datetime(item.get("at"))
        item["issued_date_text"] = _day(item.get("issued_date"))
        out.append(item)
        if len(out) >= limit:
            break
    return out


def _day(iso):
    import datetime

    try:
        return fmt_date(datetime.date.fromisoformat(iso)) if iso else ""
    except (TypeError, ValueError):
        return iso or ""


def _fullname(userid):
    if not userid or userid == SYSTEM:
        return "Hệ thống (văn bản chưa vào sổ)"
    user = api.user.get(userid=userid)
    return (user.getProperty("fullname") or userid) if user is not None else userid


# ---------------------------------------------------------------- checks


def blocking_reason(doc):
    """Why ``doc`` cannot be destroyed now (a translatable message), or None."""
    state = api.content.get_state(doc, default="")
    if state == "archived":
        return REFUSED_ARCHIVED
    for dossier in _dossiers(doc):
        if api.content.get_state(dossier, default="") != "open":
            return _("recall_blocked_closed_dossier",
                     default="The document is in the closed dossier ${code}: the records manager must "
                             "reopen the dossier before the document can be destroyed.",
                     mapping={"code": getattr(dossier, "file_code", None) or dossier.title})
    return None


def _dossiers(doc):
    try:
        from dongthap.qlvb.dossiers import api as dossiers
    except ImportError:  # pragma: no cover
        return []
    if dossiers is None:  # pragma: no cover
        return []
    catalog = api.portal.get_tool("portal_catalog")
    uid = api.content.get_uuid(doc)
    return [b._unrestrictedGetObject() for b in
            catalog.unrestrictedSearchResults(portal_type="Dossier", qlvb_documents=uid)]


def _unfile(doc, notation):
    """Take ``doc`` out of every (open) dossier holding it, with a line in the dossier's log."""
    from dongthap.qlvb.dossiers import api as dossiers

    uid = api.content.get_uuid(doc)
    out = []
    for dossier in _dossiers(doc):
        dossier.qlvb_items = dossiers._renumber([i for i in dossier.qlvb_items if i["uid"] != uid])
        dossiers._log(dossier, "recall_unfiled", f"Văn bản {notation} bị thu hồi và hủy")
        dossiers.refresh_totals(dossier)
        out.append(getattr(dossier, "file_code", None) or dossier.title)
    return out


# ---------------------------------------------------------------- destroy


def may_destroy(doc):
    return api.user.has_permission(DESTROY_PERMISSION, obj=doc)


def destroy(doc, *, reason="", system=False, notify_sender=True, notice=None):
    """Destroy the recalled copy ``doc`` with its record on both sides (no commit); returns the record.

    ``system``: the system destroys an unregistered copy at the recall (no
    permission check, "by" is the system); ``notice`` then names the sender
    (``sender``, ``sender_name``, ``origin``). Otherwise the current user must hold
    "Destroy recalled document" on the copy and the copy must be frozen by a recall.
    Raises :class:`QlvbError` (403, 409).
    """
    from dongthap.qlvb.audit.log import log as audit

    notice = notice if notice is not None else frozen(doc)
    if not system:
        if not may_destroy(doc):
            raise QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)
        if not pending_destruction(doc):
            raise QlvbError(_("error_not_recalled", default="This document was not recalled by its sender."),
                            status=409)
    blocked = blocking_reason(doc)
    if blocked is not None:
        raise QlvbError(blocked, status=409)
    agency = get_agency(doc)
    who = SYSTEM if system else actor()
    record = describe_copy(doc)
    notice = dict(notice or {})
    record.update({
        "side": "recipient", "at": now().isoformat(timespec="seconds"), "by": who, "by_name": _fullname(who),
        "reason": reason or notice.get("reason", ""), "sender": notice.get("sender", ""),
        "sender_name": notice.get("sender_name", ""), "origin": notice.get("origin", ""),
        "recipient": agency.agency_code, "recipient_name": agency.title,
    })
    record["dossiers"] = _unfile(doc, record["notation"])
    keep_record(agency, record)
    audit("recall_destroyed", None, uid=record["uid"], path=record["path"], title=record["title"],
          type=doc.portal_type, agency_uid=api.content.get_uuid(agency),
          userid=None if system else who,
          detail={"notation": record["notation"], "issuer": record["issuing_agency_name"],
                  "reason": record["reason"], "files": [f["sha256"] for f in record["files"]]})
    if notify_sender:
        _tell_sender(doc, record)
    # the copy, its catalog entries, its files and its kept exchange package go (as the system:
    # nobody holds "Delete objects" on a registered document; the check above decided)
    aq_parent(aq_inner(doc))._delObject(doc.getId())
    logger.info("recall: destroyed %s (%s) in %s", record["notation"], record["path"], agency.agency_code)
    return record


def _tell_sender(doc, record):
    """The sender keeps its copy of the record: delivery table (internal) or status 15 (axis)."""
    from dongthap.qlvb.outgoing import delivery

    if getattr(doc, delivery.SOURCE_ATTR, None):
        delivery.record_destruction(doc, record)
        return
    info = getattr(doc, "qlvb_exchange", None)
    if info is not None:
        from dongthap.qlvb.exchange import takeback

        takeback.destroyed(doc, info, record)


def destroy_from_request(doc):
    """The clerk's act (REST and the button): destroy, committed (retried on conflicts)."""
    from dongthap.qlvb.numbering import run_in_transaction

    if not may_destroy(doc):
        raise QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)
    if not pending_destruction(doc):
        raise QlvbError(_("error_not_recalled", default="This document was not recalled by its sender."),
                        status=409)
    blocked = blocking_reason(doc)
    if blocked is not None:
        raise QlvbError(blocked, status=409)
    agency = get_agency(doc)
    return run_in_transaction(lambda: dict(destroy(doc)), note="qlvb: destroy recalled copy"), agency


def pending(agency):
    """Frozen copies of ``agency`` waiting for destruction (brains the user may see)."""
    from dongthap.qlvb.incoming.api import incoming_root

    root = incoming_root(agency)
    if root is None:
        return []
    from dongthap.qlvb.documents.queries import find

    return list(find(context=root, portal_type="IncomingDocument", qlvb_recall_pending=True))


# ---------------------------------------------------------------- refuse


def refuse(doc, *, reason):
    """The recipient's clerk refuses the recall of the frozen copy ``doc`` (no commit): the copy is
    kept and thawed, the refusal (what, by whom, when, why) recorded on both sides — the sender's
    delivery table (internal) or the status 16 answer over the axis (external). Raises
    :class:`QlvbError` (403, 409, 422: a reason is required)."""
    from dongthap.qlvb.audit.log import log as audit
    from dongthap.qlvb.documents.trail import add_trail

    if not may_destroy(doc):
        raise QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)
    if not pending_destruction(doc):
        raise QlvbError(_("error_not_recalled", default="This document was not recalled by its sender."),
                        status=409)
    from dongthap.qlvb.documents import validation

    reason, problem = validation.text({"reason": reason}, "reason", validation.REASON_LABEL)
    if problem is not None:
        raise QlvbError(problem["message"], [problem])
    reason = (reason or "").strip()
    if not reason:
        message = _("error_recall_refusal_reason", default="Give the reason for refusing the recall.")
        raise QlvbError(message, [{"field": "reason", "message": message}], status=422)
    agency = get_agency(doc)
    who = actor()
    notice = dict(frozen(doc))
    record = describe_copy(doc)
    record.update({
        "side": "recipient", "outcome": "refused", "at": now().isoformat(timespec="seconds"), "by": who,
        "by_name": _fullname(who), "reason": reason[:2000], "recall_reason": notice.get("reason", ""),
        "sender": notice.get("sender", ""), "sender_name": notice.get("sender_name", ""),
        "origin": notice.get("origin", ""), "recipient": agency.agency_code, "recipient_name": agency.title,
        "files": [],
    })
    keep_record(agency, record)
    # the copy is kept: no longer frozen, its workflow's permissions back
    setattr(doc, FROZEN_ATTR, None)
    wftool = api.portal.get_tool("portal_workflow")
    for workflow in wftool.getWorkflowsFor(doc):
        workflow.updateRoleMappingsFor(doc)
    add_trail(doc, "recall_refused", reason)
    doc.reindexObject()
    audit("recall_refused", doc, uid=record["uid"], path=record["path"], title=record["title"],
          detail={"notation": record["notation"], "reason": reason, "sender": record["sender"]})
    _tell_sender_refused(doc, record)
    return record


def _tell_sender_refused(doc, record):
    from dongthap.qlvb.outgoing import delivery

    if getattr(doc, delivery.SOURCE_ATTR, None):
        delivery.record_refusal(doc, record)
        return
    info = getattr(doc, "qlvb_exchange", None)
    if info is not None:
        from dongthap.qlvb.exchange import takeback

        takeback.refused_by_clerk(doc, info, record)


def refuse_from_request(doc, reason):
    """The clerk's act (REST and the button): refuse, committed (retried on conflicts)."""
    from dongthap.qlvb.numbering import run_in_transaction

    return run_in_transaction(lambda: dict(refuse(doc, reason=reason)), note="qlvb: refuse a recall")
