"""Reminders of tasks, run by the daily reminder job (``notifications/reminders.py``).

For every open task whose deadline is within ``QLVB_REMINDER_DUE_SOON_DAYS`` days (read from the
catalog: columns ``qlvb_task_people``, ``qlvb_task_assigner``, ``qlvb_task_deadline``; no task is woken):

* **due soon** (today up to the limit): the lead and coordinators (``task_due_soon``);
* **overdue**: the lead and coordinators, and whoever gave it (``task_overdue``).

Each reminder has a key (task, rule, day): a run done again the same day sends nothing twice.
"""

from __future__ import annotations

import datetime

OPEN_STATES = ("assigned", "in_progress", "extension_requested")


def plan(rows, today, soon_days):
    """``(key, [principals], kind, target, mapping)`` of rows ``(uid, path, title, people, assigner,
    deadline)``; pure (tested with a frozen day)."""
    day = today.isoformat()
    for uid, path, title, people, assigner, deadline in rows:
        if not isinstance(deadline, datetime.date):
            continue
        left = (deadline - today).days
        target = (uid, path, title, "")
        if 0 <= left <= soon_days:
            yield f"task:{uid}:due_soon:{day}", list(people), "task_due_soon", target, {"days": str(left)}
        elif left < 0:
            yield (f"task:{uid}:overdue:{day}", [*people, assigner], "task_overdue", target,
                   {"days": str(-left)})


def catalog_rows(catalog, today, soon_days):
    limit = today + datetime.timedelta(days=soon_days)
    for brain in catalog.unrestrictedSearchResults(portal_type="Task", review_state=OPEN_STATES,
                                                   qlvb_task_deadline={"query": limit, "range": "max"}):
        yield (brain.UID, brain.getPath(), brain.Title, tuple(brain.qlvb_task_people or ()),
               brain.qlvb_task_assigner, brain.qlvb_task_deadline)


def send(site, now, sent, deliver, soon_days) -> dict:
    """Deliver today's task reminders not yet in ``sent`` (a set of keys, updated)."""
    from dongthap.qlvb.agencies.api import group_members
    from plone import api

    counts = {"task_due_soon": 0, "task_overdue": 0}
    members = {}

    def expand(principals):
        users = set()
        for principal in principals:
            if not principal:
                continue
            if principal not in members:
                found = group_members(principal)
                members[principal] = found or {principal}
            users |= members[principal]
        return sorted(users)

    rows = catalog_rows(api.portal.get_tool("portal_catalog"), now.date(), soon_days)
    for key, principals, kind, target, mapping in plan(rows, now.date(), soon_days):
        if key in sent:
            continue
        users = expand(principals)
        if users:
            deliver(users, kind, target, mapping)
            counts[kind] += 1
        sent.insert(key)
    return counts
