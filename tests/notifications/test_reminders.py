"""The reminder rules with a frozen clock; once per day; once per site (a ZODB lock)."""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.notifications import reminders
from plone import api
from tests.notifications.helpers import assign
from tests.notifications.helpers import create_registered
from tests.notifications.helpers import uid

from persistent import Persistent
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.interface import implementer

import datetime
import threading


@implementer(IAttributeAnnotatable)
class Site(Persistent):
    """Stands for the Plone site in the two-instance test (only its annotations are used)."""


def kinds(username):
    return sorted(i["kind"] for i in N.list_for(uid(username))["items"])


def texts(username, kind):
    return [i["text"] for i in N.list_for(uid(username))["items"] if i["kind"] == kind]


def _at(day, hour=8):
    return datetime.datetime.combine(day, datetime.time(hour))


def _doc_due_in(portal, days, **kw):
    doc = assign(create_registered(portal), days=days, fyi=(), **kw)
    store_boxes_clear(portal)
    return doc, incoming.now().date() + datetime.timedelta(days=days)


def store_boxes_clear(portal):
    from dongthap.qlvb.notifications import store

    store.boxes(portal, create=True).clear()


def _run(portal, frozen, when):
    now = frozen(when)
    with api.env.adopt_roles(["Manager"]):
        return reminders.run(portal, now, commit=False)


def test_nothing_before_the_due_soon_window(portal, frozen):
    _doc, due = _doc_due_in(portal, 5)
    counts = _run(portal, frozen, _at(due - datetime.timedelta(days=3)))
    assert counts["due_soon"] == 0 and counts["overdue"] == 0
    assert kinds("stttt.truongphong") == []


def test_due_soon_reminds_the_assignee_with_the_days_left(portal, frozen):
    doc, due = _doc_due_in(portal, 5)
    counts = _run(portal, frozen, _at(due - datetime.timedelta(days=2)))
    assert counts["due_soon"] == 1
    assert kinds("stttt.truongphong") == ["due_soon"]
    assert texts("stttt.truongphong", "due_soon") == [f"Còn 2 ngày đến hạn xử lý: {doc.Title()}"]
    assert kinds("stttt.lanhdao") == []  # not escalated before the deadline
    # on the deadline day: still due soon (0 days left)
    _run(portal, frozen, _at(due))
    assert texts("stttt.truongphong", "due_soon")[0].startswith("Còn 0 ngày")


def test_overdue_reminds_and_escalates_to_head_and_assigning_leader(portal, frozen):
    doc, due = _doc_due_in(portal, 5)
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.assign(doc, {"reassign": [{"user": "stttt.chuyenvien"}]})
    store_boxes_clear(portal)
    counts = _run(portal, frozen, _at(due + datetime.timedelta(days=3)))
    assert counts["overdue"] == 2  # the head's own entry and the specialist's
    assert kinds("stttt.chuyenvien") == ["overdue"]
    assert texts("stttt.chuyenvien", "overdue") == [f"Quá hạn xử lý 3 ngày: {doc.Title()}"]
    # the head: his own overdue entry, and the specialist's escalated to him
    assert kinds("stttt.truongphong") == ["overdue", "overdue_escalated"]
    # the leader who assigned the document: both entries escalated
    assert kinds("stttt.lanhdao") == ["overdue_escalated", "overdue_escalated"]
    person = api.user.get(username="stttt.chuyenvien").getProperty("fullname")
    assert any(f"cán bộ xử lý: {person}" in t for t in texts("stttt.lanhdao", "overdue_escalated"))


def test_completed_work_is_not_reminded(portal, frozen):
    doc, due = _doc_due_in(portal, 5)
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.record_progress(doc, "Đã xong", result=True)
        incoming.transition(doc, "complete", "")
    counts = _run(portal, frozen, _at(due + datetime.timedelta(days=1)))
    assert counts["overdue"] == 0 and kinds("stttt.truongphong") == []


def test_a_second_run_the_same_day_sends_nothing_new(portal, frozen):
    _doc, due = _doc_due_in(portal, 5)
    first = _run(portal, frozen, _at(due + datetime.timedelta(days=1)))
    second = _run(portal, frozen, _at(due + datetime.timedelta(days=1), hour=15))
    assert first["overdue"] == 1 and second["overdue"] == 0 and second["skipped"] >= 2
    assert kinds("stttt.truongphong") == ["overdue"]
    # the next day: reminded again
    third = _run(portal, frozen, _at(due + datetime.timedelta(days=2)))
    assert third["overdue"] == 1 and kinds("stttt.truongphong") == ["overdue", "overdue"]


def test_claim_once_per_day(portal, frozen):
    now = frozen(datetime.datetime(2030, 3, 2, 8))
    assert reminders.claim(portal, now, commit=False)
    assert not reminders.claim(portal, now, commit=False)  # claimed, still running
    reminders.state(portal).done_day = now.date().isoformat()
    later = now + datetime.timedelta(hours=3)
    assert not reminders.claim(portal, later, commit=False)  # done today
    assert reminders.claim(portal, now + datetime.timedelta(days=1), commit=False)


def test_plan_rules_are_pure():
    today = datetime.date(2030, 5, 10)
    rows = [("u1", "/p/a", "VB A", "X", (("e1", "lead", "an", "cntt", "2030-05-12", "tp", "ld"),)),
            ("u2", "/p/b", "VB B", "X", (("e2", "coordinator", "binh", "", "2030-05-09", "ld", "ld"),)),
            ("u3", "/p/c", "VB C", "X", (("e3", "lead", "chi", "", "2030-05-20", "ld", "ld"),))]
    planned = [(key, kind, mapping) for key, _u, kind, _t, mapping, _e in reminders.plan(rows, today, 2)]
    assert planned == [("e1:due_soon:2030-05-10", "due_soon", {"days": "2"}),
                       ("e2:overdue:2030-05-10", "overdue", {"days": "1"}),
                       ("e2:escalated:2030-05-10", "overdue_escalated", {"days": "1"})]


def test_two_instances_claiming_together_conflict_and_one_wins():
    """Two connections (two instances) claim the same day: one commits, the other gets a conflict."""
    from zope.annotation.attribute import AttributeAnnotations
    from ZODB import DB
    from ZODB.MappingStorage import MappingStorage
    import transaction
    import zope.component

    zope.component.provideAdapter(AttributeAnnotations)
    db = DB(MappingStorage())
    tm = transaction.TransactionManager()
    conn = db.open(tm)
    conn.root()["site"] = Site()
    reminders.state(conn.root()["site"])
    tm.commit()
    conn.close()

    now = datetime.datetime(2030, 3, 2, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    ready = threading.Barrier(2)
    results = {}

    def instance(name, delay):
        c = db.open()  # the thread's own transaction manager
        site = c.root()["site"]
        reminders.state(site).day  # noqa: B018 - load the state before the other commits
        ready.wait()
        if delay:
            ready_first.wait()
        results[name] = reminders.claim(site, now)
        if not delay:
            ready_first.set()
        transaction.abort()
        c.close()

    ready_first = threading.Event()
    threads = [threading.Thread(target=instance, args=("a", False)),
               threading.Thread(target=instance, args=("b", True))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert results == {"a": True, "b": False}
    db.close()
