"""1004 → 1005 (v1005_base): documents stored by the code before the document base upgrade.

The documents are made by today's code, then put back in the shape the 1004
code stored them in (arrival/issue attributes on the object, no register
entry, FTIs without the shared behaviors, no ``qlvb_register_*`` indexes),
then the profile is upgraded.
"""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.numbering import retry
from dongthap.qlvb.upgrades import v1005_base
from plone import api
from tests.incoming.helpers import form_values
from tests.outgoing import helpers as out

import pytest

PROFILE = "dongthap.qlvb:default"
OLD_BEHAVIORS = ("plone.locking", "dongthap.qlvb.signed_document")
#: new attribute → old attribute, per type (what the 1004 code stored)
OLD_NAMES = {
    "IncomingDocument": {"register_number": "arrival_number", "register_year": "arrival_year",
                         "register_date": "arrival_date"},
    "OutgoingDocument": {"register_number": "code_number", "register_year": "issued_year",
                         "register_date": "issued_at"},
}


@pytest.fixture
def portal(demo, monkeypatch):
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    with retry.savepoints_only():
        yield demo


def _as_1004_stored_it(doc):
    state = doc.__dict__
    for new, old in OLD_NAMES[doc.portal_type].items():
        value = state.pop(new, None)
        if value is not None:
            state[old] = f"{value:02d}" if old == "code_number" else value
    doc._p_changed = True


def _received(agency, register, **overrides):
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(agency, incoming.clean(form_values(**overrides)), register=register)
    return api.portal.get().unrestrictedTraverse(result["path"])


def test_1005_moves_the_register_entry_of_every_document(portal):
    agency = portal["so-tttt"]
    received = _received(agency, False, code_number="501")
    registered = _received(agency, True, code_number="502")
    draft = out.draft(portal)
    issued = out.chain(out.draft(portal, title="V/v nâng cấp phiên bản"))
    docs = (received, registered, draft, issued)
    expected = {api.content.get_uuid(d): {
        name: getattr(d, name) for name in (
            "arrival_number", "arrival_year", "arrival_date", "code_number", "code_notation",
            "issued_year", "issued_at", "issued_date", "title", "page_amount")
        if hasattr(d, name)} for d in docs}
    assert registered.register_number and issued.register_number
    assert issued.code_number == f"{issued.register_number:02d}"

    # back to the shape of a 1004 site
    catalog = api.portal.get_tool("portal_catalog")
    types = api.portal.get_tool("portal_types")
    with api.env.adopt_roles(["Manager"]):
        for doc in docs:
            _as_1004_stored_it(doc)
        for name in ("IncomingDocument", "OutgoingDocument"):
            types[name].behaviors = OLD_BEHAVIORS
        for index in v1005_base.INDEXES:
            catalog.delIndex(index)
        assert registered.arrival_number is None  # the old values are hidden until the upgrade
        assert issued.code_number is None and issued.notation() == ""

        setup = api.portal.get_tool("portal_setup")
        setup.setLastVersionForProfile(PROFILE, "1004")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == (v1005_base_version(),)

    for name in ("IncomingDocument", "OutgoingDocument"):
        assert "dongthap.qlvb.register_entry" in types[name].behaviors
    for doc in docs:
        kept = {name: getattr(doc, name) for name in expected[api.content.get_uuid(doc)]}
        assert kept == expected[api.content.get_uuid(doc)], doc.portal_type
    assert registered.register_number == registered.arrival_number
    assert registered.register_date == registered.arrival_date
    assert received.register_number is None and received.register_date is not None
    assert issued.register_number == int(issued.code_number) and issued.register_year == issued.issued_year
    assert issued.notation().startswith(issued.code_number + "/")
    assert draft.register_number is None and draft.code_number is None
    for doc in (registered, issued):
        brains = catalog.unrestrictedSearchResults(UID=api.content.get_uuid(doc),
                                                   qlvb_register_number=doc.register_number,
                                                   qlvb_register_year=doc.register_year)
        assert len(brains) == 1 and brains[0].qlvb_register_number == doc.register_number
    # a document registered after the upgrade gets its entry, catalogued
    with api.env.adopt_user(username="stttt.vanthu"):
        incoming.transition(received, "register")
    assert received.register_number == registered.register_number + 1 == received.arrival_number
    assert [b.UID for b in catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument", path="/".join(agency.getPhysicalPath()),
        qlvb_register_number=received.register_number,
        qlvb_register_year=received.register_year)] == [api.content.get_uuid(received)]
    # the register of the agency still lists the registered document
    from dongthap.qlvb.incoming import queries

    assert registered.arrival_number in [r["arrival_number"] for r in queries.register_rows(agency)]
    # running it again changes nothing
    with api.env.adopt_roles(["Manager"]):
        v1005_base.document_base(None)
    assert registered.register_number == expected[api.content.get_uuid(registered)]["arrival_number"]


def v1005_base_version():
    from tests.test_upgrades import METADATA_VERSION

    return METADATA_VERSION
