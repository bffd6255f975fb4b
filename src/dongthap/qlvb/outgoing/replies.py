"""Reply deadlines of outgoing documents ("hạn trả lời"; issue 22 item 6).

An issued document asks its recipients to reply by a date: the document's own
``due_date`` (label "Hạn trả lời", for every recipient) or a date set for one
recipient (``reply_due`` of its row in the delivery table, :func:`set_deadline`,
``POST @reply-deadlines``). A recipient is **awaiting** while it has a deadline
and no reply; the document is catalogued with the earliest deadline of its
awaiting recipients (``qlvb_reply_due``; none when nobody is awaited or when
it was recalled), which drives the list "chờ trả lời" (``@@van-ban-di?list=
awaiting_reply``, ``GET @outgoing``, the desk) with the overdue replies in red
and those due within :data:`SOON_DAYS` days in amber.

Replies are linked automatically, both ways, when they arrive:

* **internal**: the recipient issues a document whose ``in_reply_to`` names its
  received copy of ours — at issue (``delivery.link_replies``) and again when
  its copy reaches us (:func:`link_internal_arrival`: the incoming reply is
  linked to our document and to the recipient's row);
* **national axis**: an incoming package whose ``ResponseFor`` names the
  DocumentId of one of our documents sent to that sender
  (:func:`link_axis_arrival`);
* **by hand**: a reply that came another way (paper, e-mail) and was entered by hand is linked by
  the clerk of our agency to the recipient it answers (:func:`link_by_hand`; the picker on the
  incoming document page, ``POST <incoming>/@reply-link``).
"""

from __future__ import annotations

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.outgoing import IOutgoingDocument
from dongthap.qlvb.documents.common import fmt_date
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.documents import validation
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from persistent.list import PersistentList
from plone import api
from plone.indexer import indexer

import datetime
import logging

logger = logging.getLogger("dongthap.qlvb.outgoing.replies")

INDEX = "qlvb_reply_due"
SOON_DAYS = 3
#: delivery statuses after which no reply is awaited from that recipient
CLOSED = {"refused", "recalled_removed", "recall_notified", "recall_destroyed", "recall_refused",
          "recall_queued", "recall_acknowledged"}
REPLIED_BY_ATTR = "qlvb_reply_to"


def _day(value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def today():
    return now().date()


def replied(entry):
    return bool(entry.get("reply") or entry.get("reply_received"))


def entry_due(doc, entry):
    """The reply deadline of one recipient: its own, else the document's."""
    return _day(entry.get("reply_due")) or _day(getattr(doc, "due_date", None))


def awaiting(doc):
    """``[(key, entry, deadline)]`` of the recipients a reply is awaited from, earliest first."""
    from dongthap.qlvb.outgoing import delivery

    state = api.content.get_state(doc, default="")
    if state not in ("issued", "archived") or getattr(doc, "qlvb_recall", None):
        return []
    out = []
    for key, entry in (delivery._store(doc) or {}).items():
        due = entry_due(doc, entry)
        if due is None or replied(entry) or entry.get("status") in CLOSED:
            continue
        out.append((key, entry, due))
    out.sort(key=lambda item: item[2])
    return out


def flags(due, day=None):
    """``(overdue, due_soon)`` of a deadline."""
    if due is None:
        return False, False
    day = day or today()
    overdue = due < day
    return overdue, (not overdue and (due - day).days <= SOON_DAYS)


@indexer(IOutgoingDocument)
def qlvb_reply_due(obj):
    """The earliest reply deadline still awaited (no entry when none)."""
    found = awaiting(obj)
    if not found:
        raise AttributeError(INDEX)
    return found[0][2]


def reindex(doc):
    doc.reindexObject(idxs=[INDEX])


def summary(doc, day=None):
    """Per recipient: deadline, replied or not, flags — for the document page and REST."""
    from dongthap.qlvb.outgoing import delivery

    day = day or today()
    rows = []
    for key, entry in sorted((delivery._store(doc) or {}).items(), key=lambda kv: kv[1]["agency_name"]):
        due = entry_due(doc, entry)
        waiting = due is not None and not replied(entry) and entry.get("status") not in CLOSED
        overdue, soon = flags(due, day) if waiting else (False, False)
        reply = entry.get("reply_received") or entry.get("reply")
        rows.append({"key": key, "agency_name": entry["agency_name"], "agency_code": entry["agency_code"],
                     "reply_due": due.isoformat() if due else None, "reply_due_text": fmt_date(due),
                     "own_deadline": bool(entry.get("reply_due")), "replied": replied(entry),
                     "reply": dict(reply) if reply else None, "awaiting": waiting,
                     "overdue": overdue, "due_soon": soon})
    return rows


# ---------------------------------------------------------------- setting deadlines


def may_set(doc):
    from dongthap.qlvb.security import roles as R

    roles = set(api.user.get_roles(obj=doc))
    return bool(roles & {R.CLERK, R.LEADER, "Manager", "Site Administrator"}) and api.user.has_permission(
        "View", obj=doc)


def set_deadlines(doc, deadlines):
    """``{recipient key: date | None}``: one recipient's own reply deadline (None: the document's).

    The clerk or a leader of the issuing agency, on an issued document. Returns :func:`summary`.
    Raises :class:`QlvbError` 403/409/400 (nothing changed).
    """
    from dongthap.qlvb.documents.trail import add_trail
    from dongthap.qlvb.numbering import run_in_transaction
    from dongthap.qlvb.outgoing import delivery

    if not may_set(doc):
        raise QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)
    if api.content.get_state(doc) not in ("issued", "archived") or getattr(doc, "qlvb_recall", None):
        raise QlvbError(_("error_reply_deadline_state",
                          default="Reply deadlines are set on an issued document that was not recalled."),
                        status=409)
    store = delivery._store(doc) or {}
    if not isinstance(deadlines, dict) or not deadlines:
        message = _("error_reply_deadlines", default="Give a reply deadline per recipient.")
        raise QlvbError(message, [{"field": "deadlines", "message": message}])
    errors, clean = [], {}
    for key, raw in deadlines.items():
        if key not in store:
            errors.append({"field": "deadlines", "message": _(
                "error_reply_recipient", default="${key} is not a recipient of this document.",
                mapping={"key": str(key)[:80]})})
            continue
        if raw in (None, ""):
            clean[key] = None
            continue
        day = _parse(raw)
        if day is None:
            errors.append({"field": "deadlines", "message": _(
                "error_reply_date", default="Enter the reply deadline as dd/mm/yyyy.")})
            continue
        try:
            validation.plausible_deadline(day)
        except validation.ImplausibleDeadline as implausible:
            errors.append({"field": "deadlines", "message": implausible.doc()})
            continue
        issued = _day(getattr(doc, "issued_date", None))
        if issued and day < issued:
            errors.append({"field": "deadlines", "message": _(
                "error_reply_before_issue", default="A reply deadline cannot be before the issue date.")})
            continue
        clean[key] = day
    if errors:
        raise QlvbError(_("error_reply_deadlines_invalid", default="Nothing was changed: please correct "
                          "the reply deadlines."), errors)

    def work():
        for key, day in clean.items():
            store[key]["reply_due"] = day.isoformat() if day else None
            add_trail(doc, "reply_deadline", f"{store[key]['agency_name']}: {fmt_date(day) or '-'}",
                      recipient=key)
        reindex(doc)
        return summary(doc)

    return run_in_transaction(work, note="qlvb: reply deadlines")


def _parse(raw):
    if isinstance(raw, datetime.date):
        return raw
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


# ---------------------------------------------------------------- replies arriving


def _link(outgoing_doc, entry, incoming_doc, how):
    from dongthap.qlvb.documents.trail import add_trail

    link = {"uid": api.content.get_uuid(incoming_doc),
            "notation": "/".join(x for x in (incoming_doc.code_number, incoming_doc.code_notation) if x),
            "title": incoming_doc.title, "arrived_at": now().isoformat(timespec="seconds"), "how": how}
    entry["reply_received"] = link
    links = getattr(incoming_doc, REPLIED_BY_ATTR, None)
    if links is None:
        links = PersistentList()
        setattr(incoming_doc, REPLIED_BY_ATTR, links)
    links.append({"uid": api.content.get_uuid(outgoing_doc), "notation": outgoing_doc.notation(),
                  "title": outgoing_doc.title})
    add_trail(outgoing_doc, "reply_received", f"{entry['agency_name']}: {link['notation']}",
              reply_uid=link["uid"])
    reindex(outgoing_doc)
    logger.info("reply %s linked to %s (%s)", link["notation"], outgoing_doc.notation(), how)


def link_internal_arrival(reply_doc, copy):
    """``copy`` (our incoming copy of another agency's ``reply_doc``) answers one of our documents."""
    from dongthap.qlvb.outgoing import delivery

    ours = get_agency(copy).getPhysicalPath()
    for uid in getattr(reply_doc, "in_reply_to", None) or ():
        answered = delivery._unrestricted(uid, "IncomingDocument")
        if answered is None:
            continue
        original, entry = delivery._entry_for_copy(answered)
        if entry is None or get_agency(original).getPhysicalPath() != ours:
            continue
        _link(original, entry, copy, "internal")


def link_axis_arrival(doc, agency, response_for, sender):
    """An incoming package of ``sender`` with ``ResponseFor`` DocumentIds: link the ones we sent it."""
    from dongthap.qlvb.exchange.storage import get_store
    from dongthap.qlvb.outgoing import delivery

    store = get_store(create=False)
    if store is None:
        return
    ours = agency.getPhysicalPath()
    for document_id in response_for or ():
        uids = {e.document_uid for e in store.entries_of(document_id=document_id) if e.document_uid}
        for uid in uids:
            original = delivery._unrestricted(uid, "OutgoingDocument")
            if original is None or get_agency(original).getPhysicalPath() != ours:
                continue
            entry = (delivery._store(original) or {}).get(f"external:{(sender or '').strip()}")
            if entry is not None:
                _link(original, entry, doc, "axis")


def awaiting_query(agency):
    """Catalog query of the issued documents of ``agency`` still awaiting a reply."""
    from dongthap.qlvb.outgoing.api import outgoing_root

    root = outgoing_root(agency)
    if root is None:
        return None
    return {"context": root, "portal_type": "OutgoingDocument",
            INDEX: {"query": datetime.date(1900, 1, 1), "range": "min"}}


def counts(agency, day=None):
    """``(total, overdue, due_soon)`` of the list "chờ trả lời" (what the user may see)."""
    query = awaiting_query(agency)
    if query is None:
        return 0, 0, 0
    from dongthap.qlvb.documents.queries import find

    day = day or today()
    total = len(find(**query))
    overdue = len(find(**dict(query, **{INDEX: {"query": day - datetime.timedelta(days=1),
                                                "range": "max"}})))
    soon = len(find(**dict(query, **{INDEX: {
        "query": (day, day + datetime.timedelta(days=SOON_DAYS)), "range": "min:max"}})))
    return total, overdue, soon



# ---------------------------------------------------------------- a reply linked by hand

#: incoming states in which a registered reply may be linked by hand
LINKABLE_STATES = ("registered", "assigned", "in_progress", "completed")


def may_link_by_hand(incoming_doc):
    """The clerk (or an administrator) of the agency holding ``incoming_doc``, once registered."""
    from dongthap.qlvb.security import roles as R

    roles = set(api.user.get_roles(obj=incoming_doc))
    return (api.content.get_state(incoming_doc, default="") in LINKABLE_STATES
            and bool(roles & {R.CLERK, "Manager", "Site Administrator"}))


def link_choices(incoming_doc):
    """The ``[{"value": "<uid>|<key>", "title"}]`` a hand-entered reply may answer: every recipient
    still awaited by an issued document of the same agency, earliest deadline first."""
    query = awaiting_query(get_agency(incoming_doc))
    if query is None:
        return []
    out = []
    for brain in api.content.find(**query):
        doc = brain._unrestrictedGetObject()
        for key, entry, due in awaiting(doc):
            out.append({"value": f"{brain.UID}|{key}", "due": due,
                        "title": f"{doc.notation()} – {entry['agency_name']} ({fmt_date(due)}): {doc.title}"})
    out.sort(key=lambda c: c["due"])
    return [{"value": c["value"], "title": c["title"]} for c in out]


def link_by_hand(incoming_doc, outgoing_uid, key):
    """The clerk links a reply entered by hand (paper, e-mail…) to the recipient ``key`` of the
    outgoing document ``outgoing_uid`` of his agency: the reply-deadline tracking counts it.
    Raises :class:`QlvbError` (403, 404, 409); returns :func:`summary` of the outgoing document."""
    from dongthap.qlvb.numbering import run_in_transaction
    from dongthap.qlvb.outgoing import delivery

    if not may_link_by_hand(incoming_doc):
        raise QlvbError(_("error_forbidden", default="You are not allowed to do this."), status=403)
    original = delivery._unrestricted(outgoing_uid, "OutgoingDocument") \
        if isinstance(outgoing_uid, str) and outgoing_uid else None
    if original is None or get_agency(original).getPhysicalPath() != \
            get_agency(incoming_doc).getPhysicalPath():
        message = _("error_reply_link_unknown", default="Choose an issued document of your agency.")
        raise QlvbError(message, [{"field": "outgoing", "message": message}], status=404)
    entry = (delivery._store(original) or {}).get(key) if isinstance(key, str) else None
    if entry is None or key not in {k for k, _e, _d in awaiting(original)}:
        message = _("error_reply_link_not_awaited",
                    default="No reply is awaited from this recipient of the document.")
        raise QlvbError(message, [{"field": "recipient", "message": message}], status=409)

    def work():
        _link(original, entry, incoming_doc, "hand")
        return summary(original)

    return run_in_transaction(work, note="qlvb: reply linked by hand")
