"""Integration tests of the incoming API: creation, validation, workflow, numbering, assignment."""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.numbering import counter
from plone import api
from tests.incoming.helpers import form_values
from tests.incoming.helpers import PDF
from tests.incoming.helpers import today

import datetime
import pytest


def can_view(username, doc):
    """Permission check without borg.localrole's per-request cache (one request per test here)."""
    from zope.annotation.interfaces import IAnnotations

    annotations = IAnnotations(doc.REQUEST)
    for key in [k for k in annotations if "borg.localrole" in str(k)]:
        del annotations[key]
    return api.user.has_permission("View", username=username, obj=doc)


def _create(portal, user="stttt.vanthu", register=False, **overrides):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username=user):
        values = incoming.clean(form_values(**overrides))
        result = incoming.create(agency, values, register=register)
    return portal.unrestrictedTraverse(result["path"]), result


def test_create_stores_in_yearly_btree_folder_with_system_id(portal):
    doc, result = _create(portal)
    year = str(counter.current_year())
    assert doc.aq_parent.getId() == year
    assert doc.aq_parent.aq_parent.getId() == "van-ban-den"
    assert doc.getId().startswith("vbd-") and len(doc.getId()) == 14
    assert api.content.get_state(doc) == "received"
    assert doc.arrival_number is None and doc.arrival_date is not None
    assert doc.file.data == PDF
    assert doc.page_amount == 1
    assert result["warnings"] == []
    assert doc.aq_parent.getOrdering().__class__.__name__ == "UnorderedOrdering"
    assert doc.aq_parent.exclude_from_nav


def test_register_numbers_continuously(portal):
    start = counter.peek_number(portal["so-tttt"], counter.INCOMING)
    docs = [_create(portal)[0] for _i in range(3)]
    with api.env.adopt_user(username="stttt.vanthu"):
        numbers = [incoming.transition(d, "register")["arrival_number"] for d in docs]
    assert numbers == [start + 1, start + 2, start + 3]
    other, _r = _create(portal, register=True)
    assert other.arrival_number == start + 4
    assert counter.peek_number(portal["so-tttt"], counter.INCOMING) == start + 4
    # each agency has its own register
    snv_start = counter.peek_number(portal["so-noi-vu"], counter.INCOMING)
    with api.env.adopt_user(username="snv.vanthu"):
        values = incoming.clean(form_values())
        res = incoming.create(portal["so-noi-vu"], values, register=True)
    assert res["arrival_number"] == snv_start + 1


def test_duplicate_is_a_warning_not_a_block(portal):
    _d, first = _create(portal, register=True, code_number="05")
    assert first["warnings"] == []
    doc, second = _create(portal, register=True, code_number="5", code_notation="ubnd-vp ")
    assert doc.arrival_number == first["arrival_number"] + 1
    assert len(second["warnings"]) == 1
    assert str(first["arrival_number"]) in second["warnings"][0].mapping["numbers"]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"title": ""}, "title"),
        ({"code_number": None}, "code_number"),
        ({"issuing_agency_name": "  "}, "issuing_agency_name"),
        ({"document_type": "van_ban_la"}, "document_type"),
        ({"urgency": "rat_gap"}, "urgency"),
        ({"issued_date": (today() + datetime.timedelta(days=1)).isoformat()}, "issued_date"),
        ({"due_date": (today() - datetime.timedelta(days=1)).isoformat()}, "due_date"),
        ({"issued_date": "31/02/2026"}, "issued_date"),
        ({"file": None}, "file"),
        ({"file": (b"PK\x03\x04 this is a zip, not a PDF", "fake.pdf")}, "file"),
    ],
)
def test_bad_input_creates_nothing(portal, overrides, field):
    agency = portal["so-tttt"]
    before = len(api.content.find(context=agency, portal_type="IncomingDocument", unrestricted=True))
    number = counter.peek_number(agency, counter.INCOMING)
    with api.env.adopt_user(username="stttt.vanthu"):
        with pytest.raises(incoming.IncomingError) as info:
            incoming.create(agency, incoming.clean(form_values(**overrides)), register=True)
    assert field in {e["field"] for e in info.value.errors}
    after = len(api.content.find(context=agency, portal_type="IncomingDocument", unrestricted=True))
    assert after == before
    assert counter.peek_number(agency, counter.INCOMING) == number


def test_year_rolls_over_in_vietnam_time():
    from zoneinfo import ZoneInfo

    utc = ZoneInfo("UTC")
    # 31/12/2026 17:30 UTC is already 1 January 2027 00:30 in Vietnam
    assert counter.current_year(datetime.datetime(2026, 12, 31, 17, 30, tzinfo=utc)) == 2027
    assert counter.current_year(datetime.datetime(2026, 12, 31, 16, 59, tzinfo=utc)) == 2026
    with pytest.raises(ValueError):
        counter.current_year(datetime.datetime(2026, 12, 31, 17, 30))


def test_counter_restarts_each_year(portal):
    agency = portal["so-tttt"]
    vn = counter.VIETNAM
    dt = datetime.datetime
    assert counter.next_number(agency, "test", dt(2026, 12, 31, 23, 59, tzinfo=vn)) == (2026, 1)
    assert counter.next_number(agency, "test", dt(2026, 12, 31, 23, 59, tzinfo=vn)) == (2026, 2)
    assert counter.next_number(agency, "test", dt(2027, 1, 1, 0, 0, tzinfo=vn)) == (2027, 1)


def test_refuse_needs_a_reason(portal):
    doc, _r = _create(portal)
    with api.env.adopt_user(username="stttt.vanthu"):
        with pytest.raises(incoming.IncomingError):
            incoming.transition(doc, "refuse", "  ")
        assert api.content.get_state(doc) == "received"
        incoming.transition(doc, "refuse", "Gửi nhầm cơ quan")
    assert api.content.get_state(doc) == "refused"
    history = doc.workflow_history["qlvb_incoming_workflow"][-1]
    assert history["comments"] == "Gửi nhầm cơ quan" and history["actor"]
    assert doc.qlvb_trail[-1]["action"] == "refuse"


def _assigned(portal):
    doc, _r = _create(portal, register=True)
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {
            "lead": {"user": "stttt.truongphong", "department": "cntt",
                     "deadline": (today() + datetime.timedelta(days=5)).isoformat()},
            "fyi": ["stttt.luutru"],
            "direction": "Phòng CNTT chủ trì tham mưu",
        })
    return doc


def test_assignment_grants_and_removes_access(portal):
    doc = _assigned(portal)
    assert api.content.get_state(doc) == "assigned"
    roles = dict(doc.get_local_roles())
    head = api.user.get(username="stttt.truongphong").getId()
    assert set(roles[head]) == {"QlvbAssignee", "QlvbHandler", "QlvbLeadHandler"}
    assert can_view("stttt.truongphong", doc)
    assert not can_view("stttt.chuyenvien", doc)
    # the department head re-assigns within the department
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.assign(doc, {"reassign": [{"user": "stttt.chuyenvien"}]})
    assert can_view("stttt.chuyenvien", doc)
    with api.env.adopt_user(username="stttt.chuyenvien"):
        rows = queries.my_work(portal["so-tttt"], api.user.get(username="stttt.chuyenvien").getId())
        assert [r["uid"] for r in rows] == [api.content.get_uuid(doc)]
        handling.record_progress(doc, "Đang dự thảo báo cáo")
    assert api.content.get_state(doc) == "in_progress"
    specialist = api.user.get(username="stttt.chuyenvien").getId()
    entry = next(e for e in doc.qlvb_assignment if e["user"] == specialist)
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.end_entry(doc, entry["id"])
    assert not can_view("stttt.chuyenvien", doc)
    with api.env.adopt_user(username="stttt.truongphong"):
        incoming.transition(doc, "complete", "Đã trả lời")
    assert api.content.get_state(doc) == "completed"
    assert not can_view("stttt.truongphong", doc)
    assert can_view("stttt.luutru", doc)


def test_registers_rows(portal):
    doc = _assigned(portal)
    agency = portal["so-tttt"]
    rows = queries.register_rows(agency, today(), today())
    numbers = [r["arrival_number"] for r in rows]
    assert numbers == sorted(numbers) and doc.arrival_number in numbers
    row = next(r for r in rows if r["arrival_number"] == doc.arrival_number)
    assert row["notation"] == "15/UBND-VP"
    assert row["arrival_date"] == today().strftime("%d/%m/%Y")
    assert "Phòng Công nghệ thông tin" in row["recipient"]
    tracking = next(r for r in queries.tracking_rows(agency) if r["arrival_number"] == doc.arrival_number)
    assert tracking["document"].startswith("Công văn số 15/UBND-VP")
    assert queries.register_rows(agency, today() + datetime.timedelta(days=1)) == []
