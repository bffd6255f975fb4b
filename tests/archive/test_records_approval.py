"""The leader approves transfers; documents archived with a trail entry naming their dossier;
no filing of archived documents; the records side of the desk; the permission matrix of the
transfer; the 1005 → 1006 upgrade."""

from __future__ import annotations

import datetime

import pytest
from plone import api
from zope.component import getMultiAdapter

from dongthap.qlvb.archive import api as archive
from dongthap.qlvb.archive import retention as ret
from dongthap.qlvb.archive.desk import RecordsSection
from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.security import roles as R
from tests.archive.test_plone_archive import CL, LD, RM, SP, _transferred, closed_dossier, give_key
from tests.dossiers.helpers import dossier_values, fresh, incoming_doc


def _accepted_transfer(portal, agency, dossier):
    uid = api.content.get_uuid(dossier)
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=SP):
        transfer = archive.submit_transfer(agency, [uid])
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=LD):
        archive.approve_transfer(agency, transfer["id"])
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=RM):
        archive.accept_transfer(agency, transfer["id"])
    fresh(portal.REQUEST)
    return transfer["id"]


def test_documents_archived_with_their_dossier_show_it_in_their_history(portal):
    """Registered, assigned (in progress) and completed documents: each gets one trail entry
    "archive" naming the dossier, the transfer and the records manager who accepted it."""
    give_key(SP)
    give_key(RM)
    agency = portal["so-tttt"]
    registered = incoming_doc(portal, code_number="301", issued_date="2025-03-01")
    assigned = incoming_doc(portal, code_number="302", issued_date="2025-03-02")
    completed = incoming_doc(portal, code_number="303", issued_date="2025-03-03")
    with api.env.adopt_user(username=LD):
        handling.assign(assigned, {"lead": SP})
        handling.assign(completed, {"lead": SP})
        incoming.transition(completed, "complete", "Đã xong")
    assert [api.content.get_state(d) for d in (registered, assigned, completed)] == [
        "registered", "assigned", "completed"]
    docs = (registered, assigned, completed)  # completed: the workflow's own "archive" transition runs
    with api.env.adopt_user(username=SP):
        values = dossiers.clean_dossier(dossier_values(notation="30.TR"), agency=agency)
        dossier = dossiers.create_dossier(agency, values, year=2025)
    with api.env.adopt_user(username=CL):
        dossiers.file_documents(dossier, [api.content.get_uuid(d) for d in docs])
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=SP):
        dossiers.close_dossier(dossier)
    tid = _accepted_transfer(portal, agency, dossier)
    for doc in docs:
        assert api.content.get_state(doc) == "archived"
        archived = [e for e in doc.qlvb_trail if e["action"] == "archive"]
        assert len(archived) == 1, doc.qlvb_trail
        entry = archived[0]
        assert entry["dossier"] == dossier.file_code and entry["dossier_uid"] == api.content.get_uuid(dossier)
        assert entry["transfer"] == tid and entry["actor"] == RM and entry["state"] == "archived"
        assert entry["comment"] == (f"Lưu trữ cùng hồ sơ {dossier.file_code} ({dossier.title}), "
                                    f"nộp lưu theo biên bản {tid}")
        assert entry["at"]
    # the clerk reads it on the document page (history)
    with api.env.adopt_user(username=CL):
        html = getMultiAdapter((assigned, portal.REQUEST), name="xem-van-ban-den")()
    assert f"Lưu trữ cùng hồ sơ {dossier.file_code}" in html

    # an archived document is filed into nothing else: no button, no form, the service refuses
    with api.env.adopt_user(username=SP):
        values = dossiers.clean_dossier(dossier_values(notation="31.TR"), agency=agency)
        other = dossiers.create_dossier(agency, values, year=2026)
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=RM):
        assert dossiers.has_fileable_dossier(agency)
        with pytest.raises(dossiers.DossierError) as refused:
            dossiers.file_documents(other, [api.content.get_uuid(assigned)])
        assert refused.value.status == 400
        assert refused.value.errors[0]["message"].default.endswith("cannot be filed into another dossier.")
        html = getMultiAdapter((assigned, portal.REQUEST), name="xem-van-ban-den")()
        assert "Hồ sơ chứa văn bản này" in html and "qlvb-file-document" not in html
        form = getMultiAdapter((assigned, portal.REQUEST), name="luu-vao-ho-so")
        page = form()
        assert form.choices() == [] and "qlvb-file-submit" not in page
        assert "đã được lưu trữ cùng hồ sơ" in page
        # a document that is not archived still can
        fresh_doc = incoming_doc(portal, code_number="304")
        html = getMultiAdapter((fresh_doc, portal.REQUEST), name="xem-van-ban-den")()
        assert "qlvb-file-document" in html
    assert other.qlvb_items == ()


def test_transfer_permission_matrix(portal, monkeypatch):
    """Only the agency's own leader approves; nobody approves his own list; only the agency's
    own archive accepts; nothing crosses agencies. Every step is in the audit trail."""
    from dongthap.qlvb.audit import log as audit_log

    audited = []
    monkeypatch.setattr(audit_log, "log", lambda action, obj=None, **kw: audited.append((action, obj, kw)))
    give_key(RM)
    agency = portal["so-tttt"]
    dossier, _docs = closed_dossier(portal, ("41",))
    uid = api.content.get_uuid(dossier)
    with api.env.adopt_user(username=RM):
        transfer = archive.submit_transfer(agency, [uid])
    tid = transfer["id"]
    for user in (SP, CL, RM, "stttt.truongphong", "stttt.quantri", "stttt.antt",
                 "snv.lanhdao", "snv.luutru", "ubnd.lanhdao"):
        fresh(portal.REQUEST)
        with api.env.adopt_user(username=user), pytest.raises(archive.ArchiveRefused) as refused:
            archive.approve_transfer(agency, tid)
        assert refused.value.status == 403, user
    for user in ("snv.lanhdao", "snv.luutru", "stttt.vanthu"):
        fresh(portal.REQUEST)
        with api.env.adopt_user(username=user):
            assert archive.transfers(agency) == []
            with pytest.raises(archive.ArchiveRefused) as refused:
                archive.transfer_info(agency, tid)
            assert refused.value.status == 403
    # a leader who prepared a list himself does not approve it
    dossier2, _docs = closed_dossier(portal, ("42",), user=LD)
    fresh(portal.REQUEST)
    give_key(LD)
    with api.env.adopt_user(username=LD):
        own = archive.submit_transfer(agency, [api.content.get_uuid(dossier2)])
        with pytest.raises(archive.ArchiveRefused) as refused:
            archive.approve_transfer(agency, own["id"])
        assert refused.value.status == 409
        archive.approve_transfer(agency, tid)
    for user in ("snv.luutru", "snv.lanhdao", SP, LD):
        fresh(portal.REQUEST)
        with api.env.adopt_user(username=user), pytest.raises(archive.ArchiveRefused) as refused:
            archive.accept_transfer(agency, tid)
        assert refused.value.status == 403, user
    # the leader's turn is over: he no longer returns it, the archive does
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=LD), pytest.raises(archive.ArchiveRefused) as refused:
        archive.return_transfer(agency, tid, "Không đồng ý")
    assert refused.value.status == 403
    assert api.content.get_state(dossier) == "closed"
    mine = [(a, kw["detail"]) for a, obj, kw in audited if kw["detail"].get("transfer") == tid]
    assert [a for a, _d in mine] == ["archive_transfer_proposed", "archive_transfer_approved"]
    assert mine[0][1]["dossiers"] == [dossier.file_code] and all(obj is agency for _a, obj, _k in audited)


def _desk(agency, user, today):
    fresh(agency.REQUEST)
    with api.env.adopt_user(username=user):
        roles = set(api.user.get_roles(obj=agency))
        return {i["key"]: i for i in RecordsSection(agency).items(user, roles, today=today)}


def test_desk_counts_per_role_match_the_lists(portal):
    agency = portal["so-tttt"]
    today = datetime.date(2026, 6, 1)
    soon, _ = closed_dossier(portal, ("51",))
    soon.end_date = datetime.date(2025, 6, 20)  # due 20/06/2026: 19 days left
    late, _ = closed_dossier(portal, ("52",))
    late.end_date = datetime.date(2025, 5, 20)  # due 20/05/2026: overdue
    for dossier in (soon, late):
        dossier.reindexObject()
    give_key(RM)
    with api.env.adopt_user(username=RM):
        archive.submit_transfer(agency, [api.content.get_uuid(late)])
        dossiers.save_schedule(agency, 2047, [{"kind": "entry", "notation": "01.VP", "title": "Hồ sơ thử",
                                               "retention": "10"}])
    old, _ = _transferred(portal, ("53",))
    with api.env.adopt_user(username=RM):
        archive.propose_disposal(agency, [api.content.get_uuid(old)], "Hết giá trị")
    with api.env.adopt_user(username=SP):
        values = dossiers.clean_dossier(dossier_values(notation="54.MINE"), agency=agency)
        dossiers.create_dossier(agency, values, year=2026)
    incoming_doc(portal, code_number="55")  # in no dossier

    rm = _desk(agency, RM, today)
    assert list(rm) == ["unfiled", "open_dossiers", "transfer_due_soon", "transfer_overdue",
                        "awaiting_acceptance"]
    with api.env.adopt_user(username=RM):
        due = archive.transfer_due(agency, clock=ret.frozen_clock(today))
        unfiled = dossiers.unfiled_documents(agency, limit=10000)
        open_ = dossiers.agency_dossiers(agency, state="open")
    overdue = [r for rows in due["overdue_by_unit"].values() for r in rows]
    assert rm["unfiled"]["count"] == len(unfiled) > 0
    assert rm["open_dossiers"]["count"] == len(open_) > 0
    assert rm["transfer_due_soon"]["count"] == len(due["warnings"]) >= 1
    assert soon.file_code in [r["file_code"] for r in due["warnings"]]
    assert rm["transfer_overdue"]["count"] == len(overdue) >= 1
    assert (rm["transfer_overdue"]["tone"], rm["transfer_due_soon"]["tone"]) == ("danger", "warning")
    assert rm["awaiting_acceptance"]["count"] == 0
    assert rm["unfiled"]["url"].endswith("/so-tttt/@@ho-so#chua-lap-ho-so")
    assert rm["transfer_overdue"]["url"].endswith("/so-tttt/@@luu-tru#qua-han")

    ld = _desk(agency, LD, today)
    assert list(ld) == ["transfers_to_approve", "disposals_to_approve", "schedules_to_approve"]
    assert ld["transfers_to_approve"]["count"] == 1 and ld["disposals_to_approve"]["count"] == 1
    assert ld["schedules_to_approve"]["count"] >= 1
    assert ld["transfers_to_approve"]["url"].endswith("/@@luu-tru?state=proposed#nop-luu")
    with api.env.adopt_user(username=LD):
        tid = archive.transfers(agency, "proposed")[-1]["id"]
        archive.approve_transfer(agency, tid)
    assert _desk(agency, LD, today)["transfers_to_approve"]["count"] == 0
    assert _desk(agency, RM, today)["awaiting_acceptance"]["count"] == 1

    sp = _desk(agency, SP, today)
    assert list(sp) == ["my_dossiers"]
    with api.env.adopt_user(username=SP):
        assert sp["my_dossiers"]["count"] == len(dossiers.my_open_dossiers(agency)) >= 1
    # another agency's records manager counts his own agency only; a clerk has no records lists
    assert _desk(portal["so-noi-vu"], "snv.luutru", today)["transfer_overdue"]["count"] == 0
    assert _desk(agency, CL, today) == {}
    # the desk page shows the section with its links
    fresh(portal.REQUEST)
    with api.env.adopt_user(username=RM):
        html = portal.restrictedTraverse("@@trang-chu")()
    assert "Hồ sơ và lưu trữ" in html and "Quá hạn nộp lưu" in html and "@@luu-tru#qua-han" in html


def test_upgrade_1006_transfers_await_approval_and_due_dates_indexed(portal):
    from dongthap.qlvb.upgrades import v1006_records_approval

    give_key(RM)
    agency = portal["so-tttt"]
    dossier, _docs = closed_dossier(portal, ("61",))
    with api.env.adopt_user(username=RM):
        transfer = archive.submit_transfer(agency, [api.content.get_uuid(dossier)])
    stored = archive._store(agency)["transfers"][transfer["id"]]
    stored["state"] = "submitted"  # as 1005 stored a handed-over transfer
    del stored["history"]
    catalog = api.portal.get_tool("portal_catalog")
    catalog.delIndex("qlvb_transfer_due")
    portal.manage_permission(archive.APPROVE_TRANSFER, ["Manager"], acquire=False)
    with api.env.adopt_roles(["Manager"]):
        v1006_records_approval.records_approval()
    assert stored["state"] == "proposed" and list(stored["history"]) == []
    due = ret.transfer_due_date(dossier.end_date)
    assert [b.UID for b in catalog.unrestrictedSearchResults(portal_type="Dossier", qlvb_transfer_due=due)
            ] == [api.content.get_uuid(dossier)]
    assert R.LEADER in [r["name"] for r in portal.rolesOfPermission(archive.APPROVE_TRANSFER)
                        if r["selected"]]


def test_leader_approves_a_disposal_list_on_the_archive_page(portal):
    from tests.archive.test_plone_archive import _post_page

    agency = portal["so-tttt"]
    old, _ = _transferred(portal, ("71",))
    with api.env.adopt_user(username=RM):
        did = archive.propose_disposal(agency, [api.content.get_uuid(old)], "Hết giá trị")["id"]
    view, html = _post_page(portal, RM, action="approve", disposal=did)
    assert "Duyệt danh mục hủy" not in html  # not the records manager's to approve
    assert as_state(agency, did) == "proposed"
    fresh(portal.REQUEST)
    with api.env.adopt_user(username="snv.lanhdao"), pytest.raises(archive.ArchiveRefused) as refused:
        archive.approve_disposal(agency, did)  # another agency's leader (the page is 401 for him)
    assert refused.value.status == 403
    view, html = _post_page(portal, LD, action="approve", disposal=did)
    assert view.message is None, view.message
    assert f"Đã phê duyệt danh mục hủy {did}." in html
    assert as_state(agency, did) == "approved"


def as_state(agency, did):
    with api.env.adopt_user(username=RM):
        return archive.disposal_info(agency, did)["state"]
