"""The catalog values the reports count on (``qlvb_report_*``), so that no report wakes a document.

==========================  ============  ====================================================
index                       kind          value
==========================  ============  ====================================================
``qlvb_report_agency``      FieldIndex    UID of the agency the document belongs to
``qlvb_report_day``         FieldIndex    day of the register entry (arrival of an incoming
                                          document, issue of an outgoing one), Vietnam time
``qlvb_channel``            KeywordIndex  incoming: its source (``paper``, ``internal``,
                                          ``axis``, ``email``); issued outgoing: ``internal``
                                          and/or ``axis`` by its recipients, else ``paper``
``qlvb_medium``             FieldIndex    ``electronic`` or ``paper`` (paper = only paper)
``qlvb_completed_day``      FieldIndex    incoming: the day it was completed (completed,
                                          archived); outgoing: the day it was issued
``qlvb_on_time``            FieldIndex    for a completed document: done by its deadline
                                          (the earliest deadline of the handling entries
                                          still running that day, else its due date; none =
                                          on time)
``qlvb_report_deadline``    FieldIndex    the deadline: of a completed document the one it had
                                          to meet (above), of an open one the current one
                                          (incoming: as ``qlvb_deadline``; outgoing: the
                                          earliest deadline of the documents it answers)
``qlvb_report_handlers``    KeywordIndex  ``u:<userid>`` and ``d:<department id>`` of the lead
                                          and coordinating entries of its assignment (outgoing:
                                          the drafter and the drafting department)
==========================  ============  ====================================================

``qlvb_legal_validity`` (signing), ``qlvb_document_type``, ``qlvb_urgency`` and
``qlvb_deadline`` (desk) are used as they are. The values change with a transition
(:func:`reindex_after_transition`) and with the assignment.
"""

from dongthap.qlvb.content.documents import VIETNAM
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from plone.indexer import indexer

import datetime

#: every index of this module (catalog.xml, upgrade v1006_reports)
FIELD_INDEXES = ("qlvb_report_agency", "qlvb_report_day", "qlvb_medium", "qlvb_completed_day",
                 "qlvb_on_time", "qlvb_report_deadline")
KEYWORD_INDEXES = ("qlvb_channel", "qlvb_report_handlers")
REPORT_INDEXES = FIELD_INDEXES + KEYWORD_INDEXES
#: what an assignment change moves (incoming/handling.py reindexes them)
ASSIGNMENT_REPORT_INDEXES = ("qlvb_report_deadline", "qlvb_report_handlers")
#: the transition that completes a document of each kind, and the states it completes into
DONE = {"IncomingDocument": ("complete", ("completed", "archived")),
        "OutgoingDocument": ("issue", ("issued", "archived", "recalled"))}
ELECTRONIC_SOURCES = ("internal", "axis", "email")


def _agency(obj):
    from dongthap.qlvb.content.agency import IAgency

    node = obj
    while node is not None:
        if IAgency.providedBy(node):
            return node
        node = getattr(node, "__parent__", None) or getattr(node, "aq_parent", None)
    return None


def _day(value):
    if value is None:
        return None
    if hasattr(value, "asdatetime"):  # Zope DateTime
        value = value.asdatetime()
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            return value.date()
        return value.astimezone(VIETNAM).date()
    return value


def _history(obj):
    history = getattr(obj, "workflow_history", None) or {}
    for entries in history.values():
        return list(entries)
    return []


def completed_day(obj):
    """The day the document was completed (incoming) or issued (outgoing); None while open."""
    action, states = DONE.get(getattr(obj, "portal_type", ""), (None, ()))
    history = _history(obj)
    if not history or history[-1].get("review_state") not in states:
        return None
    for entry in reversed(history):
        if entry.get("action") == action:
            return _day(entry.get("time"))
    return None


def channels(obj):
    if obj.portal_type == "IncomingDocument":
        return [getattr(obj, "source", None) or "paper"]
    found = []
    if getattr(obj, "internal_recipients", None):
        found.append("internal")
    if getattr(obj, "external_recipients", None):
        found.append("axis")
    return found or ["paper"]


def handling_entries(obj):
    from dongthap.qlvb.incoming import assignment

    return [e for e in assignment.entries(obj) if e.get("kind") in ("lead", "coordinator")]


def reply_deadline(obj):
    """An outgoing document's deadline: the earliest deadline of the incoming documents it
    answers (``in_reply_to``), None when it answers none."""
    from dongthap.qlvb.desk.indexers import deadline_of
    from dongthap.qlvb.desk.indexers import NO_DEADLINE
    from plone import api

    uids = list(getattr(obj, "in_reply_to", None) or ())
    if not uids:
        return None
    days = []
    for brain in api.content.find(UID=uids, unrestricted=True):
        answered = brain._unrestrictedGetObject()
        done = completed_day(answered)
        day = deadline_on(answered, done) if done is not None else deadline_of(answered)
        if day and day != NO_DEADLINE:
            days.append(day)
    return min(days) if days else None


def current_deadline(obj):
    """The deadline of an open document (incoming: as the desk sorts it; outgoing: its reply's)."""
    if obj.portal_type == "OutgoingDocument":
        return reply_deadline(obj)
    from dongthap.qlvb.desk.indexers import deadline_of
    from dongthap.qlvb.desk.indexers import NO_DEADLINE

    day = deadline_of(obj)
    return None if day == NO_DEADLINE else day


def deadline_on(obj, day):
    """The deadline the document had to meet on ``day``: the earliest deadline of the handling
    entries still running that day (not ended before it), else its due date; None if none."""
    if obj.portal_type == "OutgoingDocument":
        return reply_deadline(obj)
    days = sorted(e["deadline"] for e in handling_entries(obj)
                  if e.get("deadline") and (e.get("active") or _day(e.get("ended_at")) is None
                                            or _day(e.get("ended_at")) >= day))
    if days:
        return datetime.date.fromisoformat(days[0])
    due = getattr(obj, "due_date", None)
    return _day(due)


@indexer(IQlvbDocument)
def qlvb_report_agency(obj):
    agency = _agency(obj)
    if agency is None:
        raise AttributeError("qlvb_report_agency")
    from plone.uuid.interfaces import IUUID

    return IUUID(agency, None)


@indexer(IQlvbDocument)
def qlvb_report_day(obj):
    day = obj.register_day()
    if day is None:
        raise AttributeError("qlvb_report_day")
    return day


@indexer(IQlvbDocument)
def qlvb_channel(obj):
    if obj.portal_type == "OutgoingDocument" and completed_day(obj) is None:
        raise AttributeError("qlvb_channel")  # not sent yet
    return channels(obj)


@indexer(IQlvbDocument)
def qlvb_medium(obj):
    if obj.portal_type == "OutgoingDocument" and completed_day(obj) is None:
        raise AttributeError("qlvb_medium")
    return "paper" if channels(obj) == ["paper"] else "electronic"


@indexer(IQlvbDocument)
def qlvb_completed_day(obj):
    day = completed_day(obj)
    if day is None:
        raise AttributeError("qlvb_completed_day")
    return day


@indexer(IQlvbDocument)
def qlvb_on_time(obj):
    day = completed_day(obj)
    if day is None:
        raise AttributeError("qlvb_on_time")
    deadline = deadline_on(obj, day)
    return deadline is None or day <= deadline


@indexer(IQlvbDocument)
def qlvb_report_deadline(obj):
    day = completed_day(obj)
    deadline = deadline_on(obj, day) if day is not None else current_deadline(obj)
    if deadline is None:
        raise AttributeError("qlvb_report_deadline")
    return deadline


@indexer(IQlvbDocument)
def qlvb_report_handlers(obj):
    values = set()
    if obj.portal_type == "OutgoingDocument":
        creators = getattr(obj, "creators", None) or ()
        values.update(f"u:{c}" for c in creators[:1])
        if getattr(obj, "drafting_department", None):
            values.add(f"d:{obj.drafting_department}")
    for entry in handling_entries(obj):
        if entry.get("user"):
            values.add(f"u:{entry['user']}")
        if entry.get("department"):
            values.add(f"d:{entry['department']}")
    return sorted(values)


def reindex_after_transition(obj, event):
    """A transition changes completion, channel and medium: reindex them (the workflow tool
    reindexes only its own variables)."""
    if getattr(event, "transition", None) is None:
        return
    obj.reindexObject(idxs=list(REPORT_INDEXES))
