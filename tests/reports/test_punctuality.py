"""On time / late per person and department when incoming work is completed, and the work still open
past its deadline, with a frozen clock (issue 17 item 6): ``GET <agency>/@reports/punctuality``."""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.numbering import retry
from dongthap.qlvb.reports import punctuality
from dongthap.qlvb.reports.service import answer
from plone import api
from tests.delegation.helpers import registered

import datetime
import pytest

BASE = incoming.now().date()


@pytest.fixture
def portal(demo, monkeypatch):
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    with retry.savepoints_only():
        yield demo


def _freeze(monkeypatch, offset):
    from dongthap.qlvb.numbering import counter

    when = datetime.datetime.combine(BASE + datetime.timedelta(days=offset), datetime.time(10),
                                     tzinfo=counter.VIETNAM_OFFSET)
    monkeypatch.setattr(counter, "vietnam_now", lambda: when)


def _handled(portal, days, lead="stttt.truongphong", coordinator="stttt.chuyenvien"):
    doc = registered(portal)
    deadline = (BASE + datetime.timedelta(days=days)).isoformat()
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"user": lead, "department": "cntt", "deadline": deadline},
                              "coordinators": [{"user": coordinator, "deadline": deadline}]})
    return doc


def _complete(doc, user="stttt.truongphong"):
    with api.env.adopt_user(username=user):
        handling.record_progress(doc, "Đã trả lời", result=True)
        api.content.transition(obj=doc, transition="complete")


def test_completed_on_time_late_and_open_overdue_counted_per_person_and_unit(portal, monkeypatch):
    _freeze(monkeypatch, 0)
    early, late, still_open = _handled(portal, 2), _handled(portal, 2), _handled(portal, 1)
    _complete(early)  # day 0, deadline day 2: on time
    _freeze(monkeypatch, 4)
    _complete(late)  # day 4, deadline day 2: late
    assert {o[2] for o in punctuality.outcomes(early)} == {"on_time"}
    assert [(o[2], o[3]) for o in punctuality.outcomes(late)][0] == ("late", late_deadline(late))
    assert punctuality.outcomes(still_open) == ()
    with api.env.adopt_user(username="stttt.lanhdao"):
        data = answer(portal["so-tttt"], "punctuality", {})
    people = {p["user"]: p for p in data["people"]}
    assert people["stttt.truongphong"] == dict(people["stttt.truongphong"], on_time=1, late=1, overdue_open=1)
    assert people["stttt.chuyenvien"]["on_time"] == 1 and people["stttt.chuyenvien"]["late"] == 1
    [unit] = data["departments"]
    assert unit["department"] == "cntt" and (unit["on_time"], unit["late"], unit["overdue_open"]) == (1, 1, 1)
    assert data["totals"] == {"on_time": 2, "late": 2, "overdue_open": 2}
    # a period without completions counts only the open overdue work
    with api.env.adopt_user(username="stttt.lanhdao"):
        empty = answer(portal["so-tttt"], "punctuality", {"from": "01/01/2020", "to": "31/12/2020"})
    assert empty["totals"] == {"on_time": 0, "late": 0, "overdue_open": 2}


def late_deadline(doc):
    return (BASE + datetime.timedelta(days=2)).isoformat()


def test_only_leaders_and_unit_heads_see_it(portal):
    for user in ("stttt.chuyenvien", "stttt.vanthu", "snv.lanhdao"):
        with api.env.adopt_user(username=user), pytest.raises(QlvbError) as caught:
            answer(portal["so-tttt"], "punctuality", {})
        assert caught.value.status == 403, user
    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(QlvbError) as caught:
        answer(portal["so-tttt"], "punctuality", {"from": "31/02/2026"})
    assert caught.value.status == 400
