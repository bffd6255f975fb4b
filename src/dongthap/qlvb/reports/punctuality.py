"""Handling on time or late, per person and per department (issue 17 item 6).

When an incoming document is completed, the catalog records, for every lead and coordination
entry of its assignment that had a deadline and was still running that day, whether the work
was done **on time** (completed on or before the deadline) or **late**: the metadata column
``qlvb_handling_outcomes`` (written by the reindex of the completing transition,
``reports/indexers.py: reindex_after_transition``). Open work past its deadline is read from
``qlvb_open_assignments`` (the reminder job's column). :func:`report` counts both per person
and per department without waking any document; ``GET <agency>/@reports/punctuality``
(``from``/``to`` or ``year``/``quarter`` as the other reports, ``department=``) answers it.
"""

from __future__ import annotations

from dongthap.qlvb.content.incoming import IIncomingDocument
from plone.indexer import indexer

import datetime

COLUMN = "qlvb_handling_outcomes"


def outcomes(obj):
    """``((user, department, "on_time"|"late", deadline ISO, completed ISO), …)`` of a completed
    incoming document; empty while it is open."""
    from dongthap.qlvb.reports.indexers import _day
    from dongthap.qlvb.reports.indexers import completed_day
    from dongthap.qlvb.reports.indexers import handling_entries

    if completed_day(obj) is None:
        return ()
    # the day of the trail entry "complete" (the system's clock, Vietnam time), else the workflow's
    done = next((_day(t.get("at")) for t in reversed(getattr(obj, "qlvb_trail", None) or ())
                 if t.get("action") == "complete"), None) or completed_day(obj)
    rows = []
    for entry in handling_entries(obj):
        if not entry.get("deadline") or not entry.get("user"):
            continue
        ended = _day(entry.get("ended_at")) if not entry.get("active") else None
        if ended is not None and ended < done:  # taken away before the end: not his result
            continue
        deadline = datetime.date.fromisoformat(entry["deadline"])
        rows.append((entry["user"], entry.get("department") or "",
                     "on_time" if done <= deadline else "late", entry["deadline"], done.isoformat()))
    return tuple(rows)


@indexer(IIncomingDocument)
def qlvb_handling_outcomes(obj):
    return outcomes(obj)


def _count(table, key, field):
    row = table.setdefault(key, {"on_time": 0, "late": 0, "overdue_open": 0})
    row[field] += 1


def report(agency, start, end, *, department=None, today=None):
    """``{"people": [...], "departments": [...], "totals": {...}}`` for the documents of
    ``agency`` completed between ``start`` and ``end`` (on time, late) and the work open
    past its deadline on ``today`` (overdue_open); only ``department`` when given."""
    from dongthap.qlvb.reports import api as R
    from plone import api

    today = today or R.today()
    catalog = api.portal.get_tool("portal_catalog")
    uid = api.content.get_uuid(agency)
    people, units = {}, {}
    done = catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument", qlvb_report_agency=uid,
        qlvb_completed_day={"query": (start, end), "range": "min:max"})
    for brain in done:
        for user, dept, outcome, _deadline, _completed in getattr(brain, COLUMN, None) or ():
            if department and dept != department:
                continue
            _count(people, user, outcome)
            if dept:
                _count(units, dept, outcome)
    running = catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument", qlvb_report_agency=uid, review_state=("assigned", "in_progress"))
    for brain in running:
        for _eid, _kind, user, dept, deadline, _by, _leader in brain.qlvb_open_assignments or ():
            if department and dept != department:
                continue
            if datetime.date.fromisoformat(deadline) < today:
                _count(people, user, "overdue_open")
                if dept:
                    _count(units, dept, "overdue_open")
    titles = {d: agency[d].title for d in units if d in agency.objectIds()}
    out_people = sorted(({"user": R._username(u), "fullname": R._fullname(u), **c}
                         for u, c in people.items()), key=lambda r: r["fullname"])
    out_units = sorted(({"department": d, "title": titles.get(d, d), **c} for d, c in units.items()),
                       key=lambda r: r["title"])
    totals = {k: sum(r[k] for r in out_people) for k in ("on_time", "late", "overdue_open")}
    return {"start": start.isoformat(), "end": end.isoformat(), "day": today.isoformat(),
            "department": department, "people": out_people, "departments": out_units, "totals": totals}
