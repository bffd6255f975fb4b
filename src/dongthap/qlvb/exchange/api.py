"""What the rest of the system asks the exchange (``plone.api`` style).

* :func:`recipient_statuses` — per external recipient of a document: the
  transport state (queued / sending / sent / failed with the reason) and the
  business status the recipient reported (01…06, 13, 15, 16); outgoing's
  ``@delivery-status`` merges it with internal deliveries;
* :func:`source_info` — for a received document: where it came from and the
  statuses we answered;
* :func:`external_agencies` / :func:`import_directory` — the directory of
  agencies reachable through the axis;
* :func:`retry` — queue a failed entry again.
"""

from __future__ import annotations

from dongthap.qlvb.i18n import _
from plone import api

from . import edxml
from .outbox import queue_outgoing, queue_recall  # noqa: F401 - part of the API
from .queue import FAILED, KIND_DOCUMENT, KIND_STATUS, QUEUED, SENDING, SENT
from .storage import get_store

TRANSPORT_STATE_TITLES = {
    QUEUED: _("exchange_state_queued", default="Queued"),
    SENDING: _("exchange_state_sending", default="Sending"),
    SENT: _("exchange_state_sent", default="Sent"),
    FAILED: _("exchange_state_failed", default="Failed"),
}
BUSINESS_TYPE_KEYS = {0: "new", 1: "revoke", 2: "update", 3: "replace"}


def _entry_info(entry) -> dict:
    return {
        "entry_id": entry.id,
        "organ_id": entry.recipient,
        "name": entry.recipient_name,
        "kind": BUSINESS_TYPE_KEYS.get(entry.business_type, str(entry.business_type)),
        "transport_state": entry.state,
        "transport_state_title": TRANSPORT_STATE_TITLES.get(entry.state, entry.state),
        "attempts": entry.attempts,
        "last_error": entry.last_error if entry.state != SENT else "",
        "axis_doc_id": entry.axis_doc_id,
        "queued_at": entry.created,
        "sent_at": entry.sent_at or "",
        "business_status": entry.business_status,
        "business_status_title": edxml.STATUS_LABELS.get(entry.business_status, ""),
        "business_description": entry.business_description,
        "business_at": entry.business_at,
        "history": [{k: v for k, v in r.items() if k != "key"} for r in entry.business],
    }


def recipient_statuses(document) -> list[dict]:
    """One dict per external recipient of ``document`` (newest business type per recipient first).

    Keys: ``organ_id``, ``name``, ``kind`` (new/revoke/update/replace),
    ``transport_state`` (queued/sending/sent/failed) and its title,
    ``attempts``, ``last_error``, ``axis_doc_id``, ``queued_at``, ``sent_at``,
    ``business_status`` ("01"…"16" or "") with its Vietnamese title,
    ``business_description``, ``business_at``, ``history`` (every status
    received), and ``packages`` (all entries of that recipient).
    """
    store = get_store(create=False)
    if store is None:
        return []
    uid = api.content.get_uuid(document)
    by_recipient = {}
    for entry in store.entries_of(document_uid=uid):
        if entry.kind != KIND_DOCUMENT:
            continue
        by_recipient.setdefault(entry.recipient, []).append(entry)
    out = []
    for entries in by_recipient.values():
        entries.sort(key=lambda e: e.queued_ns)
        new = [e for e in entries if e.business_type == 0] or entries
        info = _entry_info(new[0])
        info["packages"] = [_entry_info(e) for e in entries]
        latest = entries[-1]
        if latest is not new[0]:
            info["latest_kind"] = BUSINESS_TYPE_KEYS.get(latest.business_type)
            info["latest_transport_state"] = latest.state
        out.append(info)
    out.sort(key=lambda i: i["organ_id"])
    return out


def statuses_sent(document) -> list[dict]:
    """The status packages we queued answering a received ``document``."""
    store = get_store(create=False)
    if store is None:
        return []
    uid = api.content.get_uuid(document)
    return [
        {"code": e.status_code, "title": edxml.STATUS_LABELS.get(e.status_code, ""),
         "organ_id": e.recipient, "transport_state": e.state,
         "transport_state_title": TRANSPORT_STATE_TITLES.get(e.state, e.state),
         "queued_at": e.created, "sent_at": e.sent_at or "", "last_error": e.last_error}
        for e in sorted(store.entries_of(document_uid=uid), key=lambda e: e.queued_ns)
        if e.kind == KIND_STATUS
    ]


def source_info(document) -> dict | None:
    """Where a received document came from, or None for documents not received by exchange."""
    info = getattr(document, "qlvb_exchange", None)
    if info is None:
        return None
    out = {k: v for k, v in dict(info).items() if k != "other_files"}
    out["other_files"] = [{k: v for k, v in f.items() if k != "blob"} for f in info.get("other_files", ())]
    recall = getattr(document, "qlvb_recalled", None)
    out["recalled"] = dict(recall) if recall is not None else None
    return out


def exchange_status(document) -> dict:
    """Everything the exchange knows about ``document`` (the body of ``@exchange-status``)."""
    return {
        "recipients": recipient_statuses(document),
        "source": source_info(document),
        "statuses_sent": statuses_sent(document),
    }


def retry(entry_id):
    """Queue a failed entry again; returns its info."""
    return _entry_info(get_store().retry(entry_id))


def external_agencies() -> list[dict]:
    """The imported directory: ``[{organ_id, name, parent_id, email}]`` sorted by name."""
    store = get_store(create=False)
    if store is None:
        return []
    from dongthap.qlvb.utils.sorting import vietnamese_sort_key

    items = [dict(v, organ_id=k) for k, v in store.directory.items()]
    items.sort(key=lambda i: vietnamese_sort_key(i.get("name") or i["organ_id"]))
    return items


def import_directory(transport=None) -> dict:
    """Import ``getAgenciesList`` into the persistent directory; returns counters.

    Entries missing from the new list are kept but marked ``active: False``
    (outgoing documents may still refer to them).
    """
    from .settings import get_transport

    transport = transport or get_transport()
    if transport is None:
        raise ValueError("no transport configured")
    agencies = transport.agencies()
    store = get_store()
    seen = set()
    added = updated = 0
    for agency in agencies:
        organ_id = (agency.organ_id or "").strip()
        if not organ_id or organ_id in seen:
            continue
        seen.add(organ_id)
        value = {"name": agency.name, "parent_id": agency.parent_id, "email": agency.email, "active": True}
        old = store.directory.get(organ_id)
        if old is None:
            added += 1
        elif dict(old) != value:
            updated += 1
        else:
            continue
        store.directory[organ_id] = value
    deactivated = 0
    for organ_id in list(store.directory.keys()):
        if organ_id not in seen and store.directory[organ_id].get("active", True):
            store.directory[organ_id] = dict(store.directory[organ_id], active=False)
            deactivated += 1
    store.record("directory-import", added=added, updated=updated, deactivated=deactivated,
                 total=len(seen))
    return {"added": added, "updated": updated, "deactivated": deactivated, "total": len(seen)}
