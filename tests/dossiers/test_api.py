"""Integration tests of the dossier API: schedule, dossiers, filing, lifecycle, roles."""

from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.dossiers.events import IDossierTransferred
from plone import api
from tests.dossiers.helpers import dossier_values
from tests.dossiers.helpers import fresh
from tests.dossiers.helpers import incoming_doc
from zope.component import getGlobalSiteManager

import datetime
import pytest

RM, LD, SP, CL = "stttt.luutru", "stttt.lanhdao", "stttt.chuyenvien", "stttt.vanthu"


def _open(portal, user=SP, agency="so-tttt", year=2042, **overrides):
    with api.env.adopt_user(username=user):
        values = dossiers.clean_dossier(dossier_values(**overrides), agency=portal[agency])
        return dossiers.create_dossier(portal[agency], values, year=year)


ROWS = [
    {"kind": "heading", "number": "I", "title": "Văn phòng"},
    {"kind": "entry", "notation": "01.VP", "title": "Hồ sơ tổ chức cán bộ", "retention": "permanent",
     "unit": "vp", "person": "Nguyễn Văn An"},
    {"kind": "entry", "notation": "02.VP", "title": "Hồ sơ thi đua khen thưởng", "retention": "10",
     "unit": "vp"},
    {"kind": "heading", "number": "II", "title": "Phòng Công nghệ thông tin"},
    {"kind": "entry", "notation": "01.CNTT", "title": "Hồ sơ chuyển đổi số", "retention": "20",
     "unit": "cntt"},
]


def test_schedule_draft_approve_copy_forward(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username=RM):
        draft = dossiers.save_schedule(agency, 2040, ROWS)
    assert draft["state"] == "draft" and len(draft["rows"]) == 5
    assert dossiers.schedule_totals(draft) == {"permanent": 1, "10": 1, "20": 1}
    # the records manager drafts, he does not approve; the leader approves, he does not draft
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError) as refused:
        dossiers.approve_schedule(agency, 2040)
    assert refused.value.status == 403
    with api.env.adopt_user(username=LD), pytest.raises(dossiers.DossierError) as refused:
        dossiers.save_schedule(agency, 2040, ROWS)
    assert refused.value.status == 403
    with api.env.adopt_user(username=LD):
        approved = dossiers.approve_schedule(agency, 2040)
    assert approved["state"] == "approved" and approved["approved_by"] == LD
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError) as refused:
        dossiers.save_schedule(agency, 2040, ROWS[:2])
    assert refused.value.status == 409
    assert len(dossiers.get_schedule(agency, 2040)["rows"]) == 5
    with api.env.adopt_user(username=RM):
        copied = dossiers.copy_forward(agency, 2040)
    assert copied["year"] == 2041 and copied["state"] == "draft" and copied["copied_from"] == 2040
    assert copied["rows"] == approved["rows"]
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError) as refused:
        dossiers.copy_forward(agency, 2040)
    assert refused.value.status == 409
    # the copy is a draft of its own: changing it leaves 2040 alone
    with api.env.adopt_user(username=RM):
        dossiers.save_schedule(agency, 2041, ROWS[:3])
    assert len(dossiers.get_schedule(agency, 2040)["rows"]) == 5
    assert {2040, 2041} <= set(dossiers.schedule_years(agency))


@pytest.mark.parametrize(("row", "field"), [
    ({"kind": "entry", "notation": "", "title": "x", "retention": "10"}, "rows.0.notation"),
    ({"kind": "entry", "notation": "01 VP", "title": "x", "retention": "10"}, "rows.0.notation"),
    ({"kind": "entry", "notation": "01.VP", "title": "x", "retention": "7"}, "rows.0.retention"),
    ({"kind": "entry", "notation": "01.VP", "title": "", "retention": "10"}, "rows.0.title"),
    ({"kind": "entry", "notation": "01.VP", "title": "x", "retention": "10", "unit": "khong-co"},
     "rows.0.unit"),
    ({"kind": "heading", "number": "A", "title": "x"}, "rows.0.number"),
    ({"kind": "bang", "title": "x"}, "rows.0.kind"),
])
def test_schedule_bad_rows_store_nothing(portal, row, field):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError) as refused:
        dossiers.save_schedule(agency, 2040, [row])
    assert field in [e["field"] for e in refused.value.errors]
    assert dossiers.get_schedule(agency, 2040) is None


def test_duplicate_notation_in_schedule(portal):
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError) as refused:
        dossiers.save_schedule(portal["so-tttt"], 2040, [ROWS[1], ROWS[1]])
    assert [e["field"] for e in refused.value.errors] == ["rows.1.notation"]


def test_dossier_storage_file_code_and_schedule_entry(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username=RM):
        dossiers.save_schedule(agency, 2040, ROWS)
    dossier = _open(portal, year=2040)
    assert dossier.aq_parent.getId() == "2040" and dossier.aq_parent.aq_parent.getId() == "ho-so"
    assert dossier.getId().startswith("hs-") and dossier.aq_parent.portal_type == "DossierFolder"
    assert dossier.file_code == "000.00.14.H20.2040.01.CNTT"
    assert dossier.schedule_entry == "01.CNTT" and dossier.responsible == SP
    assert api.content.get_state(dossier) == "open"
    # the file code is unique per agency and year
    with pytest.raises(dossiers.DossierError) as refused:
        _open(portal, year=2040)
    assert refused.value.errors[0]["field"] == "notation"
    other_year = _open(portal, year=2039)
    assert other_year.file_code == "000.00.14.H20.2039.01.CNTT"


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": ""}, "title"),
    ({"notation": "01/CNTT"}, "notation"),
    ({"retention": "3"}, "retention"),
    ({"access": "secret"}, "access"),
    ({"access": "restricted"}, "access_people"),
    ({"access": "restricted", "access_people": ["snv.chuyenvien"]}, "access_people"),
    ({"responsible": "snv.chuyenvien"}, "responsible"),
    ({"department": "khong-co"}, "department"),
    ({"start_date": "2040-05-02", "end_date": "2040-05-01"}, "end_date"),
    ({"start_date": "31/31/2040"}, "start_date"),
    ({"doc_total": 5}, "doc_total"),
])
def test_bad_dossier_input(portal, overrides, field):
    with api.env.adopt_user(username=SP), pytest.raises(dossiers.DossierError) as refused:
        dossiers.clean_dossier(dossier_values(**overrides), agency=portal["so-tttt"])
    assert field in [e["field"] for e in refused.value.errors]


def test_one_document_in_two_dossiers_with_its_ordinals(portal):
    first_doc = incoming_doc(portal, code_number="11")
    second_doc = incoming_doc(portal, code_number="12")
    a = _open(portal, notation="01.VP", title="Hồ sơ A")
    b = _open(portal, notation="02.VP", title="Hồ sơ B")
    uid1, uid2 = api.content.get_uuid(first_doc), api.content.get_uuid(second_doc)
    with api.env.adopt_user(username=CL):
        assert dossiers.file_documents(a, [uid1, uid2]) == {uid1: 1, uid2: 2}
        assert dossiers.file_documents(b, [uid2]) == {uid2: 1}
        assert dossiers.file_documents(b, [uid1]) == {uid1: 2}
        # filing again changes nothing
        assert dossiers.file_documents(a, [uid2]) == {uid2: 2}
        assert {br.UID for br in dossiers.dossiers_of(second_doc)} == {a.UID(), b.UID()}
    assert (a.doc_total, a.page_total, b.doc_total) == (2, 4, 2)
    # referenced, never copied: nothing was added inside the dossiers
    assert a.objectIds() == [] and b.objectIds() == []
    with api.env.adopt_user(username=CL):
        dossiers.unfile_documents(a, [uid1])
        assert [(r["ordinal"], r["uid"]) for r in dossiers.dossier_items(a)] == [(1, uid2)]
        assert [br.UID for br in dossiers.dossiers_of(first_doc)] == [b.UID()]
        unfiled = {br.UID for br in dossiers.unfiled_documents(portal["so-tttt"])}
    assert uid1 not in unfiled and uid2 not in unfiled
    with api.env.adopt_user(username=CL):
        dossiers.unfile_documents(b, [uid1])
        assert uid1 in {br.UID for br in dossiers.unfiled_documents(portal["so-tttt"])}


def test_filing_refuses_other_agencies_documents_and_stores_nothing(portal):
    own = incoming_doc(portal, code_number="21")
    foreign = incoming_doc(portal, agency="so-noi-vu", clerk="snv.vanthu", code_number="22")
    dossier = _open(portal)
    with api.env.adopt_user(username=CL), pytest.raises(dossiers.DossierError) as refused:
        dossiers.file_documents(dossier, [api.content.get_uuid(own), api.content.get_uuid(foreign)])
    assert refused.value.status == 400 and len(refused.value.errors) == 1
    assert dossier.qlvb_items == () and dossier.doc_total == 0
    with api.env.adopt_user(username=CL), pytest.raises(dossiers.DossierError):
        dossiers.file_documents(dossier, "not a list")


def test_close_rules_and_system_fill(portal):
    draft = incoming_doc(portal, register=False, code_number="31",
                         issued_date=(datetime.date.today() - datetime.timedelta(days=9)).isoformat())
    done = incoming_doc(portal, code_number="32",
                        issued_date=(datetime.date.today() - datetime.timedelta(days=5)).isoformat())
    dossier = _open(portal)
    with api.env.adopt_user(username=SP):
        with pytest.raises(dossiers.DossierError) as refused:
            dossiers.close_dossier(dossier)
        assert [e["field"] for e in refused.value.errors] == ["documents"]  # empty
        with api.env.adopt_user(username=CL):
            dossiers.file_documents(dossier, [api.content.get_uuid(done), api.content.get_uuid(draft)])
        with pytest.raises(dossiers.DossierError) as refused:
            dossiers.close_dossier(dossier)  # one is not registered yet
    assert "31" not in str(refused.value.errors) and len(refused.value.errors) == 1
    assert api.content.get_state(dossier) == "open"
    with api.env.adopt_user(username=CL):
        api.content.transition(obj=draft, transition="register")
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=SP):
        dossiers.close_dossier(dossier, "Kết thúc công việc")
    assert api.content.get_state(dossier) == "closed"
    # ordinals in chronological order, dates and totals filled by the system
    assert [i["uid"] for i in dossier.qlvb_items] == [api.content.get_uuid(draft), api.content.get_uuid(done)]
    assert dossier.start_date == draft.issued_date and dossier.end_date == done.issued_date
    assert (dossier.doc_total, dossier.page_total) == (2, 4)
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=CL), pytest.raises(dossiers.DossierError) as refused:
        dossiers.file_documents(dossier, [api.content.get_uuid(done)])
    assert refused.value.status in (403, 409)


def test_reopen_needs_a_reason_and_the_records_manager(portal):
    doc = incoming_doc(portal, code_number="41")
    dossier = _open(portal)
    with api.env.adopt_user(username=CL):
        dossiers.file_documents(dossier, [api.content.get_uuid(doc)])
    with api.env.adopt_user(username=SP):
        dossiers.close_dossier(dossier)
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=SP), pytest.raises(dossiers.DossierError) as refused:
        dossiers.reopen_dossier(dossier, "Bổ sung")
    assert refused.value.status == 403
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError) as refused:
        dossiers.reopen_dossier(dossier, "  ")
    assert refused.value.errors[0]["field"] == "reason"
    with api.env.adopt_user(username=RM):
        dossiers.reopen_dossier(dossier, "Bổ sung văn bản còn thiếu")
    assert api.content.get_state(dossier) == "open"
    assert dossiers.log_entries(dossier)[-1]["reason"] == "Bổ sung văn bản còn thiếu"
    assert dossiers.log_entries(dossier)[-1]["by"] == RM


def test_transfer_notifies_and_makes_read_only(portal):
    doc = incoming_doc(portal, code_number="51")
    dossier = _open(portal)
    seen = []
    gsm = getGlobalSiteManager()

    def handler(obj, event):
        seen.append((obj.getId(), event.comment))

    gsm.registerHandler(handler, (None, IDossierTransferred))
    try:
        with api.env.adopt_user(username=CL):
            dossiers.file_documents(dossier, [api.content.get_uuid(doc)])
        with api.env.adopt_user(username=SP):
            dossiers.close_dossier(dossier)
        fresh(portal.REQUEST)
        with api.env.adopt_user(username=SP), pytest.raises(dossiers.DossierError):
            dossiers.transfer_dossier(dossier)
        with api.env.adopt_user(username=RM):
            dossiers.transfer_dossier(dossier, "Nộp lưu năm 2041")
    finally:
        gsm.unregisterHandler(handler, (None, IDossierTransferred))
    assert seen == [(dossier.getId(), "Nộp lưu năm 2041")]
    fresh(portal.REQUEST)
    for user in (SP, RM):
        assert api.user.has_permission("View", username=user, obj=dossier)
        assert not api.user.has_permission("Modify portal content", username=user, obj=dossier)
    with api.env.adopt_user(username=RM), pytest.raises(dossiers.DossierError):
        dossiers.reopen_dossier(dossier, "x")


def test_permissions_per_role(portal):
    dossier = _open(portal)
    agency = portal["so-tttt"]
    fresh(portal.REQUEST)
    expect = {
        # role login: (view dossier, modify, file into, add dossier, manage schedule, approve schedule)
        "stttt.luutru": (True, True, True, True, True, False),
        "stttt.lanhdao": (True, False, True, True, False, True),
        "stttt.chuyenvien": (True, True, True, True, False, False),
        "stttt.truongphong": (True, False, True, True, False, False),
        "stttt.vanthu": (True, False, True, False, False, False),
        "snv.luutru": (False, False, False, False, False, False),
        "snv.lanhdao": (False, False, False, False, False, False),
    }
    got = {}
    for user in expect:
        got[user] = (
            api.user.has_permission("View", username=user, obj=dossier),
            api.user.has_permission("Modify portal content", username=user, obj=dossier),
            api.user.has_permission(dossiers.FILE_INTO, username=user, obj=dossier),
            api.user.has_permission(dossiers.ADD_DOSSIER, username=user, obj=agency),
            api.user.has_permission(dossiers.MANAGE_SCHEDULE, username=user, obj=agency),
            api.user.has_permission(dossiers.APPROVE_SCHEDULE, username=user, obj=agency),
        )
    assert got == expect


def test_restricted_dossier_is_seen_by_named_people_only(portal):
    dossier = _open(portal, access="restricted", access_people=["stttt.truongphong"])
    fresh(portal.REQUEST)
    assert api.user.has_permission("View", username="stttt.truongphong", obj=dossier)
    assert api.user.has_permission("View", username="stttt.chuyenvien", obj=dossier)  # responsible
    assert api.user.has_permission("View", username="stttt.luutru", obj=dossier)
    assert not api.user.has_permission("View", username="stttt.vanthu", obj=dossier)
    with api.env.adopt_user(username=SP):
        dossiers.update_dossier(dossier, {"access": "public", "access_people": []})
    fresh(portal.REQUEST)
    assert api.user.has_permission("View", username="stttt.vanthu", obj=dossier)


def test_record_uploaded_into_dossier_is_filed(portal):
    from plone.namedfile.file import NamedBlobFile
    from tests.incoming.helpers import PDF

    dossier = _open(portal)
    with api.env.adopt_user(username=SP):
        record = api.content.create(container=dossier, type="DossierRecord", title="Biên bản họp",
                                    issued_date=datetime.date.today(), page_amount=3,
                                    file=NamedBlobFile(PDF, filename="bien-ban.pdf"))
    assert [i["uid"] for i in dossier.qlvb_items] == [api.content.get_uuid(record)]
    assert (dossier.doc_total, dossier.page_total) == (1, 3)
    fresh(portal.REQUEST)
    assert not api.user.has_permission("Delete objects", username=SP, obj=dossier.aq_parent)
    with api.env.adopt_user(username=SP):  # the responsible person deletes a wrong upload
        api.content.delete(record)
    assert dossier.qlvb_items == () and dossier.doc_total == 0


def test_transitions_run_only_through_the_api(portal):
    """Plone's state menu offers no dossier transition: closing without the rules, reopening
    without a reason or transferring without the archive are impossible."""
    doc = incoming_doc(portal, code_number="61")
    dossier = _open(portal)
    wf = api.portal.get_tool("portal_workflow")
    with api.env.adopt_roles(["Manager"]):
        assert wf.getTransitionsFor(dossier) == ()
        with pytest.raises(Exception):  # noqa: B017 - plone.api's InvalidParameterError
            api.content.transition(obj=dossier, transition="close")
    assert api.content.get_state(dossier) == "open"
    with api.env.adopt_user(username=CL):
        dossiers.file_documents(dossier, [api.content.get_uuid(doc)])
    with api.env.adopt_user(username=RM):
        assert dossiers.allowed_transitions(dossier) == ["close"]
        dossiers.close_dossier(dossier)
        assert dossiers.allowed_transitions(dossier) == ["reopen", "transfer"]
    with api.env.adopt_roles(["Manager"]):
        assert wf.getTransitionsFor(dossier) == ()
    with api.env.adopt_user(username=SP):
        assert dossiers.allowed_transitions(dossier) == []


def test_records_of_a_closed_dossier_stay(portal):
    from plone.namedfile.file import NamedBlobFile
    from tests.incoming.helpers import PDF
    from zExceptions import Unauthorized

    dossier = _open(portal)
    with api.env.adopt_user(username=SP):
        record = api.content.create(container=dossier, type="DossierRecord", title="Báo cáo tổng kết",
                                    issued_date=datetime.date.today(),
                                    file=NamedBlobFile(PDF, filename="bao-cao.pdf"))
        dossiers.close_dossier(dossier)  # a record alone may be closed: the page count is read
    assert dossier.page_total == 1 and record.page_amount == 1
    fresh(portal.REQUEST)
    for user in (SP, RM):
        assert not api.user.has_permission("Delete objects", username=user, obj=record)
        with api.env.adopt_user(username=user), pytest.raises(Unauthorized):
            dossier.manage_delObjects([record.getId()])
    assert record.getId() in dossier.objectIds()
