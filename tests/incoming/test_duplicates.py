"""Duplicate warning before registration: flagged on "chờ vào sổ", registration stopped, refused
as a duplicate without using an arrival number (issue 22 item 4)."""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import duplicates
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.numbering import counter
from plone import api
from tests.incoming.helpers import form_values
from tests.incoming.helpers import today

import datetime
import pytest


def _create(portal, register=False, **overrides):
    with api.env.adopt_user(username="stttt.vanthu"):
        values = incoming.clean(form_values(**overrides))
        result = incoming.create(portal["so-tttt"], values, register=register)
    return portal.unrestrictedTraverse(result["path"])


def _waiting(portal):
    with api.env.adopt_user(username="stttt.vanthu"):
        return {r["uid"]: r for r in queries.waiting_registration(portal["so-tttt"])}


def test_duplicate_refused_without_consuming_a_number(portal):
    first = _create(portal, register=True, code_number="905", code_notation="UBND-VP",
                    issuing_agency_code=None, issuing_agency_name="Ủy ban nhân dân tỉnh Đồng Tháp")
    start = counter.peek_number(portal["so-tttt"], counter.INCOMING)
    # the same document typed again: "0905", notation in lower case with a space, the issuer
    # in capitals without diacritics
    second = _create(portal, code_number="0905", code_notation="ubnd - vp", issuing_agency_code=None,
                     issuing_agency_name="UY BAN NHAN DAN TINH DONG THAP")
    other_day = _create(portal, code_number="905", code_notation="UBND-VP", issuing_agency_code=None,
                        issuing_agency_name="Ủy ban nhân dân tỉnh Đồng Tháp",
                        issued_date=(today() - datetime.timedelta(days=20)).isoformat())
    rows = _waiting(portal)
    row = rows[api.content.get_uuid(second)]
    assert row["possible_duplicate"] and row["duplicates"][0]["uid"] == api.content.get_uuid(first)
    assert row["duplicates"][0]["arrival_number"] == first.arrival_number
    assert not rows[api.content.get_uuid(other_day)]["possible_duplicate"]  # another date: another document
    # the page's one look-up for all its rows finds what each document's own look-up finds
    for doc in (first, second, other_day):
        if api.content.get_uuid(doc) in rows:
            assert rows[api.content.get_uuid(doc)]["duplicates"] == duplicates.for_document(doc)
    assert duplicates.for_documents(portal["so-tttt"], [second, other_day]) == {
        api.content.get_uuid(second): duplicates.for_document(second),
        api.content.get_uuid(other_day): []}
    # registering it stops before a number is taken (409) …
    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(QlvbError) as stopped:
        incoming.transition(second, "register", confirm_duplicate=False)
    assert stopped.value.status == 409
    assert str(first.arrival_number) in api.portal.translate(stopped.value.message, lang="vi")
    assert counter.peek_number(portal["so-tttt"], counter.INCOMING) == start
    # … only the clerk refuses it as a duplicate
    with api.env.adopt_user(username="stttt.chuyenvien"), pytest.raises(QlvbError):
        duplicates.refuse(second, "Trùng")
    with api.env.adopt_user(username="stttt.vanthu"):
        result = duplicates.refuse(second, "Bản giấy đã vào sổ")
    assert result["state"] == "refused" and result["arrival_number"] is None
    assert second.arrival_number is None
    record = duplicates.record_of(second)
    assert record["by"] == "stttt.vanthu" and record["reason"] == "Bản giấy đã vào sổ"
    assert record["duplicate_of"][0]["uid"] == api.content.get_uuid(first)
    assert [t["action"] for t in second.qlvb_trail][-2:] == ["refuse_duplicate", "refuse"]
    assert counter.peek_number(portal["so-tttt"], counter.INCOMING) == start
    # the counter stays gap-free: the next registration takes the next number
    with api.env.adopt_user(username="stttt.vanthu"):
        assert incoming.transition(other_day, "register")["arrival_number"] == start + 1
    # a refused duplicate is no longer a duplicate of anything
    assert api.content.get_uuid(second) not in {d["uid"] for d in duplicates.for_document(first)}


def test_not_a_duplicate_cannot_be_refused_as_one(portal):
    doc = _create(portal, code_number="906")
    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(QlvbError) as refused:
        duplicates.refuse(doc, "Trùng")
    assert refused.value.status == 409 and api.content.get_state(doc) == "received"


def test_registration_form_values_are_checked_before_creation(portal):
    _create(portal, register=True, code_number="907")
    start = counter.peek_number(portal["so-tttt"], counter.INCOMING)
    with api.env.adopt_user(username="stttt.vanthu"):
        values = incoming.clean(form_values(code_number="907"))
        with pytest.raises(QlvbError) as stopped:
            incoming.create(portal["so-tttt"], values, register=True, confirm_duplicate=False)
        assert stopped.value.status == 409
        assert counter.peek_number(portal["so-tttt"], counter.INCOMING) == start
        # confirmed: registered (and still warned)
        result = incoming.create(portal["so-tttt"], values, register=True, confirm_duplicate=True)
    assert result["arrival_number"] == start + 1 and result["warnings"]


def test_page_look_up_reads_the_catalog_as_the_documents_say(portal):
    """"Chờ vào sổ" finds the duplicates of its rows from the catalog (no document woken): the same
    answer as from the documents, the issuer's code and the exchange id included."""
    agency = portal["so-tttt"]
    named = _create(portal, register=True, code_number="77", code_notation="STTTT-VP",
                    issuing_agency_code=None, issuing_agency_name="Sở Nội vụ")
    coded = _create(portal, code_number="077", code_notation="STTTT-VP", issuing_agency_code="000.00.12.H18",
                    issuing_agency_name="Sở Nội vụ")
    by_code = _create(portal, code_number="77", code_notation="STTTT-VP", issuing_agency_code="000.00.12.H18",
                      issuing_agency_name="SNV")
    exchanged = _create(portal, code_number="1", code_notation="X", issuing_agency_code=None,
                        issuing_agency_name="Sở Tài chính")
    for doc in (named, exchanged):
        doc.qlvb_exchange = {"document_id": "000.00.12.H18,2026/01/01,77"}
        doc.reindexObject()
    docs = [named, coded, by_code, exchanged]
    catalog = api.portal.get_tool("portal_catalog")
    brains = [catalog.unrestrictedSearchResults(UID=api.content.get_uuid(d))[0] for d in docs]
    found = duplicates.for_brains(agency, brains)
    assert found == duplicates.for_documents(agency, docs)
    # the code's key and the name's key: the one with both is a duplicate of each
    assert {d["uid"] for d in found[api.content.get_uuid(coded)]} == {
        api.content.get_uuid(named), api.content.get_uuid(by_code)}
    assert [d["reason"] for d in found[api.content.get_uuid(exchanged)]] == ["same_document_id"]
