"""Status and recall forgery: only the parties the original exchange recorded may change a document."""

from __future__ import annotations

import transaction
from dongthap.qlvb.antivirus import incidents
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.api import recipient_statuses
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.outbox import queue_outgoing
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from plone import api
from plone_support import EXTERNAL, SNV, STTTT, external_package, revoke_of, stand_in_outgoing, status_for

THIRD = "000.00.00.G12"  # an external agency that got nothing


def run(portal, data, agency=None, source_id="ax1"):
    with system_user(portal):
        return process_package(portal, data, source="import" if agency is not None else "axis",
                               source_id=source_id, agency=agency)


def forgery_incidents(portal):
    """Incidents as committed by the incident log (read through a new connection)."""
    tm = transaction.TransactionManager()
    conn = portal._p_jar.db().open(transaction_manager=tm)
    try:
        log = incidents.get_log(conn.get(portal._p_oid))
        items = log.query() if log is not None else []
    finally:
        tm.abort()
        conn.close()
    return [i for i in items if i["kind"] == incidents.EXCHANGE_FORGERY]


def _sent_document(portal):
    doc = stand_in_outgoing(portal)  # a document of Sở TT&TT
    [entry] = queue_outgoing(document=doc, recipients=[{"organ_id": EXTERNAL, "name": "VPCP"}])
    return doc, entry


def test_status_imported_by_a_third_agency_changes_nothing_and_is_an_incident(portal):
    doc, entry = _sent_document(portal)
    before = len(forgery_incidents(portal))
    # the clerk of Sở Nội vụ posts to Sở Nội vụ's own import a "completed" for Sở TT&TT's document
    forged = edxml.build_status(status_for(entry.document_id, sender=EXTERNAL, to=STTTT, code="06"))
    outcome = run(portal, forged, agency=portal["so-noi-vu"])
    assert outcome.result == "forbidden" and outcome.ack == "fail"
    [info] = recipient_statuses(doc)
    assert info["business_status"] == "" and info["history"] == []
    found = forgery_incidents(portal)
    assert len(found) == before + 1
    assert found[0]["agency_code"] == SNV and entry.document_id in found[0]["reason"]
    log = [dict(v) for v in get_store(portal).log.values()]
    assert any(e["action"] == "refused" and e.get("kind") == "forgery" for e in log)
    # the same package imported by the sender's own clerk is legitimate
    assert run(portal, forged, agency=portal["so-tttt"], source_id="ax2").result == "status"
    [info] = recipient_statuses(doc)
    assert info["business_status"] == "06"


def test_status_from_an_agency_that_is_not_a_recipient_is_refused(portal):
    doc, entry = _sent_document(portal)
    before = len(forgery_incidents(portal))
    for sender in (THIRD, SNV):
        outcome = run(portal, edxml.build_status(status_for(entry.document_id, sender=sender, to=STTTT,
                                                             code="06")), source_id=f"ax-{sender}")
        assert outcome.result == "forbidden"
    [info] = recipient_statuses(doc)
    assert info["business_status"] == ""
    assert len(forgery_incidents(portal)) == before + 2
    # the real recipient still can
    legit = edxml.build_status(status_for(entry.document_id, sender=EXTERNAL, to=STTTT, code="03"))
    assert run(portal, legit, source_id="ax-ok").result == "status"
    assert recipient_statuses(doc)[0]["business_status"] == "03"


def test_revoke_by_another_sender_changes_nothing(portal):
    pkg = external_package()
    path = run(portal, edxml.build_document(pkg)).documents[0]
    before = len(forgery_incidents(portal))
    forged = revoke_of(pkg)
    forged.message_header.from_ = edxml.Organization(THIRD, organ_name="Bộ khác")
    forged.trace_header_list.trace_headers[0].organ_id = THIRD
    outcome = run(portal, edxml.build_document(forged), source_id="ax2")
    assert outcome.result == "forbidden"
    doc = portal.unrestrictedTraverse(path, None)
    assert doc is not None and getattr(doc, "qlvb_recalled", None) is None
    assert len(forgery_incidents(portal)) == before + 1
    # the same forgery imported by hand by the receiving clerk: refused too
    assert run(portal, edxml.build_document(forged), agency=portal["so-tttt"],
               source_id="ax3").result == "forbidden"
    # the real sender's revoke still works
    assert run(portal, edxml.build_document(revoke_of(pkg)), source_id="ax4").result == "recalled"
    assert portal.unrestrictedTraverse(path, None) is None


def test_replace_by_another_sender_freezes_nothing(portal):
    old_pkg = external_package(number="10")
    old = portal.unrestrictedTraverse(run(portal, edxml.build_document(old_pkg)).documents[0])
    forged = external_package(number="11", business_type=edxml.DOCTYPE_REPLACE, sender=THIRD)
    forged.trace_header_list.bussiness.replacement_info_list = [
        edxml.ReplacementInfo(old_pkg.message_header.document_id, [STTTT])]
    outcome = run(portal, edxml.build_document(forged), source_id="ax2")
    assert outcome.result == "forbidden" and not outcome.documents
    assert getattr(old, "qlvb_recalled", None) is None
    assert api.content.get_state(old) == "received"
