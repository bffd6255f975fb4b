"""A replacement or a correction of a document sent through the axis is sent as one (types 3 and 2),
and the receiving side acts on it (here the receiver is an agency of the same site, as on the axis)."""

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from plone import api
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft

SNV = "000.00.09.H20"
EXTERNAL = [{"code": SNV, "name": "Sở Nội vụ"}]


def _entries(doc):
    return sorted(get_store().entries_of(document_uid=api.content.get_uuid(doc)), key=lambda e: e.queued_ns)


def _deliver(portal, entry):
    """What the worker does on the receiving side: the package enters the inbox."""
    with system_user(portal):
        return process_package(portal, entry.package, source_id=f"ax-{entry.id}")


def test_replacement_is_sent_as_type_3_and_freezes_the_old_copy(portal):
    old = chain(draft(portal, recipients=("so-tai-chinh",), external=EXTERNAL, title="V/v kế hoạch năm"))
    [first] = _entries(old)
    assert first.business_type == edxml.DOCTYPE_NEW
    received = portal.unrestrictedTraverse(_deliver(portal, first).documents[0])
    new = chain(draft(portal, recipients=("so-tai-chinh",), external=EXTERNAL,
                      title="V/v kế hoạch năm (thay thế)", replaces=api.content.get_uuid(old)))
    [entry] = _entries(new)
    assert entry.business_type == edxml.DOCTYPE_REPLACE
    pkg = edxml.parse(entry.package)
    [info] = pkg.trace_header_list.bussiness.replacement_info_list
    assert info.document_id == first.document_id and info.organ_ids == [SNV]
    outcome = _deliver(portal, entry)
    assert outcome.result == "created"
    replacement = portal.unrestrictedTraverse(outcome.documents[0])
    assert received.qlvb_recalled["replaced_by"] == api.content.get_uuid(replacement)
    assert replacement.qlvb_exchange["replaces"] == [api.content.get_uuid(received)]


def test_correction_is_sent_as_type_2_and_updates_the_received_copy(portal):
    from dongthap.qlvb.exchange.outbox import queue_update

    doc = chain(draft(portal, recipients=("so-tai-chinh",), external=EXTERNAL, title="V/v họp giao ban"))
    [first] = _entries(doc)
    received = portal.unrestrictedTraverse(_deliver(portal, first).documents[0])
    doc.title = "V/v họp giao ban tháng 6 (đính chính)"
    with api.env.adopt_user(username="stttt.vanthu"):
        [entry] = queue_update(document=doc, reason="Đính chính trích yếu")
    assert entry.business_type == edxml.DOCTYPE_UPDATE
    business = edxml.parse(entry.package).trace_header_list.bussiness
    assert business.document_info.document_info == "1" and business.bussiness_doc_reason
    assert _deliver(portal, entry).result == "updated"
    assert received.title == "V/v họp giao ban tháng 6 (đính chính)"
