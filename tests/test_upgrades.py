"""Upgrade steps: the profile version and the steps match, and each step really upgrades."""

from dongthap.qlvb.agencies import departments as D
from plone import api
from Products.GenericSetup.upgrade import listUpgradeSteps

import pathlib
import pytest
import re

PROFILE = "dongthap.qlvb:default"
METADATA = pathlib.Path(__file__).resolve().parents[1] / "src/dongthap/qlvb/profiles/default/metadata.xml"
METADATA_VERSION = re.search(r"<version>(\d+)</version>", METADATA.read_text()).group(1)


def _steps(setup, source):
    return listUpgradeSteps(setup, PROFILE, source)


def test_metadata_version_is_reached_by_the_upgrade_steps(site):
    version = re.search(r"<version>(\d+)</version>", METADATA.read_text()).group(1)
    setup = api.portal.get_tool("portal_setup")
    assert setup.getLastVersionForProfile(PROFILE) == (version,)  # a fresh install is current
    current, chain = "1000", []
    while True:
        steps = _steps(setup, current)
        if not steps:
            break
        step = steps[0] if isinstance(steps[0], dict) else steps[0][0]
        chain.append(step["dest"])
        current = ".".join(step["dest"])
    assert current == version, f"the steps from 1000 end at {current}, metadata.xml says {version}"


def test_1001_gives_departments_groups_and_rebuilds_the_review_index(site):
    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=site, type="Agency", id="so-nang-cap", title="Sở Nâng Cấp",
                                    agency_code="000.00.98.H20", abbreviation="SNC", level="department")
        dept = api.content.create(container=agency, type="Department", id="vp", title="Văn phòng",
                                  abbreviation="VP", safe_id=False)
        # as a 1000 site was: no members group, a FieldIndex
        api.group.delete(groupname=D.members_group_id(dept))
        delattr(dept, D.MEMBERS_ATTR)
        catalog.delIndex("qlvb_outgoing_review_role")  # its name before 1005 (v1005_naming)
        catalog.addIndex("outgoing_review_role", "FieldIndex")
        setup.setLastVersionForProfile(PROFILE, "1000")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert D.members_group_id(dept) == "qlvb-000.00.98.H20-phong-vp"
    assert api.group.get(groupname=D.members_group_id(dept)) is not None
    assert catalog._catalog.getIndex("qlvb_outgoing_review_role").meta_type == "KeywordIndex"
    assert "outgoing_review_role" not in catalog.indexes()
    # running it again changes nothing and breaks nothing
    with api.env.adopt_roles(["Manager"]):
        setup.setLastVersionForProfile(PROFILE, "1000")
        setup.upgradeProfile(PROFILE)
    assert D.members_group_id(dept) == "qlvb-000.00.98.H20-phong-vp"


def _portlet_managers(folder):
    from plone.portlets.interfaces import ILocalPortletAssignmentManager
    from plone.portlets.interfaces import IPortletManager
    from zope.component import getMultiAdapter
    from zope.component import getUtility

    for name in ("plone.leftcolumn", "plone.rightcolumn"):
        manager = getUtility(IPortletManager, name=name)
        yield getMultiAdapter((folder, manager), ILocalPortletAssignmentManager)


def _blocked(folder):
    from plone.portlets.constants import CONTEXT_CATEGORY

    return all(m.getBlacklistStatus(CONTEXT_CATEGORY) for m in _portlet_managers(folder))


def test_1002_blocks_portlets_on_outgoing_registers(site):
    from dongthap.qlvb.outgoing.api import year_folder
    from plone.portlets.constants import CONTEXT_CATEGORY

    setup = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=site, type="Agency", id="so-cong", title="Sở Cổng",
                                    agency_code="000.00.97.H20", abbreviation="SCG", level="department")
        year = year_folder(agency, 2025, create=True)
        assert _blocked(year) and _blocked(agency["van-ban-di"])  # new folders: blocked at once
        for folder in (agency["van-ban-di"], year):  # as a 1001 site made them
            for manager in _portlet_managers(folder):
                manager.setBlacklistStatus(CONTEXT_CATEGORY, False)
        assert not _blocked(year) and not _blocked(agency["van-ban-di"])
        setup.setLastVersionForProfile(PROFILE, "1001")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert _blocked(agency["van-ban-di"]) and _blocked(year)


def test_1004_xsec_rebuilds_duplicate_keys_in_normal_form(demo):
    """A document typed in decomposed Unicode gets the key its NFC-typed duplicate has."""
    import unicodedata

    from dongthap.qlvb.content.incoming import duplicate_key
    from dongthap.qlvb.upgrades import v1004_xsec

    catalog = api.portal.get_tool("portal_catalog")
    brain = catalog.unrestrictedSearchResults(portal_type="IncomingDocument")[0]
    doc = brain._unrestrictedGetObject()
    doc.issuing_agency_name = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Đồng Tháp")
    # the key stored by the old code: lower() of the decomposed text
    catalog._catalog.getIndex(v1004_xsec.INDEX).index_object(
        brain.getRID(), type("Old", (), {v1004_xsec.INDEX: f"{doc.code_number}|x|old"})())
    v1004_xsec.reindex_duplicate_keys(None)
    expected = duplicate_key(doc.code_number, doc.code_notation, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP")
    assert [b.getRID() for b in catalog.unrestrictedSearchResults(**{v1004_xsec.INDEX: expected})] \
        == [brain.getRID()]


def test_1004_xsec_adds_the_axis_wire_records_and_keeps_the_values(site):
    from dongthap.qlvb.exchange.settings import PREFIX
    from dongthap.qlvb.upgrades import v1004_xsec
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    registry.records[f"{PREFIX}.axis_url"].value = "https://truc.example.gov.vn/api"
    del registry.records[f"{PREFIX}.axis_headers"]
    del registry.records[f"{PREFIX}.axis_timeout"]
    v1004_xsec.axis_wire_records(None)
    assert registry[f"{PREFIX}.axis_timeout"] == 60
    assert registry[f"{PREFIX}.axis_headers"] == ""
    assert registry[f"{PREFIX}.axis_url"] == "https://truc.example.gov.vn/api"


def _back_to_1004_catalog(catalog):
    """Index and column contents under their names before 1005, as a 1004 site had them."""
    from Acquisition import aq_base
    from dongthap.qlvb.catalog import RENAMED_COLUMNS
    from dongthap.qlvb.catalog import RENAMED_INDEXES

    for old, new in RENAMED_INDEXES.items():
        index = aq_base(catalog._catalog.getIndex(new))
        catalog.delIndex(new)
        index.id = old
        index.indexed_attrs = [old]
        catalog._catalog.addIndex(old, index)
    cat = catalog._catalog
    for old, new in RENAMED_COLUMNS.items():
        catalog.addColumn(old)
        for rid, record in list(cat.data.items()):
            values = list(record)
            values[cat.schema[old]] = values[cat.schema[new]]
            cat.data[rid] = tuple(values)
        catalog.delColumn(new)


def test_1005_naming_renames_indexes_columns_and_layouts(demo):
    """A 1004 site (English page names, unprefixed catalog names) upgrades; the same queries find
    the same documents under the qlvb_ names, and the pages are the Vietnamese ones."""
    from dongthap.qlvb.catalog import RENAMED_COLUMNS
    from dongthap.qlvb.catalog import RENAMED_INDEXES
    from dongthap.qlvb.incoming import assignment as A
    from dongthap.qlvb.upgrades.v1005_naming import RENAMED_VIEWS

    import datetime

    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    types = api.portal.get_tool("portal_types")
    agency = demo["so-tttt"]

    def found(**query):
        return sorted(b.UID for b in catalog.unrestrictedSearchResults(**query))

    def queries():
        return {
            "incoming letters": found(qlvb_document_type="cong_van", portal_type="IncomingDocument"),
            "registered": found(qlvb_arrival_number={"query": 1, "range": "min"}),
            "issued this century": found(qlvb_issued_date={"query": datetime.date(2000, 1, 1),
                                                           "range": "min"}),
            "agency by code": found(portal_type="Agency", qlvb_agency_code=agency.agency_code),
            "unsigned": found(qlvb_legal_validity="unsigned"),
            "legal": found(qlvb_legal_validity="legal"),
            "urgent": found(qlvb_urgency=["hoa_toc", "thuong_khan", "khan"]),
            "assigned to someone": found(qlvb_incoming_assignees=list(
                catalog.uniqueValuesFor("qlvb_incoming_assignees"))),
        }

    def metadata():
        kinds = ["IncomingDocument", "OutgoingDocument", "Agency"]
        return {b.UID: tuple(getattr(b, name) for name in RENAMED_COLUMNS.values())
                for b in catalog.unrestrictedSearchResults(portal_type=kinds)}

    def dashboards():
        from dongthap.qlvb.incoming import queries as incoming
        from dongthap.qlvb.outgoing import queries as outgoing

        lists = {}
        for user in ("stttt.vanthu", "stttt.lanhdao", "stttt.chuyenvien"):
            with api.env.adopt_user(username=user):
                lists[user] = (incoming.lists_for(agency, user), outgoing.lists_for(agency, user),
                               incoming.register_rows(agency))
        return lists

    registered = catalog.unrestrictedSearchResults(
        path="/".join(agency.getPhysicalPath()), qlvb_arrival_number={"query": 1, "range": "min"})
    doc = registered[0]._unrestrictedGetObject()  # one lead entry (handling.assign would commit)
    A.store(doc, [{"id": A.new_entry_id(), "user": "stttt.chuyenvien", "kind": "lead", "active": True,
                   "parent": None}])
    doc.reindexObject(idxs=["qlvb_incoming_assignees"])
    before, rows_before, lists_before = queries(), metadata(), dashboards()
    assert lists_before["stttt.vanthu"][0]["waiting_registration"] or lists_before["stttt.lanhdao"][0][
        "waiting_assignment"]
    assert before["incoming letters"] and before["registered"] and before["agency by code"]
    assert before["assigned to someone"] and before["issued this century"] and before["unsigned"]

    with api.env.adopt_roles(["Manager"]):
        _back_to_1004_catalog(catalog)
        old_views = {new: old for old, new in RENAMED_VIEWS.items()}
        for fti in types.objectValues():
            if getattr(fti, "default_view", None) in old_views:
                fti._updateProperty("default_view", old_views[fti.default_view])
            methods = tuple(getattr(fti, "view_methods", ()) or ())
            if any(m in old_views for m in methods):
                fti._updateProperty("view_methods", tuple(old_views.get(m, m) for m in methods))
        demo.setLayout("qlvb-home")
        agency.setLayout("agency-view")
        assert "qlvb_document_type" not in catalog.indexes() and "document_type" in catalog.indexes()
        assert types["IncomingFolder"].default_view == "incoming-dashboard"
        setup.setLastVersionForProfile(PROFILE, "1004")
        setup.upgradeProfile(PROFILE)

    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert not set(RENAMED_INDEXES) & set(catalog.indexes())
    assert not set(RENAMED_COLUMNS) & set(catalog.schema())
    assert catalog._catalog.getIndex("qlvb_incoming_assignees").meta_type == "KeywordIndex"
    assert catalog._catalog.getIndex("qlvb_outgoing_review_role").meta_type == "KeywordIndex"
    assert queries() == before
    assert metadata() == rows_before
    assert dashboards() == lists_before
    assert {name: types[name].default_view for name in ("Agency", "IncomingFolder", "IncomingDocument",
                                                         "OutgoingFolder", "OutgoingDocument")} == {
        "Agency": "co-quan", "IncomingFolder": "van-ban-den", "IncomingDocument": "xem-van-ban-den",
        "OutgoingFolder": "van-ban-di", "OutgoingDocument": "xem-van-ban-di"}
    assert "trang-chu" in types["Plone Site"].view_methods
    assert "qlvb-home" not in types["Plone Site"].view_methods
    assert demo.getLayout() == "trang-chu" and agency.getLayout() == "co-quan"
    request = demo.REQUEST
    with api.env.adopt_user(username="stttt.vanthu"):  # the start page lists the user's agency
        home = api.content.get_view(demo.getLayout(), demo, request)
        listed = [(b.Title, b.qlvb_agency_code) for b in home.agencies()]
    assert listed == [(agency.title, agency.agency_code)]
    from dongthap.qlvb.interfaces import IQlvbLayer
    from zope.interface import alsoProvides

    alsoProvides(request, IQlvbLayer)
    with api.env.adopt_user(username="stttt.vanthu"):  # the clerk opens a document at its new default view
        html = api.content.get_view(types["IncomingDocument"].default_view, doc, request)()
    assert doc.title in html
    # running it again changes nothing
    with api.env.adopt_roles(["Manager"]):
        setup.setLastVersionForProfile(PROFILE, "1004")
        setup.upgradeProfile(PROFILE)
    assert queries() == before and metadata() == rows_before


def test_1005_uilang_gives_vietnam_time_the_stylesheet_and_no_search_rss(site):
    from dongthap.qlvb.upgrades import v1005_uilang
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    registry["plone.portal_timezone"] = "UTC"
    registry["plone.available_timezones"] = ["UTC"]
    registry["plone.available_languages"] = ["en", "vi"]
    registry[v1005_uilang.SEARCH_RSS] = True
    for name in [n for n in registry.records.keys() if n.startswith(v1005_uilang.BUNDLE + ".")]:
        del registry.records[name]
    actions = api.portal.get_tool("portal_actions")
    actions.object.redirection.visible = True
    actions.object_buttons.redirection.visible = True
    v1005_uilang.vietnamese_frame(None)
    assert actions.object.redirection.visible is False
    assert actions.object_buttons.redirection.visible is False
    assert registry["plone.portal_timezone"] == "Asia/Ho_Chi_Minh"
    assert registry["plone.available_timezones"] == ["Asia/Ho_Chi_Minh"]
    assert registry["plone.available_languages"] == ["vi", "en"]
    assert registry[v1005_uilang.SEARCH_RSS] is False
    assert registry[f"{v1005_uilang.BUNDLE}.csscompilation"] == "++plone++dongthap.qlvb/qlvb.css"
    assert registry[f"{v1005_uilang.BUNDLE}.enabled"] is True


def test_1005_audit_grants_the_audit_permissions(site):
    from dongthap.qlvb.upgrades import v1005_audit

    history, manage = "dongthap.qlvb: View access history", "dongthap.qlvb: Manage security incidents"
    site.manage_permission(history, [], acquire=True)  # as before 1005
    site.manage_permission(manage, [], acquire=True)
    assert "QlvbClerk" not in [r["name"] for r in site.rolesOfPermission(history) if r["selected"]]
    v1005_audit.audit_permissions()
    granted = {r["name"] for r in site.rolesOfPermission(history) if r["selected"]}
    assert {"QlvbClerk", "QlvbLeader", "QlvbSecurityOfficer", "QlvbProvinceAdmin"} <= granted
    assert "QlvbSpecialist" not in granted
    managers = {r["name"] for r in site.rolesOfPermission(manage) if r["selected"]}
    assert {"QlvbSecurityOfficer", "QlvbAgencyAdmin", "QlvbProvinceAdmin"} <= managers


def test_1005_desk_adds_the_sort_keys_of_the_work_lists(demo):
    """A site without the desk's indexes gets them, filled for its documents, and the tabs."""
    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    from dongthap.qlvb.upgrades import v1005_desk

    with api.env.adopt_roles(["Manager"]):
        catalog.delIndex("qlvb_urgency_rank")
        catalog.delIndex("qlvb_deadline")
        api.portal.get_tool("portal_actions").portal_tabs.manage_delObjects(["qlvb_incoming"])
        v1005_desk.desk(setup)
    assert {"qlvb_urgency_rank", "qlvb_deadline"} <= set(catalog.indexes())
    docs = catalog.unrestrictedSearchResults(portal_type="IncomingDocument")
    assert len(docs) > 0
    assert len(catalog.unrestrictedSearchResults(portal_type="IncomingDocument",
                                                 qlvb_urgency_rank={"query": 0, "range": "min"})) == len(docs)
    assert "qlvb_incoming" in api.portal.get_tool("portal_actions").portal_tabs.objectIds()


def test_1005_dossiers_installs_types_workflow_roles_indexes(site):
    from dongthap.qlvb.dossiers import api as dossiers

    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    types = api.portal.get_tool("portal_types")
    wf = api.portal.get_tool("portal_workflow")
    registry = api.portal.get_tool("portal_registry")
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=site, type="Agency", id="so-ho-so", title="Sở Hồ Sơ",
                                    agency_code="000.00.97.H20", abbreviation="SHS", level="department")
        # as a 1004 site was: no dossier types, workflow, roles, indexes, settings
        for name in ("Dossier", "DossierFolder", "DossierRecord"):
            types.manage_delObjects([name])
        wf.setChainForPortalTypes(["Dossier", "DossierFolder"], ())
        wf.manage_delObjects(["qlvb_dossier_workflow"])
        for name in ("qlvb_documents", "qlvb_file_code", "qlvb_dossier_department",
                     "qlvb_dossier_responsible", "qlvb_dossier_year"):
            catalog.delIndex(name)
        for name in ("qlvb_file_code", "qlvb_doc_total", "qlvb_page_total", "qlvb_retention",
                     "qlvb_dossier_department", "qlvb_dossier_responsible"):
            catalog.delColumn(name)
        del registry.records[dossiers.RETENTION_RECORD]
        site._delRoles(["QlvbDossierOwner", "QlvbDossierReader"])
        setup.setLastVersionForProfile(PROFILE, "1004")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert {"Dossier", "DossierFolder", "DossierRecord"} <= set(types.objectIds())
    assert wf.getChainForPortalType("Dossier") == ("qlvb_dossier_workflow",)
    assert {"QlvbDossierOwner", "QlvbDossierReader"} <= set(site.valid_roles())
    assert "qlvb_documents" in catalog.indexes() and "qlvb_file_code" in catalog.schema()
    assert {"qlvb_doc_total", "qlvb_page_total", "qlvb_retention"} <= set(catalog.schema())
    assert dossiers.retention_years() == (5, 10, 20, 50, 70)
    assert api.portal.get_registry_record(dossiers.RETENTION_RECORD) == [5, 10, 20, 50, 70]
    # and a dossier works on the upgraded site
    with api.env.adopt_roles(["Manager"]):
        values = dossiers.clean_dossier({"title": "Hồ sơ", "notation": "01.VP", "retention": "permanent"},
                                        agency=agency)
        dossier = dossiers.create_dossier(agency, values, year=2026)
    assert api.content.get_state(dossier) == "open"
    assert len(api.content.find(qlvb_file_code="000.00.97.H20.2026.01.VP")) == 1


def test_1005_archive_gives_the_archive_permissions_their_roles(site):
    from dongthap.qlvb.archive import api as archive

    setup = api.portal.get_tool("portal_setup")
    permissions = (archive.EXPORT, archive.IMPORT, archive.SUBMIT_TRANSFER, archive.MANAGE_ARCHIVE,
                   archive.APPROVE_DISPOSAL)
    with api.env.adopt_roles(["Manager"]):
        # as a 1004 site was: the permissions exist (zcml) but only Manager has them
        for permission in permissions:
            site.manage_permission(permission, ["Manager"], acquire=True)
        setup.setLastVersionForProfile(PROFILE, "1004")
        setup.upgradeProfile(PROFILE)

    def roles(permission):
        return {r["name"] for r in site.rolesOfPermission(permission) if r["selected"]}

    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert {"QlvbRecordsManager", "QlvbLeader"} <= roles(archive.EXPORT)
    assert "QlvbRecordsManager" in roles(archive.IMPORT) and "QlvbLeader" not in roles(archive.IMPORT)
    assert "QlvbSpecialist" in roles(archive.SUBMIT_TRANSFER)
    assert roles(archive.MANAGE_ARCHIVE) >= {"QlvbRecordsManager"}
    assert "QlvbLeader" not in roles(archive.MANAGE_ARCHIVE)
    assert "QlvbLeader" in roles(archive.APPROVE_DISPOSAL)
    assert "QlvbRecordsManager" not in roles(archive.APPROVE_DISPOSAL)


def test_1005_records_managers_see_incoming_documents_and_only_the_system_archives(demo):
    """On a 1004 site records managers saw incoming documents only once completed, and clerks
    could archive a document by a button; the step gives the view and guards the transition."""
    wf = api.portal.get_tool("portal_workflow")
    setup = api.portal.get_tool("portal_setup")
    catalog = api.portal.get_tool("portal_catalog")
    incoming = wf.getWorkflowById("qlvb_incoming_workflow")
    brain = catalog.unrestrictedSearchResults(portal_type="IncomingDocument",
                                              review_state=["registered", "assigned", "in_progress"])[0]
    doc = brain._unrestrictedGetObject()
    state = incoming.states[brain.review_state]
    with api.env.adopt_roles(["Manager"]):
        # as a 1004 site was
        for permission in ("View", "Access contents information"):
            roles = [r for r in state.permission_roles[permission] if r != "QlvbRecordsManager"]
            state.setPermission(permission, False, roles)
        for wid in ("qlvb_incoming_workflow", "qlvb_outgoing_workflow"):
            wf.getWorkflowById(wid).transitions["archive"].guard.expr = None
        incoming.updateRoleMappingsFor(doc)
        doc.reindexObjectSecurity()
        assert not any(r["name"] == "QlvbRecordsManager" and r["selected"]
                       for r in doc.rolesOfPermission("View"))
        setup.setLastVersionForProfile(PROFILE, "1004")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert any(r["name"] == "QlvbRecordsManager" and r["selected"] for r in doc.rolesOfPermission("View"))
    assert "QlvbRecordsManager" in catalog.getIndexDataForUID("/".join(doc.getPhysicalPath()))[
        "allowedRolesAndUsers"]
    for wid in ("qlvb_incoming_workflow", "qlvb_outgoing_workflow"):
        guard = wf.getWorkflowById(wid).transitions["archive"].guard
        assert guard.getExprText() == "python:here.qlvb_system('archive')"


def test_1006_paper_and_copies_paper_issue_and_receiving_code(site):
    from dongthap.qlvb.upgrades import v1006_paper_and_copies

    wf = api.portal.get_tool("portal_workflow").getWorkflowById("qlvb_outgoing_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        wf.transitions.manage_delObjects(["issue_paper"])  # as a 1005 site was
        approved = wf.states["approved"]
        approved.transitions = tuple(t for t in approved.transitions if t != "issue_paper")
        catalog.delIndex(v1006_paper_and_copies.INDEX)
        catalog.delColumn(v1006_paper_and_copies.INDEX)
        v1006_paper_and_copies.paper_issue()
        v1006_paper_and_copies.receiving_agency_code()
        v1006_paper_and_copies.receiving_agency_code()  # again: nothing breaks
    wf = api.portal.get_tool("portal_workflow").getWorkflowById("qlvb_outgoing_workflow")
    assert "issue_paper" in wf.transitions.objectIds()
    assert "issue_paper" in wf.states["approved"].transitions
    assert wf.transitions["issue_paper"].new_state_id == "issued"
    index = v1006_paper_and_copies.INDEX
    assert index in catalog.indexes() and index in catalog.schema()


def test_1006_paper_and_copies_copies_installs_types_workflow_and_permissions(site):
    from dongthap.qlvb.upgrades import v1006_paper_and_copies

    types = api.portal.get_tool("portal_types")
    wf = api.portal.get_tool("portal_workflow")
    with api.env.adopt_roles(["Manager"]):
        types.manage_delObjects(["DocumentCopy", "CopyFolder"])  # as a 1005 site was
        wf.setChainForPortalTypes(["DocumentCopy"], ())
        wf.manage_delObjects(["qlvb_copy_workflow"])
        site.manage_permission("dongthap.qlvb: Add document copy", [], acquire=True)
        v1006_paper_and_copies.copies()
    assert {"DocumentCopy", "CopyFolder"} <= set(types.objectIds())
    assert wf.getChainForPortalType("DocumentCopy") == ("qlvb_copy_workflow",)
    assert wf.getChainForPortalType("CopyFolder") == ("qlvb_agency_workflow",)
    assert "CopyFolder" in types["Agency"].allowed_content_types
    roles = {r["name"] for r in site.rolesOfPermission("dongthap.qlvb: Add document copy") if r["selected"]}
    assert roles == {"Manager", "Site Administrator", "QlvbClerk"}
def test_1006_reports_adds_and_fills_the_report_indexes(site, monkeypatch):
    from dongthap.qlvb.reports.indexers import REPORT_INDEXES
    from tests.incoming.helpers import form_values

    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.numbering import retry

    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=site, type="Agency", id="so-bao-cao", title="Sở Báo Cáo",
                                    agency_code="000.00.97.H20", abbreviation="SBC", level="department")
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
        values = incoming.clean(form_values(source="axis", due_date=None))
        with retry.savepoints_only():
            doc = site.unrestrictedTraverse(incoming.build_document(agency, values)["path"])
        # a 1005 site: none of the indexes, no permission
        for name in REPORT_INDEXES:
            catalog.delIndex(name)
        site.manage_permission("dongthap.qlvb: View agency reports", roles=[], acquire=False)
        setup.setLastVersionForProfile(PROFILE, "1005")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    assert set(REPORT_INDEXES) <= set(catalog.indexes())
    assert catalog._catalog.getIndex("qlvb_channel").meta_type == "KeywordIndex"
    brains = catalog.unrestrictedSearchResults(qlvb_channel="axis",
                                               qlvb_report_agency=api.content.get_uuid(agency))
    assert [b.getPath() for b in brains] == ["/".join(doc.getPhysicalPath())]
    assert catalog.unrestrictedSearchResults(qlvb_medium="electronic", UID=api.content.get_uuid(doc))
    roles = {r["name"] for r in site.rolesOfPermission("dongthap.qlvb: View agency reports") if r["selected"]}
    assert roles == {"Manager", "Site Administrator", "QlvbLeader", "QlvbAgencyAdmin"}


def test_1006_vietnamese_text_indexes(site):
    """From 1005: the text indexes used plone_lexicon and "uy ban" missed "Ủy ban"; after the
    step they use qlvb_lexicon, the filter indexes exist and every object is found again."""
    from dongthap.qlvb.search import lexicon

    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        page = api.content.create(container=site, type="Document", id="uy-ban", title="Ủy ban nhân dân")
        for name in lexicon.TEXT_INDEXES:
            catalog.delIndex(name)
            extra = type("Extra", (), {"doc_attr": name, "index_type": "Okapi BM25 Rank",
                                       "lexicon_id": "plone_lexicon"})()
            catalog.addIndex(name, "ZCTextIndex", extra)
        for name in ("qlvb_issuer_text", "qlvb_signer_text", "qlvb_recipient_text"):
            catalog.delIndex(name)
        catalog.manage_delObjects([lexicon.LEXICON_ID])
        page.reindexObject()
        setup.setLastVersionForProfile(PROFILE, "1005")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (METADATA_VERSION,)
    for name in (*lexicon.TEXT_INDEXES, "qlvb_issuer_text", "qlvb_signer_text", "qlvb_recipient_text"):
        assert lexicon.uses_our_lexicon(catalog, name), name
    pipeline = catalog[lexicon.LEXICON_ID]._pipeline
    assert [type(e) for e in pipeline] == [lexicon.VietnameseSplitter]
    for query in ("uy ban", "UỶ BAN", "Ủy ban nhân dân"):
        assert [b.getId for b in catalog(SearchableText=query, getId="uy-ban")] == ["uy-ban"], query
        assert [b.getId for b in catalog(Title=query, getId="uy-ban")] == ["uy-ban"], query


def test_1006_recall_destroy_permission_indexes_and_old_recall_notices(demo):
    """A 1005 site: the destroy permission, the two indexes (filled) and old recall notices frozen."""
    from dongthap.qlvb.recall.api import pending_destruction
    from dongthap.qlvb.upgrades import v1006_recall

    catalog = api.portal.get_tool("portal_catalog")
    destroy = "dongthap.qlvb: Destroy recalled document"
    with api.env.adopt_roles(["Manager"]):
        demo.manage_permission(destroy, [], acquire=True)  # as before 1006
        for name in ("qlvb_exchange_document_id", "qlvb_reply_due"):
            catalog.delIndex(name)
        catalog.delColumn("qlvb_reply_due")
        doc = catalog.unrestrictedSearchResults(portal_type="IncomingDocument")[0]._unrestrictedGetObject()
        doc.qlvb_recall_notice = {"reason": "Sai thể thức", "at": "2026-01-02T08:00:00+07:00",
                                  "by": "stttt.lanhdao", "sender": "Sở TT&TT", "notation": "05/STTTT-VP",
                                  "acknowledged_at": None, "acknowledged_by": None}
        v1006_recall.upgrade()
        v1006_recall.upgrade()  # twice changes nothing
    assert "QlvbClerk" in {r["name"] for r in demo.rolesOfPermission(destroy) if r["selected"]}
    assert {"qlvb_exchange_document_id", "qlvb_reply_due"} <= set(catalog.indexes())
    assert "qlvb_reply_due" in catalog.schema()
    assert pending_destruction(doc) and doc.qlvb_recalled["reason"] == "Sai thể thức"
    assert "qlvb_recall_notice" not in doc.__dict__
    assert catalog.unrestrictedSearchResults(UID=doc.UID(), qlvb_recall_pending=True)


def test_1006_checksums_records_the_checksums_of_existing_documents(demo):
    """Documents from before 1006 have no checksums; the step computes them from their files."""
    import hashlib

    from dongthap.qlvb.transfer import checksums
    from dongthap.qlvb.upgrades import v1006_checksums

    catalog = api.portal.get_tool("portal_catalog")
    docs = [b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(
        object_provides="dongthap.qlvb.documents.interfaces.IQlvbDocument")]
    assert docs
    for doc in docs:  # as a 1005 site had them
        if hasattr(doc, checksums.CHECKSUMS_ATTR):
            delattr(doc, checksums.CHECKSUMS_ATTR)
    assert v1006_checksums.record_checksums(None) == len(docs)
    with_files = [doc for doc in docs if getattr(doc, "file", None) is not None]
    assert with_files
    for doc in with_files:
        stored = dict(getattr(doc, checksums.CHECKSUMS_ATTR))
        assert stored["file"] == hashlib.sha256(bytes(doc.file.data)).hexdigest()
    assert v1006_checksums.record_checksums(None) == 0  # again: nothing to do


def test_1006_sign_by_hand_sign_by_hand_index_and_copies_verified_again(site):
    from dongthap.qlvb.upgrades import v1006_sign_by_hand

    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        catalog.delIndex(v1006_sign_by_hand.INDEX)  # as a 1005 site was
        v1006_sign_by_hand.upgrade()
        v1006_sign_by_hand.upgrade()  # again: nothing breaks
    assert v1006_sign_by_hand.INDEX in catalog.indexes()


def test_1007_tasks_installs_types_workflow_permissions_and_indexes(site):
    from dongthap.qlvb.upgrades import v1007_tasks

    types = api.portal.get_tool("portal_types")
    wf = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        types.manage_delObjects(["Task", "TaskFolder"])  # as a 1006 site was
        wf.setChainForPortalTypes(["Task"], ())
        wf.manage_delObjects(["qlvb_task_workflow"])
        site.manage_permission("dongthap.qlvb: Add task", [], acquire=True)
        for name in v1007_tasks.INDEXES:
            catalog.delIndex(name)
        for name in v1007_tasks.COLUMNS:
            catalog.delColumn(name)
        tabs = api.portal.get_tool("portal_actions").portal_tabs
        tabs.manage_delObjects(["qlvb_tasks"])
        v1007_tasks.tasks()
        v1007_tasks.tasks()  # again: nothing breaks
    assert {"Task", "TaskFolder"} <= set(types.objectIds())
    assert wf.getChainForPortalType("Task") == ("qlvb_task_workflow",)
    assert wf.getChainForPortalType("TaskFolder") == ("qlvb_agency_workflow",)
    assert "TaskFolder" in types["Agency"].allowed_content_types
    roles = {r["name"] for r in site.rolesOfPermission("dongthap.qlvb: Add task") if r["selected"]}
    assert roles == {"Manager", "Site Administrator", "QlvbLeader", "QlvbDepartmentHead"}
    assert set(v1007_tasks.INDEXES) <= set(catalog.indexes())
    assert set(v1007_tasks.COLUMNS) <= set(catalog.schema())
    assert "qlvb_tasks" in tabs.objectIds()
def test_1007_calendar_installs_the_permissions_and_the_tab(site):
    from dongthap.qlvb.upgrades import v1007_calendar

    actions = api.portal.get_tool("portal_actions")
    with api.env.adopt_roles(["Manager"]):
        for name in ("View", "Draft", "Approve"):  # as a 1006 site was
            site.manage_permission(f"dongthap.qlvb: {name} work calendar", [], acquire=True)
        actions.portal_tabs.manage_delObjects(["qlvb_calendar"])
        v1007_calendar.calendar(None)
        v1007_calendar.calendar(None)  # again: nothing breaks

    def roles(permission):
        return {r["name"] for r in site.rolesOfPermission(permission) if r["selected"]}

    assert roles("dongthap.qlvb: Draft work calendar") == {"Manager", "Site Administrator", "QlvbClerk"}
    assert roles("dongthap.qlvb: Approve work calendar") == {"Manager", "Site Administrator", "QlvbLeader"}
    assert {"QlvbSpecialist", "QlvbLeader", "QlvbClerk"} <= roles("dongthap.qlvb: View work calendar")
    assert "qlvb_calendar" in actions.portal_tabs.objectIds()


def test_1007_task_report_indexes_are_added(site):
    from dongthap.qlvb.upgrades import v1007_tasks

    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        for name in v1007_tasks.REPORT_INDEXES:
            catalog.delIndex(name)
            catalog.delColumn(name)
        v1007_tasks.report_indexes()
        v1007_tasks.report_indexes()  # again: nothing breaks
    assert set(v1007_tasks.REPORT_INDEXES) <= set(catalog.indexes())
    assert set(v1007_tasks.REPORT_INDEXES) <= set(catalog.schema())
    assert len(catalog(portal_type="Task", qlvb_task_late=True)) == 0
def test_1007_delegation_grants_manage_delegations_to_leaders(site):
    from dongthap.qlvb.upgrades import v1007_delegation

    permission = "dongthap.qlvb: Manage delegations"
    with api.env.adopt_roles(["Manager"]):
        site.manage_permission(permission, [], acquire=True)  # as a 1006 site had it
        v1007_delegation.delegation(None)
        v1007_delegation.delegation(None)  # again: nothing breaks
    selected = {r["name"] for r in site.rolesOfPermission(permission) if r["selected"]}
    assert selected == {"Manager", "QlvbLeader"}


@pytest.mark.parametrize("module, step", [("v1006_notifications", "notifications"),
                                          ("v1007_overdue", "overdue")])
def test_column_steps_add_their_column(site, module, step):
    """1006 adds ``qlvb_open_assignments``, 1007 ``qlvb_handling_outcomes``."""
    import importlib

    upgrade = importlib.import_module(f"dongthap.qlvb.upgrades.{module}")
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        catalog.delColumn(upgrade.COLUMN)  # as the site was before
        getattr(upgrade, step)(None)
        getattr(upgrade, step)(None)  # again: nothing breaks
    assert upgrade.COLUMN in catalog.schema()


def test_upgrade_utils_add_once_and_reindex_in_batches(demo):
    """The helpers of the upgrade steps (``upgrades/utils.py``): an index or a column is added once;
    ``reindex`` fills the named index of the objects found (``only`` leaves some), in batches."""
    from dongthap.qlvb.upgrades import utils

    catalog = api.portal.get_tool("portal_catalog")
    name = "qlvb_test_upgrade_utils"
    found = catalog.unrestrictedSearchResults(portal_type="IncomingDocument")
    uids = sorted(b.UID for b in found)
    assert len(uids) > 2  # more than one batch of 2
    with api.env.adopt_roles(["Manager"]):
        assert utils.add_index(name, "FieldIndex", extra={"indexed_attrs": "portal_type"})
        assert not utils.add_index(name, "KeywordIndex")
        assert utils.add_column(name) and not utils.add_column(name)
        assert not catalog.unrestrictedSearchResults(**{name: "IncomingDocument"})
        first = uids[0]
        assert utils.reindex("IncomingDocument", idxs=[name], only=lambda obj: obj.UID() != first,
                             batch=2) == len(uids) - 1
        assert sorted(b.UID for b in catalog.unrestrictedSearchResults(**{name: "IncomingDocument"})) \
            == uids[1:]
        with pytest.raises(ValueError):
            utils.reindex("IncomingDocument")
        catalog.delIndex(name)
        catalog.delColumn(name)


def test_1007_recipient_text_refills_the_internal_recipients(demo):
    """Before 1007 the recipient text held only external recipients; the step refills it."""
    from dongthap.qlvb.upgrades import v1007_recipient_text

    catalog = api.portal.get_tool("portal_catalog")
    index = catalog._catalog.getIndex(v1007_recipient_text.INDEX)
    sent = [b for b in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument")
            if b._unrestrictedGetObject().internal_recipients]
    assert sent  # the demo's drafts of Sở TT&TT go to Sở Nội vụ
    for brain in sent:  # as a 1006 site had them
        index.unindex_object(brain.getRID())
    assert not catalog.unrestrictedSearchResults(qlvb_recipient_text="noi vu")
    with api.env.adopt_roles(["Manager"]):
        assert v1007_recipient_text.recipient_text(None, commit=False) == len(sent)
    found = {b.UID for b in catalog.unrestrictedSearchResults(qlvb_recipient_text="noi vu")}
    assert found == {b.UID for b in sent}


def test_1008_register_columns_adds_and_fills_the_register_column(demo):
    """A 1007 site has no column ``qlvb_register_values``: the step adds it and fills it for the
    registered incoming and issued outgoing documents (the registers then wake none of them)."""
    from dongthap.qlvb.incoming import queries as incoming
    from dongthap.qlvb.outgoing import queries as outgoing
    from dongthap.qlvb.upgrades import v1008_register_columns

    catalog = api.portal.get_tool("portal_catalog")
    agency = demo["so-tttt"]
    before = (incoming.register_rows(agency), incoming.tracking_rows(agency),
              outgoing.register_rows(agency, None, None))
    with api.env.adopt_roles(["Manager"]):
        catalog.delColumn(v1008_register_columns.COLUMN)  # as a 1007 site was
        assert incoming.register_rows(agency) == before[0]  # read from the documents meanwhile
        count = v1008_register_columns.register_columns(None, commit=False)
        assert v1008_register_columns.register_columns(None, commit=False) == count  # again
    assert v1008_register_columns.COLUMN in catalog.schema()
    registered = catalog.unrestrictedSearchResults(portal_type="IncomingDocument",
                                                   qlvb_arrival_number={"query": 1, "range": "min"})
    issued = catalog.unrestrictedSearchResults(portal_type="OutgoingDocument",
                                               review_state=v1008_register_columns.ISSUED)
    assert registered and count == len(registered) + len(issued)
    assert all(isinstance(b.qlvb_register_values, tuple) for b in (*registered, *issued))
    assert (incoming.register_rows(agency), incoming.tracking_rows(agency),
            outgoing.register_rows(agency, None, None)) == before


def test_1008_signer_name_stores_the_signers_name(demo, monkeypatch):
    """Before 1008 the signer's name was looked up at every reindex; the step stores it."""
    from dongthap.qlvb.outgoing import api as outgoing
    from dongthap.qlvb.upgrades import v1008_signer_name

    catalog = api.portal.get_tool("portal_catalog")
    docs = [b._unrestrictedGetObject()
            for b in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument")]
    assert docs  # the demo's drafts
    for doc in docs:  # as a 1007 site had them
        doc.__dict__.pop(outgoing.SIGNER_NAME_ATTR, None)
        doc._p_changed = True
    assert all(outgoing.signer_name(d) == outgoing.fullname(d.signer) for d in docs)  # PAS fallback
    with api.env.adopt_roles(["Manager"]):
        assert v1008_signer_name.signer_name(None, commit=False) == len(docs)
    names = {}
    for doc in docs:
        userid, names[doc.UID()] = getattr(doc, outgoing.SIGNER_NAME_ATTR)
        assert userid == doc.signer and names[doc.UID()] == outgoing.fullname(doc.signer) != userid
    monkeypatch.setattr(outgoing, "fullname", lambda userid: "PAS asked")
    assert {d.UID(): outgoing.signer_name(d) for d in docs} == names  # read from the document


def test_1009_task_lead_adds_and_fills_the_lead_column(demo):
    """The task lists' "Chủ trì" column comes from the catalog column the 1009 step adds and fills."""
    from dongthap.qlvb.upgrades import v1009_task_lead

    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        catalog.delColumn(v1009_task_lead.COLUMN)  # as a 1008 site was
        assert not hasattr(catalog.unrestrictedSearchResults(portal_type="Task")[0], v1009_task_lead.COLUMN)
        count = v1009_task_lead.task_lead(None)
        assert v1009_task_lead.task_lead(None) == count > 0  # again
    assert v1009_task_lead.COLUMN in catalog.schema()
    leads = {b.Title: b.qlvb_task_lead for b in catalog.unrestrictedSearchResults(portal_type="Task")}
    assert leads["Rà soát vị trí việc làm của các đơn vị"] == "department:tcbc"
    assert "user:snv.chuyenvien" in leads.values()


def test_1009_calendar_feed_expiry_adds_the_record_and_dates_old_tokens(site):
    """Before 1009 the iCal tokens had no date and never expired; the step adds the record and dates them."""
    from dongthap.qlvb.upgrades import v1009_calendar_feed_expiry
    from dongthap.qlvb.workcalendar import api as cal
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    record = "dongthap.qlvb.workcalendar.feed_token_days"
    registry = getUtility(IRegistry)
    token = cal.feed_token("an.old.user")
    tokens = cal._tokens()
    del tokens["issued"]  # as a 1008 site was
    del registry.records[record]
    assert cal.token_expires(token) is None
    assert v1009_calendar_feed_expiry.calendar_feed_expiry(None) == 1
    assert v1009_calendar_feed_expiry.calendar_feed_expiry(None) == 0  # again: dates kept
    assert registry[record] == 365
    assert not cal.token_expired(token)
    assert 364 <= (cal.token_expires(token) - cal.dt.datetime.now(cal.dt.UTC)).days <= 365
