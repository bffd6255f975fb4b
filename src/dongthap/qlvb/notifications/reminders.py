"""The daily reminder job (nhắc việc): due-soon and overdue work, escalation, digests, dossiers.

Rules, for every active lead/coordination entry with a deadline of an incoming document in
handling (read from the catalog metadata ``qlvb_open_assignments``, no document is woken):

* **due soon** — the deadline is today or within ``QLVB_REMINDER_DUE_SOON_DAYS`` days: the
  assignee is reminded (``due_soon``, with the days left);
* **overdue** — the deadline has passed: the assignee is reminded (``overdue``) and the work is
  escalated (``overdue_escalated``) to the head of the entry's department (unless he is the
  assignee) and to the leader who assigned the document;
* **dossier due** — a dossier of an agency due for transfer to the agency archive within 30
  days (weekly) or overdue (daily): its records managers;
* **tasks** — open tasks due soon or overdue (``tasks/reminders.py``): their lead and
  coordinators, and for an overdue task whoever gave it (``task_due_soon``, ``task_overdue``);
* **digest** — people who chose the daily digest get one e-mail of the day's notifications.

* **reply due soon / overdue** — an issued outgoing document still awaits the reply of a
  recipient (``outgoing/replies.py``: the recipient's own deadline or the document's
  ``due_date``; the catalog index ``qlvb_reply_due`` finds the documents): its drafter is
  reminded (``reply_due_soon`` within ``QLVB_REMINDER_DUE_SOON_DAYS`` days, ``reply_overdue``
  after), and for an overdue reply the signer too — one reminder per recipient and day;
* **delegations** — those that began or ended by the clock are logged and the delegate told
  (``delegation/``; the rights themselves are checked at each act, never by this job).

Once per site and day, whatever the number of instances: :func:`claim` writes the day into one
persistent object (no conflict resolution) and commits at once; two instances claiming
together conflict and the loser backs off. Idempotent: every reminder has a key
(entry, rule, person, day) kept for the day; a run that stopped half-way is simply run again
and sends only what is missing. Work is committed in batches.
"""

from __future__ import annotations

import datetime
import logging
import os
import socket

from BTrees.OOBTree import OOTreeSet
from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.notifications import settings
from dongthap.qlvb.notifications import store
from persistent import Persistent

logger = logging.getLogger("dongthap.qlvb.notifications")

BATCH = 500
CLAIM_TIMEOUT = datetime.timedelta(hours=1)


class ReminderState(Persistent):
    """The job's lock and the keys of the reminders sent today (one object: claims conflict)."""

    day = None  # ISO day of the last run claimed
    week = None  # ISO week of the weekly keys kept in ``weekly`` (dossier warnings)
    weekly = None
    claimed_at = None
    claimed_by = ""
    done_day = None

    def __init__(self):
        self.sent_day = None
        self.sent = OOTreeSet()


def state(site):
    root = store.root(site)
    found = root.get("reminders")
    if found is None:
        found = root["reminders"] = ReminderState()
    return found


def _now():
    from dongthap.qlvb.documents.common import now

    return now()


def claim(site, now=None, *, commit=True) -> bool:
    """Take the day's run for this instance; False when done or another instance runs it."""
    import transaction
    from ZODB.POSException import ConflictError

    now = now or _now()
    day = now.date().isoformat()
    st = state(site)
    if st.done_day == day:
        return False
    if st.day == day and st.claimed_at and \
            now - datetime.datetime.fromisoformat(st.claimed_at) < CLAIM_TIMEOUT:
        return False
    st.day = day
    st.claimed_at = now.isoformat()
    st.claimed_by = f"{socket.gethostname()}:{os.getpid()}"
    if st.sent_day != day:
        st.sent_day = day
        st.sent = OOTreeSet()
    if commit:
        try:
            transaction.commit()
        except ConflictError:
            transaction.abort()
            logger.info("reminders of %s: another instance took the run", day)
            return False
    return True


def plan(rows, today, soon_days):
    """The reminders of catalog rows ``(uid, path, title, agency path, open assignments)``.

    Yields ``(key, [userids], kind, row, mapping, entry)``; pure (unit-tested with a frozen day).
    """
    day = today.isoformat()
    for uid, path, title, agency, entries in rows:
        for entry in entries or ():
            entry_id, _kind, user, department, deadline, assigned_by, leader = entry
            try:
                due = datetime.date.fromisoformat(deadline)
            except (TypeError, ValueError):
                continue
            left = (due - today).days
            if 0 <= left <= soon_days:
                yield (f"{entry_id}:due_soon:{day}", [user], "due_soon",
                       (uid, path, title, agency), {"days": str(left)}, entry)
            elif left < 0:
                yield (f"{entry_id}:overdue:{day}", [user], "overdue",
                       (uid, path, title, agency), {"days": str(-left)}, entry)
                yield (f"{entry_id}:escalated:{day}", "escalate", "overdue_escalated",
                       (uid, path, title, agency), {"days": str(-left)}, entry)


def catalog_rows(catalog, today, soon_days):
    """Open incoming documents whose earliest deadline is at most ``soon_days`` away."""
    limit = today + datetime.timedelta(days=soon_days)
    brains = catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument", review_state=("assigned", "in_progress"),
        qlvb_deadline={"query": limit, "range": "max"})
    for brain in brains:
        path = brain.getPath()
        yield (brain.UID, path, brain.Title, path.rsplit("/van-ban-den/", 1)[0],
               brain.qlvb_open_assignments)


class Heads:
    """Department heads, found once per (agency path, department)."""

    def __init__(self, site):
        self.site = site
        self.cache = {}

    def __call__(self, agency_path, department):
        if not department:
            return None
        key = (agency_path, department)
        if key not in self.cache:
            self.cache[key] = self._find(agency_path, department)
        return self.cache[key]

    def _find(self, agency_path, department):
        from dongthap.qlvb.incoming.handling import department_head
        from plone import api

        agency = self.site.unrestrictedTraverse(agency_path, None)
        if agency is None or department not in agency.objectIds():
            return None
        username = department_head(agency, department)
        user = api.user.get(username=username) if username else None
        return user.getId() if user is not None else username


def _relative(site, path):
    prefix = "/".join(site.getPhysicalPath()) + "/"
    return path[len(prefix):] if path.startswith(prefix) else path


def run(site, now=None, *, rows=None, heads=None, commit=True, deliver=None, extras=True,
        fullname=None) -> dict:
    """Send today's reminders (the caller claimed the day, see :func:`claim`)."""
    import transaction
    from plone import api

    now = now or _now()
    today = now.date()
    soon = settings.due_soon_days()
    st = state(site)
    if st.sent_day != today.isoformat():
        st.sent_day = today.isoformat()
        st.sent = OOTreeSet()
    if rows is None:
        rows = catalog_rows(api.portal.get_tool("portal_catalog"), today, soon)
    heads = heads or Heads(site)
    deliver = deliver or (lambda users, kind, target, mapping: N.notify(
        users, kind, title=target[2], path=_relative(site, target[1]), uid=target[0],
        mapping=mapping, exclude_actor=False))
    counts = {"due_soon": 0, "overdue": 0, "overdue_escalated": 0, "skipped": 0, "dossier_due": 0,
              "digests": 0, "task_due_soon": 0, "task_overdue": 0}
    pending = 0
    for key, users, kind, target, mapping, entry in plan(rows, today, soon):
        if key in st.sent:
            counts["skipped"] += 1
            continue
        if users == "escalate":
            _eid, _kind, user, department, _deadline, assigned_by, leader = entry
            people = {heads(target[3], department), leader or assigned_by}
            users = sorted(u for u in people if u and u != user)
            mapping = dict(mapping, person=(fullname or _fullname)(user))
            if not users:
                st.sent.insert(key)
                continue
        deliver(users, kind, target, mapping)
        st.sent.insert(key)
        counts[kind] += 1
        pending += 1
        if commit and pending >= BATCH:
            transaction.commit()
            pending = 0
    if extras:  # replies, dossiers, tasks, delegations and digests (the benchmark's bare catalog has none)
        counts.update(_replies(site, today, soon, st, deliver))
        counts["dossier_due"] = _dossiers(site, now, st, deliver)
        counts.update(_tasks(site, now, st, deliver, soon))
        counts["delegations"] = _delegations(now)
        counts["digests"] = _digests(site, now)
    st.done_day = today.isoformat()
    if commit:
        transaction.commit()
    return counts


def _fullname(userid):
    from plone import api

    user = api.user.get(userid=userid)
    return (user.getProperty("fullname") or userid) if user is not None else userid


def _dossiers(site, now, st, deliver):
    from dongthap.qlvb.agencies.api import group_id, group_members
    from dongthap.qlvb.archive import api as archive
    from dongthap.qlvb.security import roles as R
    from plone import api

    count = 0
    week = "%d-W%02d" % now.isocalendar()[:2]
    # the warnings go once a week: their keys outlive the day's keys (``st.sent``) until the week ends
    if st.week != week or st.weekly is None:
        st.week = week
        st.weekly = OOTreeSet()
    weekly = st.weekly
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type="Agency"):
        agency = brain._unrestrictedGetObject()
        try:
            due = archive.transfer_due(agency, clock=lambda: now)
        except Exception:  # noqa: BLE001 - one agency's archive never stops the reminders
            logger.exception("reminders: dossiers of %s", brain.getPath())
            continue
        gid = group_id(agency, R.RECORDS_MANAGER)
        managers = sorted(group_members(gid)) if gid else []
        rows = [(r, f"{r['uid']}:dossier_warn:{week}") for r in due["warnings"]]
        rows += [(r, f"{r['uid']}:dossier_overdue:{now.date().isoformat()}")
                 for unit in due["overdue_by_unit"].values() for r in unit]
        for row, key in rows:
            if key in st.sent or key in weekly or not managers:
                continue
            dossier = api.content.get(UID=row["uid"])
            path = "/".join(dossier.getPhysicalPath()) if dossier is not None else ""
            due_text = datetime.date.fromisoformat(row["due"]).strftime("%d/%m/%Y")
            deliver(managers, "dossier_due", (row["uid"], path, row["title"], agency.agency_code),
                    {"due": due_text})
            (weekly if ":dossier_warn:" in key else st.sent).insert(key)
            count += 1
    return count


def _tasks(site, now, st, deliver, soon):
    from dongthap.qlvb.tasks import reminders as task_reminders

    try:
        return task_reminders.send(site, now, st.sent, deliver, soon)
    except Exception:  # noqa: BLE001 - the tasks never stop the other reminders
        logger.exception("reminders: tasks")
        return {}


def reply_plan(doc_rows, today, soon_days):
    """The reminders of awaited replies: rows ``(uid, path, title, drafter, signer, [(key, recipient
    name, deadline)])`` → ``(key, [userids], kind, target, mapping)``; pure."""
    day = today.isoformat()
    for uid, path, title, drafter, signer, waiting in doc_rows:
        for key, name, due in waiting:
            left = (due - today).days
            if 0 <= left <= soon_days:
                yield (f"{uid}:{key}:reply_due_soon:{day}", [drafter], "reply_due_soon",
                       (uid, path, title), {"days": str(left), "recipient": name})
            elif left < 0:
                yield (f"{uid}:{key}:reply_overdue:{day}", sorted({drafter, signer} - {None, ""}),
                       "reply_overdue", (uid, path, title), {"days": str(-left), "recipient": name})


def reply_rows(catalog, today, soon_days):
    """Issued outgoing documents whose earliest awaited reply is at most ``soon_days`` away."""
    from dongthap.qlvb.outgoing import replies

    limit = today + datetime.timedelta(days=soon_days)
    for brain in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument",
                                                   qlvb_reply_due={"query": limit, "range": "max"}):
        doc = brain._unrestrictedGetObject()
        waiting = [(key, entry.get("agency_name") or key, due) for key, entry, due in replies.awaiting(doc)]
        if waiting:
            yield (brain.UID, brain.getPath(), brain.Title, getattr(doc, "drafter", None),
                   getattr(doc, "signer", None), waiting)


def _replies(site, today, soon, st, deliver):
    from plone import api

    counts = {"reply_due_soon": 0, "reply_overdue": 0}
    rows = reply_rows(api.portal.get_tool("portal_catalog"), today, soon)
    for key, users, kind, target, mapping in reply_plan(rows, today, soon):
        if key in st.sent:
            continue
        users = [u for u in users if u]
        if users:
            deliver(users, kind, target, mapping)
            counts[kind] += 1
        st.sent.insert(key)
    return counts


def _delegations(now):
    """Delegations that began or ended by the clock: logged, the delegate told (``delegation/``).
    The rights themselves never wait for this job: they are checked at the time of each act."""
    from dongthap.qlvb.delegation import api as delegation
    from plone import api

    changed = 0
    for brain in api.portal.get_tool("portal_catalog").unrestrictedSearchResults(portal_type="Agency"):
        agency = brain._unrestrictedGetObject()
        try:
            done = delegation.tick(agency, now.date())
        except Exception:  # noqa: BLE001 - one agency never stops the reminders
            logger.exception("reminders: delegations of %s", brain.getPath())
            continue
        changed += done["started"] + done["ended"]
    return changed


def _digests(site, now):
    boxes = store.boxes(site) or {}
    sent = 0
    now_iso = now.isoformat()
    for userid, box in boxes.items():
        if not (box.prefs.get("digest") and box.prefs.get("email", True)):
            continue
        since = box.digest_at or (now - datetime.timedelta(days=1)).isoformat()
        if N.send_digest(userid, since, now_iso):
            sent += 1
        box.digest_at = now_iso
    return sent


def worker_round(site, now=None) -> dict:
    """One round of the worker: send queued mail; the day's reminders once it is time."""
    import transaction

    from dongthap.qlvb.notifications import mail

    result = {}
    now = now or _now()
    if now.hour >= settings.reminder_hour():
        transaction.begin()
        if claim(site, now):
            try:
                result["reminders"] = run(site, now)
            except Exception:  # noqa: BLE001 - retried by the next claim after the timeout
                transaction.abort()
                logger.exception("reminders: the run failed")
                result["reminders"] = {"error": True}
        else:
            transaction.abort()
    try:
        result["mail"] = mail.flush()
    except Exception:  # noqa: BLE001
        logger.exception("notification mail: flush failed")
        result["mail"] = {"error": True}
    return result
