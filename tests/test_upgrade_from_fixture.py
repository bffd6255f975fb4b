"""A site created by the code before the document base (commit 4a3c9b6, profile 1004), upgraded.

``tests/fixtures/site-1004.tar.xz`` was made by ``scripts/make-upgrade-fixture.py``
with that commit's code: the demo agencies and staff, incoming documents
received, registered and assigned, outgoing drafts and one document issued
(signed, delivered to another agency). The test opens a copy with today's
code, runs the upgrade steps of our profile and checks that every document
kept its data and got its register entry.
"""

from tests.conftest import require

import pathlib
import pytest
import shutil
import tarfile

FIXTURE = pathlib.Path(__file__).parent / "fixtures" / "site-1004.tar.xz"
PROFILE = "dongthap.qlvb:default"
#: what the 1004 code stored, per type: old attribute → new attribute
OLD = {"IncomingDocument": {"arrival_number": "register_number", "arrival_year": "register_year",
                            "arrival_date": "register_date"},
       "OutgoingDocument": {"code_number": "register_number", "issued_year": "register_year",
                            "issued_at": "register_date"}}
KEPT = ("title", "document_type", "code_notation", "issued_date", "urgency", "page_amount", "due_date",
        "signer_position")


@pytest.fixture
def old_site(site, tmp_path):
    """The fixture site, opened with today's code in its own connection and transaction manager."""
    from AccessControl.SecurityManagement import getSecurityManager
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SecurityManagement import setSecurityManager
    from Testing.makerequest import makerequest
    from ZODB.DB import DB
    from ZODB.FileStorage import FileStorage
    from zope.component.hooks import getSite
    from zope.component.hooks import setSite

    import transaction

    require(FIXTURE.exists(), "no fixture: run scripts/make-upgrade-fixture.py")
    with tarfile.open(FIXTURE) as tar:
        tar.extractall(tmp_path, filter="data")
    storage = FileStorage(str(tmp_path / "Data.fs"), blob_dir=str(tmp_path / "blobstorage"))
    db = DB(storage)
    manager = transaction.TransactionManager()
    conn = db.open(transaction_manager=manager)
    before_site, before_security = getSite(), getSecurityManager()
    try:
        app = makerequest(conn.root()["Application"])
        newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
        portal = app["plone"]
        setSite(portal)
        yield portal
    finally:
        manager.abort()
        setSite(before_site)
        setSecurityManager(before_security)
        conn.close()
        db.close()
        shutil.rmtree(tmp_path, ignore_errors=True)


def _documents(portal):
    catalog = portal.portal_catalog
    return [b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(
        portal_type=list(OLD), sort_on="path")]


def _stored(doc):
    doc._p_activate()
    return {name: doc.__dict__.get(name) for name in OLD[doc.portal_type]}


def test_a_1004_site_upgrades_and_every_document_keeps_its_data(old_site):
    from plone import api

    setup = old_site.portal_setup
    workflow = old_site.portal_workflow
    assert setup.getLastVersionForProfile(PROFILE) == ("1004",)
    docs = _documents(old_site)
    states = {(d.portal_type, workflow.getInfoFor(d, "review_state")) for d in docs}
    assert {("IncomingDocument", "received"), ("IncomingDocument", "registered"),
            ("OutgoingDocument", "draft"), ("OutgoingDocument", "issued")} <= states, states
    before = {}
    for doc in docs:
        before[doc.getPhysicalPath()] = {
            "stored": _stored(doc), "state": workflow.getInfoFor(doc, "review_state"),
            "fields": {name: doc.__dict__.get(name) for name in KEPT},
            "file": doc.file.getSize(), "trail": len(doc.qlvb_trail)}
    issued = [d for d in docs if before[d.getPhysicalPath()]["state"] == "issued"]
    assert issued and all(before[d.getPhysicalPath()]["stored"]["code_number"] for d in issued)

    setup.upgradeProfile(PROFILE)

    assert setup.getLastVersionForProfile(PROFILE) == (v1005_version(),)
    types = old_site.portal_types
    assert "dongthap.qlvb.register_entry" in types["IncomingDocument"].behaviors
    assert "dongthap.qlvb.draft_document_files" in types["OutgoingDocument"].behaviors
    catalog = old_site.portal_catalog
    registered = 0
    for doc in docs:
        old = before[doc.getPhysicalPath()]
        assert workflow.getInfoFor(doc, "review_state") == old["state"]
        assert {name: doc.__dict__.get(name) for name in KEPT} == old["fields"]
        assert doc.title and doc.Title() == old["fields"]["title"]
        assert doc.file.getSize() == old["file"] and len(doc.qlvb_trail) == old["trail"]
        for name, new in OLD[doc.portal_type].items():
            value = old["stored"][name]
            assert getattr(doc, name) == value, (doc.getId(), name)  # the old name reads the same
            assert getattr(doc, new) == (int(value) if name == "code_number" and value else value)
        if doc.register_number:
            registered += 1
            brains = catalog.unrestrictedSearchResults(
                UID=api.content.get_uuid(doc), qlvb_register_number=doc.register_number,
                qlvb_register_year=doc.register_year)
            assert len(brains) == 1
    assert registered >= 2
    for doc in issued:
        assert doc.notation().startswith(before[doc.getPhysicalPath()]["stored"]["code_number"] + "/")


def v1005_version():
    from tests.test_upgrades import METADATA_VERSION

    return METADATA_VERSION
