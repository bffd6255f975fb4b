"""Department membership: members groups, the staff API, and what it narrows.

The demo's one head and one specialist of an agency work in all its
departments; these tests add people who belong to a single department and
check that membership, not just the role, decides re-assignment of incoming
documents and the first review level of outgoing drafts.
"""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.agencies import departments as D
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.numbering import retry
from dongthap.qlvb.outgoing import queries as out_queries
from dongthap.qlvb.security import roles as R
from plone import api
from zope.i18n import translate

import datetime
import pytest


@pytest.fixture
def portal(demo, monkeypatch):
    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    with retry.savepoints_only():
        yield demo


def _person(agency, username, fullname, roles, departments):
    with api.env.adopt_roles(["Manager"]):
        agencies.create_user(agency=agency, username=username, fullname=fullname,
                             email=f"{username}@example.invalid", password="MatKhau@2026",
                             roles=roles, departments=departments)
    return api.user.get(username=username).getId()


def _vi(message):
    return translate(message, target_language="vi")


def test_every_department_has_a_members_group(portal):
    agency = portal["so-tttt"]
    for did, dept in D.departments(agency).items():
        gid = D.members_group_id(dept)
        assert gid == f"qlvb-{agency.agency_code}-phong-{did}"
        assert api.group.get(groupname=gid) is not None
    # the group grants no role anywhere: roles stay on the agency's role groups
    gid = D.members_group_id(agency["cntt"])
    assert gid not in dict(agency.get_local_roles())
    assert gid not in dict(agency["cntt"].get_local_roles())


def test_new_renamed_and_deleted_department(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_roles(["Manager"]):
        dept = api.content.create(container=agency, type="Department", id="pc", title="Phòng Pháp chế",
                                  abbreviation="PC", safe_id=False)
        gid = D.members_group_id(dept)
        assert api.group.get(groupname=gid) is not None
        _person(agency, "stttt.phapche", "Lý Pháp Chế", [R.SPECIALIST], ["pc"])
        api.content.rename(obj=dept, new_id="phap-che")
        dept = agency["phap-che"]
        assert D.members_group_id(dept) == gid  # renaming keeps the members
        assert D.departments_of(agency=agency, userid="stttt.phapche") == ["phap-che"]
        api.content.delete(obj=dept)
    assert api.group.get(groupname=gid) is None


def test_set_departments_and_errors(portal):
    agency = portal["so-tttt"]
    userid = _person(agency, "stttt.bcvt1", "Đỗ Bưu Chính", [R.SPECIALIST], ["bcvt"])
    assert D.departments_of(agency=agency, userid=userid) == ["bcvt"]
    staff = {m["username"]: m for m in agencies.list_staff(agency=agency)}
    assert staff["stttt.bcvt1"]["departments"] == ["bcvt"]
    assert staff["stttt.bcvt1"]["department_titles"] == ["Phòng Bưu chính - Viễn thông"]
    D.set_departments(agency=agency, username="stttt.bcvt1", department_ids=["vp", "cntt"])
    assert D.departments_of(agency=agency, userid=userid) == ["vp", "cntt"]
    with pytest.raises(agencies.StaffError) as err:
        D.set_departments(agency=agency, username="stttt.bcvt1", department_ids=["khong-co"])
    assert _vi(err.value.message) == "Không có phòng, ban: khong-co."
    assert D.departments_of(agency=agency, userid=userid) == ["vp", "cntt"]  # unchanged
    # staff of another agency cannot be put in our departments
    with pytest.raises(agencies.StaffError) as err:
        D.set_departments(agency=agency, username="snv.chuyenvien", department_ids=["vp"])
    assert "không phải là cán bộ" in _vi(err.value.message)
    # an unknown department refuses the whole account creation: nothing half-created
    with pytest.raises(agencies.StaffError), api.env.adopt_roles(["Manager"]):
        agencies.create_user(agency=agency, username="stttt.nuaduong", fullname="X",
                             email="x@example.invalid", password="MatKhau@2026",
                             roles=[R.SPECIALIST], departments=["khong-co"])
    assert api.user.get(username="stttt.nuaduong") is None
    # losing every role in the agency also ends the department memberships
    agencies.unassign(agency=agency, username="stttt.bcvt1")
    assert D.departments_of(agency=agency, userid=userid) == []


# ------------------------------------------------------------ incoming documents


def _registered(portal):
    from tests.incoming.helpers import form_values

    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(portal["so-tttt"], incoming.clean(form_values()), register=True)
    return portal.unrestrictedTraverse(result["path"])


def _deadline():
    return (datetime.date.today() + datetime.timedelta(days=5)).isoformat()


def test_lead_department_needs_a_head_of_that_department(portal):
    agency = portal["so-tttt"]
    _person(agency, "stttt.tp_bcvt", "Phan Trưởng Bưu", [R.DEPARTMENT_HEAD], ["bcvt"])
    doc = _registered(portal)
    with api.env.adopt_user(username="stttt.lanhdao"):
        with pytest.raises(incoming.IncomingError) as err:
            handling.assign(doc, {"lead": {"user": "stttt.tp_bcvt", "department": "cntt"}})
        messages = [_vi(e["message"]) for e in err.value.errors]
        assert messages == ["stttt.tp_bcvt không thuộc Phòng Công nghệ thông tin."]
        assert api.content.get_state(doc) == "registered" and not getattr(doc, "qlvb_assignment", None)
        # the form offers, per department, the heads who belong to it
        view = api.content.get_view("phan-cong", doc, doc.REQUEST)
        groups = {g["id"]: {m["username"] for m in g["heads"]} for g in view.heads_by_department()}
        assert groups == {"vp": {"stttt.truongphong"}, "cntt": {"stttt.truongphong"},
                          "bcvt": {"stttt.truongphong", "stttt.tp_bcvt"}}
        html = view()
        assert 'label="Phòng Bưu chính - Viễn thông"' in html and 'label="Tất cả cán bộ"' in html
        handling.assign(doc, {"lead": {"user": "stttt.tp_bcvt", "department": "bcvt",
                                       "deadline": _deadline()}})
    assert api.content.get_state(doc) == "assigned"


def test_department_head_reassigns_only_within_his_department(portal):
    agency = portal["so-tttt"]
    _person(agency, "stttt.tp_bcvt", "Phan Trưởng Bưu", [R.DEPARTMENT_HEAD], ["bcvt"])
    in_dept = _person(agency, "stttt.cv_bcvt", "Võ Chuyên Bưu", [R.SPECIALIST], ["bcvt"])
    _person(agency, "stttt.cv_cntt", "Lâm Chuyên Tin", [R.SPECIALIST], ["cntt"])
    doc = _registered(portal)
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"user": "stttt.tp_bcvt", "department": "bcvt",
                                       "deadline": _deadline()}})
    with api.env.adopt_user(username="stttt.tp_bcvt"):
        # a specialist of another department: refused, nothing changed
        with pytest.raises(incoming.IncomingError) as err:
            handling.assign(doc, {"reassign": [{"user": "stttt.cv_cntt"}]})
        assert [_vi(e["message"]) for e in err.value.errors] == [
            "stttt.cv_cntt không thuộc Phòng Bưu chính - Viễn thông."]
        assert len(doc.qlvb_assignment) == 1
        # the form offers only the members of his department (the demo head and
        # specialist work in every department)
        view = api.content.get_view("phan-cong", doc, doc.REQUEST)
        offered = {m["username"] for m in view.specialists()}
        assert offered == {"stttt.cv_bcvt", "stttt.truongphong", "stttt.chuyenvien"}
        handling.assign(doc, {"reassign": ["stttt.cv_bcvt"]})
    entry = next(e for e in doc.qlvb_assignment if e["user"] == in_dept)
    assert entry["department"] == "bcvt" and entry["active"]
    assert "QlvbHandler" in dict(doc.get_local_roles())[in_dept]


# ------------------------------------------------------------ outgoing drafts


def _submitted_draft(portal, user, department, **overrides):
    from tests.outgoing.helpers import act
    from tests.outgoing.helpers import draft

    doc = draft(portal, user=user, drafting_department=department, **overrides)
    act(doc, user, "submit")
    return doc


def _can(user, doc, transition):
    with api.env.adopt_user(username=user):
        wf = api.portal.get_tool("portal_workflow")
        return transition in {t["id"] for t in wf.getTransitionsFor(doc)}


def test_first_review_level_belongs_to_the_drafting_departments_head(portal):
    from tests.outgoing.helpers import act

    agency = portal["so-tttt"]
    _person(agency, "stttt.tp_bcvt", "Phan Trưởng Bưu", [R.DEPARTMENT_HEAD], ["bcvt"])
    vp_head = _person(agency, "stttt.tp_vp", "Mai Chánh Văn", [R.DEPARTMENT_HEAD], ["vp"])
    doc = _submitted_draft(portal, "stttt.chuyenvien", "vp")
    assert doc.qlvb_review_departments == ["vp"]
    assert not _can("stttt.tp_bcvt", doc, "forward")
    assert _can("stttt.tp_vp", doc, "forward")
    assert _can("stttt.truongphong", doc, "forward")  # the demo head works in every department
    with api.env.adopt_user(username="stttt.tp_bcvt"):
        with pytest.raises(Exception):  # noqa: B017 - the workflow refuses, whatever its class
            api.content.transition(obj=doc, transition="forward")
    assert api.content.get_state(doc) == "pending_review" and doc.qlvb_review_index == 0
    # the "waiting for my review" list follows the same rule
    uid = api.content.get_uuid(doc)
    bcvt_id = api.user.get(username="stttt.tp_bcvt").getId()
    with api.env.adopt_user(username="stttt.tp_bcvt"):
        rows = out_queries.lists_for(agency, bcvt_id)["waiting_review"]
        assert uid not in [r["uid"] for r in rows]
    with api.env.adopt_user(username="stttt.tp_vp"):
        rows = out_queries.lists_for(agency, vp_head)["waiting_review"]
        assert uid in [r["uid"] for r in rows]
    act(doc, "stttt.tp_vp", "forward")
    assert doc.qlvb_review_index == 1


def test_without_drafting_department_the_drafters_department_reviews(portal):
    agency = portal["so-tttt"]
    _person(agency, "stttt.cv_bcvt", "Võ Chuyên Bưu", [R.SPECIALIST], ["bcvt"])
    _person(agency, "stttt.tp_bcvt", "Phan Trưởng Bưu", [R.DEPARTMENT_HEAD], ["bcvt"])
    _person(agency, "stttt.tp_vp", "Mai Chánh Văn", [R.DEPARTMENT_HEAD], ["vp"])
    # a decision (quyết định) has no department in its notation
    doc = _submitted_draft(portal, "stttt.cv_bcvt", None, document_type="quyet_dinh",
                           title="Quyết định thử")
    assert doc.qlvb_review_departments == ["bcvt"]
    assert _can("stttt.tp_bcvt", doc, "forward")
    assert not _can("stttt.tp_vp", doc, "forward")
    assert not _can("stttt.tp_vp", doc, "return")


def test_a_department_without_a_head_does_not_block_its_drafts(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=agency, type="Department", id="pc", title="Phòng Pháp chế",
                           abbreviation="PC", safe_id=False)
    _person(agency, "stttt.cv_pc", "Lý Pháp Chế", [R.SPECIALIST], ["pc"])
    _person(agency, "stttt.tp_bcvt", "Phan Trưởng Bưu", [R.DEPARTMENT_HEAD], ["bcvt"])
    doc = _submitted_draft(portal, "stttt.cv_pc", "pc")
    assert doc.qlvb_review_departments == []
    assert _can("stttt.tp_bcvt", doc, "forward")


def test_draft_form_proposes_the_drafters_own_department(portal):
    agency = portal["so-tttt"]
    _person(agency, "stttt.cv_bcvt", "Võ Chuyên Bưu", [R.SPECIALIST], ["bcvt"])
    request = portal.REQUEST
    request.method = "GET"
    with api.env.adopt_user(username="stttt.cv_bcvt"):
        view = api.content.get_view("soan-van-ban-di", agency, request)
        html = view()
    assert view.values["drafting_department"] == "bcvt"
    assert 'value="bcvt" selected' in html.replace('selected="selected"', "selected")
    with api.env.adopt_user(username="stttt.chuyenvien"):  # in every department: no guess
        view = api.content.get_view("soan-van-ban-di", agency, request)
        view()
    assert "drafting_department" not in view.values
