"""A deadline is "sắp đến hạn" (due soon) from SOON_DAYS days before it up to the day itself,
"quá hạn" (overdue) from the day after: the badge of a row, the lists and the desk agree."""

from dongthap.qlvb.desk.views import desk_sections
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.incoming.handling import deadline_flags
from plone import api
from tests.incoming.helpers import payload
from tests.incoming.helpers import TINY_PDF

import datetime

DAY = datetime.date(2026, 12, 7)


def test_the_day_of_the_deadline_is_due_soon_not_overdue():
    days = {offset: deadline_flags(DAY + datetime.timedelta(days=offset), today=DAY)
            for offset in (-1, 0, 1, queries.SOON_DAYS, queries.SOON_DAYS + 1)}
    assert days == {-1: (True, False), 0: (False, True), 1: (False, True),
                    queries.SOON_DAYS: (False, True), queries.SOON_DAYS + 1: (False, False)}
    assert deadline_flags(DAY.isoformat(), today=DAY) == (False, True)  # ISO (assignment entries)


def test_due_today_in_the_rows_the_lists_and_the_desk(portal, frozen):
    agency = portal["so-tttt"]
    due = incoming.now().date() + datetime.timedelta(days=1)
    raw = payload(file=None, page_amount="1", title="Hạn xử lý hôm nay", code_number="HN1",
                  due_date=due.isoformat())
    raw["file"] = (TINY_PDF, "vb.pdf")
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.build_document(agency, incoming.clean(raw))
        doc = portal.unrestrictedTraverse(result["path"])
        incoming.transition(doc, "register", "")
    uid = doc.UID()

    def seen(day):
        frozen(datetime.datetime.combine(day, datetime.time(9, 0)))
        with api.env.adopt_user(username="stttt.lanhdao"):
            row = next(r for r in queries.waiting_assignment(agency, batch=(0, 500)) if r["uid"] == uid)
            lists = {key: uid in {r["uid"] for r in queries.deadline_list(agency, key, batch=(0, 500))}
                     for key in queries.DEADLINE_LISTS}
            sections = desk_sections(agency, "stttt.lanhdao", set(api.user.get_roles(obj=agency)),
                                     portal.REQUEST)
            counts = {i["key"]: i["count"] for s in sections for i in s["lists"]}
            totals = {key: queries.deadline_list(agency, key, batch=(0, 0)).total
                      for key in queries.DEADLINE_LISTS}
        assert {k: counts[k] for k in queries.DEADLINE_LISTS} == totals
        return (row["overdue"], row["due_soon"]), lists

    # the day of the deadline: due soon (badge and list), not overdue
    assert seen(due) == ((False, True), {"overdue": False, "due_soon": True})
    # the day after: overdue
    assert seen(due + datetime.timedelta(days=1)) == ((True, False), {"overdue": True, "due_soon": False})


def test_a_handling_deadline_today_before_the_due_date(portal):
    """The leader's lists go by the earliest handling deadline (index ``qlvb_deadline``): its row
    shows that deadline and its badge, not the document's later due date."""
    from dongthap.qlvb.incoming import handling

    agency = portal["so-tttt"]
    today = incoming.now().date()
    raw = payload(file=None, page_amount="1", title="Hạn xử lý trước hạn văn bản", code_number="HN2",
                  due_date=(today + datetime.timedelta(days=8)).isoformat())
    raw["file"] = (TINY_PDF, "vb.pdf")
    with api.env.adopt_user(username="stttt.vanthu"):
        doc = portal.unrestrictedTraverse(incoming.build_document(agency, incoming.clean(raw))["path"])
        incoming.transition(doc, "register", "")
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"user": "stttt.chuyenvien", "deadline": today.isoformat()}})
        for page in (queries.deadline_list(agency, "due_soon", batch=(0, 500)),
                     queries.all_documents(agency, batch=(0, 500))):
            row = next(r for r in page if r["uid"] == doc.UID())
            shown = today.strftime("%d/%m/%Y")
            assert (row["due_date"], row["overdue"], row["due_soon"]) == (shown, False, True)
