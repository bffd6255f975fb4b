"""Task reminders of the daily job, with a frozen clock; the completion day recorded on the task."""

from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.notifications import reminders
from dongthap.qlvb.tasks import api as tasks
from plone import api

import datetime


def _uid(username):
    return api.user.get(username=username).getId()


def _kinds(username):
    return sorted(i["kind"] for i in N.list_for(_uid(username))["items"])


def _give(portal, deadline, **raw):
    agency = portal["so-tttt"]
    data = {"title": "Báo cáo chuyển đổi số quý IV", "deadline": deadline.strftime("%d/%m/%Y"),
            "lead": {"user": "stttt.chuyenvien"}, "coordinators": ["stttt.truongphong"]}
    data.update(raw)
    with api.env.adopt_user(username="stttt.lanhdao"):
        result = tasks.create(agency, tasks.clean(agency, data))
    return portal.unrestrictedTraverse(result["path"])


def _run(portal, frozen, day):
    from dongthap.qlvb.notifications import store

    now = frozen(datetime.datetime.combine(day, datetime.time(8)))
    store.boxes(portal, create=True).clear()
    with api.env.adopt_roles(["Manager"]):
        return reminders.run(portal, now, commit=False)


def test_task_due_soon_then_overdue_once_a_day(portal, frozen):
    start = datetime.date(2031, 3, 2)
    frozen(datetime.datetime.combine(start, datetime.time(8)))
    task = _give(portal, start + datetime.timedelta(days=5))
    due = task.deadline
    # outside the due-soon window: nothing
    _run(portal, frozen, due - datetime.timedelta(days=4))
    assert _kinds("stttt.chuyenvien") == [] == _kinds("stttt.truongphong")
    # due in 2 days: lead and coordinator, not the giver
    counts = _run(portal, frozen, due - datetime.timedelta(days=2))
    assert counts["task_due_soon"] >= 1  # (the demo site's own tasks may be due then too)
    assert _kinds("stttt.chuyenvien") == ["task_due_soon"] == _kinds("stttt.truongphong")
    assert _kinds("stttt.lanhdao") == []
    text = N.list_for(_uid("stttt.chuyenvien"))["items"][0]["text"]
    assert "2 ngày" in text and "Báo cáo chuyển đổi số quý IV" in text
    # overdue: also the giver; run again the same day: nothing twice
    late = due + datetime.timedelta(days=3)
    _run(portal, frozen, late)
    assert _kinds("stttt.lanhdao") == ["task_overdue"]
    assert _kinds("stttt.chuyenvien") == ["task_overdue"] == _kinds("stttt.truongphong")
    with api.env.adopt_roles(["Manager"]):
        again = reminders.run(portal, frozen(datetime.datetime.combine(late, datetime.time(9))), commit=False)
    assert again["task_overdue"] == 0
    # completed late: recorded on the task, no more reminders
    with api.env.adopt_user(username="stttt.chuyenvien"):
        tasks.complete(task, "Đã gửi báo cáo")
    assert task.completed_on == late and task.late is True
    _run(portal, frozen, late + datetime.timedelta(days=1))
    assert _kinds("stttt.chuyenvien") == [] == _kinds("stttt.lanhdao")


def test_completed_on_time_and_department_lead_is_reminded(portal, frozen):
    start = datetime.date(2031, 5, 4)
    frozen(datetime.datetime.combine(start, datetime.time(8)))
    dept = next(d for d in portal["so-tttt"].objectValues() if d.portal_type == "Department")
    task = _give(portal, start + datetime.timedelta(days=1), lead={"department": dept.getId()},
                 coordinators=[])
    assert "task_lead" in _kinds("stttt.chuyenvien")  # the demo specialist is in every department
    _run(portal, frozen, start + datetime.timedelta(days=1))
    assert _kinds("stttt.chuyenvien") == ["task_due_soon"]
    with api.env.adopt_user(username="stttt.chuyenvien"):
        tasks.report_progress(task, 50, "Đang tổng hợp")
        tasks.complete(task)
    assert task.completed_on == task.deadline and task.late is False  # on the deadline day: on time
    assert api.content.get_state(task) == "done"
