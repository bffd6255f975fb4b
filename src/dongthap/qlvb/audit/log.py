"""Building audit records and handing them to the writer when the transaction commits.

**Aborted requests.**  A record of an action done inside a transaction (an
edit, a transition, a signature, a role granted) is kept with that
transaction and handed to the writer by an *after-commit hook* only when the
commit succeeded: an aborted or conflicting attempt logs nothing for those
actions (a conflict retry logs the action once, when it finally commits).
The refusal itself is logged instead, as one record with ``outcome:
"refused"`` (see :func:`dongthap.qlvb.audit.capture.publication_failed`),
outside any transaction.  Records of reads (views, downloads, exports) are
written after the answer was produced (``IPubSuccess``, after the commit).

Record fields: ``at`` (UTC, ISO 8601 with µs), ``userid``, ``client``
(address of the user, see :func:`client_address`), ``method``, ``action``,
``outcome`` (``ok``/``refused``), ``uid``, ``path``, ``title``, ``type``,
``agency_uid`` and ``detail``; the store adds ``seq``, ``prev`` and ``hash``.
"""

from __future__ import annotations

import datetime as dt

import transaction
from AccessControl import getSecurityManager
from zope.globalrequest import getRequest

from dongthap.qlvb.audit import settings, writer

#: Actions recorded from ``IObjectModifiedEvent`` that another record of the same object in the
#: same transaction already says (the edit, the transition or the signature that modified it).
IMPLIED = "modified"

_DATA_KEY = "dongthap.qlvb.audit"


def now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def client_address(request) -> str:
    """The peer's address, or the address ``X-Forwarded-For`` names when the peer is a trusted proxy."""
    if request is None:
        return ""
    environ = getattr(request, "environ", {}) or {}
    peer = environ.get("REMOTE_ADDR") or ""
    forwarded = environ.get("HTTP_X_FORWARDED_FOR") or ""
    trusted = settings.trusted_proxies()
    if peer in trusted and forwarded:
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in trusted:
                return hop
            peer = hop
    return peer


def current_userid() -> str:
    user = getSecurityManager().getUser()
    return (user.getId() if user is not None else None) or "Anonymous User"


def describe(obj) -> dict:
    """``uid``, ``path``, ``title``, ``type`` and ``agency_uid`` of a content object."""
    if obj is None:
        return {}
    info = {}
    try:
        info["uid"] = obj.UID() if hasattr(obj, "UID") else None
    except Exception:  # noqa: BLE001
        info["uid"] = None
    try:
        info["path"] = "/".join(obj.getPhysicalPath())
    except Exception:  # noqa: BLE001
        info["path"] = None
    title = getattr(obj, "title", None)
    info["title"] = title if isinstance(title, str) else None
    info["type"] = getattr(obj, "portal_type", None)
    try:
        from dongthap.qlvb.agencies.api import get_agency

        agency = get_agency(obj)
        info["agency_uid"] = agency.UID() if agency is not None else None
    except Exception:  # noqa: BLE001
        info["agency_uid"] = None
    return info


def build(action, obj=None, *, outcome="ok", detail=None, request=None, userid=None, **fields) -> dict:
    request = request if request is not None else getRequest()
    record = {
        "at": now_iso(),
        "userid": userid or current_userid(),
        "client": client_address(request),
        "method": getattr(request, "method", None) if request is not None else None,
        "action": action,
        "outcome": outcome,
        "uid": None, "path": None, "title": None, "type": None, "agency_uid": None,
        "detail": detail,
    }
    record.update(describe(obj))
    record.update({k: v for k, v in fields.items() if v is not None})
    return record


def log(action, obj=None, *, when="commit", **kwargs):
    """Record *action* on *obj*; ``when="commit"`` waits for the transaction, ``"now"`` does not."""
    if not settings.enabled():
        return None
    if when == "now":
        record = build(action, obj, **kwargs)
        writer.enqueue(record)
        return record
    txn = transaction.get()
    pending = _pending(txn)
    # the object is described when the transaction commits (its final path, UID and title)
    pending.append((action, obj, kwargs, build(action, None, **kwargs)))
    return None


def _pending(txn):
    try:
        return txn.data(_DATA_KEY)
    except KeyError:
        pending = []
        txn.set_data(_DATA_KEY, pending)
        txn.addAfterCommitHook(_after_commit, (pending,))
        return pending


def _after_commit(status, pending):
    if not status:
        return  # aborted: the refusal is logged by the publication failure, not the action
    records = []
    for _action, obj, kwargs, record in pending:
        if obj is not None:
            record.update(describe(obj))
            if kwargs.get("uid"):
                record["uid"] = kwargs["uid"]
        records.append(record)
    touched = {(r["uid"]) for r in records if r["action"] != IMPLIED and r.get("uid")}
    seen = set()
    for record in records:
        if record["action"] == IMPLIED:
            if record.get("uid") in touched or record.get("uid") in seen:
                continue
            seen.add(record.get("uid"))
        writer.enqueue(record)
