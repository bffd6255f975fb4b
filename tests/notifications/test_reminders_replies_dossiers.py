"""More reminder rules with a frozen clock: replies awaited for an issued outgoing document
(``qlvb_reply_due``) and dossiers due for transfer to the agency archive."""

from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.notifications import reminders
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import replies
from plone import api
from tests.notifications.helpers import uid
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft

import datetime

BASE = replies.today()


def _at(offset):
    return datetime.datetime.combine(BASE + datetime.timedelta(days=offset), datetime.time(8))


def _run(portal, frozen, offset):
    """The job as the worker runs it (its system user)."""
    from dongthap.qlvb.exchange.worker import system_user

    now = frozen(_at(offset))
    with system_user(portal):
        return reminders.run(portal, now, commit=False)


def _items(username, kind):
    return [i for i in N.list_for(uid(username))["items"] if i["kind"] == kind]


def _clear(portal):
    from dongthap.qlvb.notifications import store

    store.boxes(portal, create=True).clear()


def test_reply_deadlines_are_reminded_to_the_drafter_then_overdue_to_the_signer_too(portal, frozen):
    frozen(_at(0))
    doc = chain(draft(portal, recipients=("so-noi-vu", "so-tai-chinh")))
    keys = {e["agency_name"]: k for k, e in delivery._store(doc).items()}
    snv = next(k for name, k in keys.items() if "Nội vụ" in name)
    with api.env.adopt_user(username="stttt.vanthu"):
        replies.set_deadlines(doc, {snv: (BASE + datetime.timedelta(days=5)).strftime("%d/%m/%Y")})
    _clear(portal)
    assert _run(portal, frozen, 1)["reply_due_soon"] == 0  # 4 days left: not yet
    counts = _run(portal, frozen, 3)
    assert counts["reply_due_soon"] == 1 and counts["reply_overdue"] == 0
    [soon] = _items("stttt.chuyenvien", "reply_due_soon")
    assert "Sở Nội vụ" in soon["text"] and "2" in soon["text"] and soon["title"] == doc.title
    assert _items("stttt.lanhdao", "reply_due_soon") == []  # the signer is not bothered yet
    counts = _run(portal, frozen, 7)
    assert counts["reply_overdue"] == 1
    for user in ("stttt.chuyenvien", "stttt.lanhdao"):
        [late] = _items(user, "reply_overdue")
        assert "Sở Nội vụ" in late["text"] and "2" in late["text"]
    assert _run(portal, frozen, 7)["reply_overdue"] == 0  # once a day
    # the other recipient has no deadline and is never reminded
    assert all("Tài chính" not in i["text"] for i in N.list_for(uid("stttt.chuyenvien"))["items"])


def test_reply_received_or_recall_ends_the_reminders(portal, frozen):
    frozen(_at(0))
    doc = chain(draft(portal, recipients=("so-noi-vu",), due_date=BASE + datetime.timedelta(days=2)))
    _clear(portal)
    assert _run(portal, frozen, 1)["reply_due_soon"] == 1
    for entry in delivery._store(doc).values():
        entry["reply_received"] = {"notation": "05/SNV-VP"}
    replies.reindex(doc)
    counts = _run(portal, frozen, 4)
    assert counts["reply_due_soon"] == 0 and counts["reply_overdue"] == 0


def test_dossier_due_for_transfer_warns_weekly_then_daily_once_overdue(portal, frozen):
    agency = portal["so-tttt"]
    dossier = [b._unrestrictedGetObject() for b in api.portal.get_tool("portal_catalog")
               .unrestrictedSearchResults(portal_type="Dossier", path="/".join(agency.getPhysicalPath()))][0]
    # the work ended so that the dossier is due in the archive 20 days after BASE (one year later)
    dossier.end_date = (BASE + datetime.timedelta(days=20)).replace(year=BASE.year - 1)
    _clear(portal)
    assert _run(portal, frozen, -15)["dossier_due"] == 0  # 35 days before: no warning
    assert _run(portal, frozen, 0)["dossier_due"] == 1
    [warning] = _items("stttt.luutru", "dossier_due")
    due = dossier.end_date.replace(year=BASE.year).strftime("%d/%m/%Y")
    assert due in warning["text"] and dossier.title in warning["text"]
    assert _items("stttt.chuyenvien", "dossier_due") == []  # only the records managers
    same_week = next(d for d in (1, 2, 3, 4, 5, 6, -1, -2, -3, -4, -5, -6)
                     if _at(d).isocalendar()[:2] == _at(0).isocalendar()[:2])
    assert _run(portal, frozen, same_week)["dossier_due"] == 0  # weekly while warning
    assert _run(portal, frozen, 7)["dossier_due"] == 1  # the next week: again
    assert _run(portal, frozen, 21)["dossier_due"] == 1  # overdue: every day
    assert _run(portal, frozen, 22)["dossier_due"] == 1
