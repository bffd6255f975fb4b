"""Document events → notifications (subscribers only: the packages that fire them are not changed).

Every action on a document appends an entry to its trail and fires
:class:`~dongthap.qlvb.documents.trail.ITrailEntryAdded` (transitions through the
per-transition handlers, assignments, re-assignments, the sender's recall); one
subscriber reads the entry's ``action`` and tells whoever now has work:

============================  ==========================================================
incoming added, still ``received`` at commit: the agency's clerks: a document to register
incoming ``register``         the agency's leaders: a document to assign
incoming ``assign``/``reassign``  each new assignee: lead / coordination / for information
incoming ``exchange_recall``  clerks and active assignees: the sender recalled it
outgoing ``submit``/``forward``  whoever takes the review level now
outgoing ``approve``          the chosen signer: a document to sign
outgoing ``sign``             the agency's clerks: a document to issue
outgoing ``return``           the drafter: returned
outgoing ``issue``            the drafter: issued (recipients get their incoming copy)
outgoing ``recall``           the drafter
============================  ==========================================================

A failure here is logged and never refuses the action (the notification is lost, the
document is not).
"""

from __future__ import annotations

import datetime
import logging

from dongthap.qlvb.notifications import api as N

logger = logging.getLogger("dongthap.qlvb.notifications")


def _group(doc, role):
    from dongthap.qlvb.agencies.api import get_agency, group_id, group_members

    agency = get_agency(doc)
    gid = group_id(agency, role) if agency is not None else None
    return group_members(gid) if gid else set()


def _path(doc):
    from plone import api

    portal_path = api.portal.get().getPhysicalPath()
    return "/".join(doc.getPhysicalPath()[len(portal_path):])


def _tell(doc, userids, kind, entry, **mapping):
    from plone import api

    N.notify(userids, kind, title=doc.Title(), path=_path(doc), uid=api.content.get_uuid(doc),
             actor=entry.get("actor") or "", mapping=mapping)


def _new_entries(doc, entry):
    """Active assignment entries written by this action (they share one ``assigned_at``)."""
    from dongthap.qlvb.incoming import assignment as A

    active = [e for e in A.active_entries(doc) if e.get("assigned_at")]
    if not active:
        return []
    latest = max(e["assigned_at"] for e in active)
    try:
        gap = (datetime.datetime.fromisoformat(entry["at"])
               - datetime.datetime.fromisoformat(latest)).total_seconds()
    except (KeyError, ValueError):
        return []
    if gap > 120:  # nothing new: e.g. a re-assignment that only ended entries
        return []
    return [e for e in active if e["assigned_at"] == latest]


def _incoming(doc, action, entry):
    from dongthap.qlvb.incoming import assignment as A
    from dongthap.qlvb.security import roles as R

    if action == "register":
        _tell(doc, _group(doc, R.LEADER), "to_assign", entry)
    elif action in ("assign", "reassign"):
        for new in _new_entries(doc, entry):
            _tell(doc, [new["user"]], f"assigned_{new['kind']}", entry)
    elif action == "exchange_recall":
        users = _group(doc, R.CLERK) | {e["user"] for e in A.active_entries(doc)}
        _tell(doc, users, "recalled", entry)


def _reviewers(doc):
    from dongthap.qlvb.agencies import departments as D
    from dongthap.qlvb.agencies.api import get_agency
    from dongthap.qlvb.outgoing.indexers import qlvb_outgoing_review_role
    from dongthap.qlvb.security import roles as R

    keys = qlvb_outgoing_review_role.callable(doc) or []
    agency = get_agency(doc)
    users = set()
    for key in keys:
        role, _sep, dept = key.partition(":")
        members = _group(doc, role)
        if dept:
            department = D.department(agency, dept)
            members &= D.members(department) if department is not None else set()
        users |= members
    if not keys:
        users = _group(doc, R.LEADER)
    return users


def _outgoing(doc, action, entry):
    from dongthap.qlvb.security import roles as R

    drafter = (doc.listCreators() or [None])[0]
    if action in ("submit", "forward"):
        _tell(doc, _reviewers(doc), "to_review", entry)
    elif action == "approve":
        signer = getattr(doc, "signer", None)
        _tell(doc, [signer] if signer else _group(doc, R.LEADER), "to_sign", entry)
    elif action == "sign":
        _tell(doc, _group(doc, R.CLERK), "to_issue", entry)
    elif action == "return":
        _tell(doc, [drafter], "returned", entry)
    elif action == "issue":
        _tell(doc, [drafter], "issued", entry)
    elif action == "recall":
        _tell(doc, [drafter], "recalled", entry)


def trail_entry_added(doc, event):
    """Subscriber (IQlvbDocument, ITrailEntryAdded)."""
    entry = event.entry or {}
    action = entry.get("action")
    try:
        if doc.portal_type == "IncomingDocument":
            _incoming(doc, action, entry)
        elif doc.portal_type == "OutgoingDocument":
            _outgoing(doc, action, entry)
    except Exception:  # noqa: BLE001 - a notification never refuses the action
        logger.exception("notification of %s on %s failed", action, "/".join(doc.getPhysicalPath()))


def incoming_added(doc, event):
    """Subscriber (IIncomingDocument, IObjectAddedEvent): clerks learn of a document to register.

    Decided when the transaction commits: a clerk who registers at once (the usual form)
    leaves nothing to tell; a document delivered by another agency or the axis waits.
    """
    import transaction

    trail = getattr(doc, "qlvb_trail", None) or [{}]
    transaction.get().addBeforeCommitHook(_to_register, (doc, {"actor": trail[0].get("actor", "")}))


def _to_register(doc, entry):
    from dongthap.qlvb.security import roles as R
    from plone import api

    try:
        if api.content.get_state(doc, default=None) == "received":
            _tell(doc, _group(doc, R.CLERK), "to_register", entry)
    except Exception:  # noqa: BLE001 - never breaks the commit
        logger.exception("notification of a document to register failed")
