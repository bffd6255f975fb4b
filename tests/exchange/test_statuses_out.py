"""Statuses out: the incoming workflow of a document received by exchange answers the sender."""

from __future__ import annotations

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.queue import KIND_STATUS
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from plone import api
from plone_support import EXTERNAL, STTTT, external_package


def _received(portal):
    with system_user(portal):
        outcome = process_package(portal, edxml.build_document(external_package(to=(STTTT,))),
                                  source_id="ax1")
    return portal.unrestrictedTraverse(outcome.documents[0])


def _codes(portal, doc):
    store = get_store(portal)
    entries = sorted((e for e in store.entries_of(document_uid=api.content.get_uuid(doc))
                      if e.kind == KIND_STATUS), key=lambda e: e.queued_ns)
    out = []
    for entry in entries:
        pkg = edxml.parse(entry.package)
        mh = pkg.message_header
        assert entry.recipient == EXTERNAL == mh.response_for.organ_id
        assert mh.from_.organ_id == STTTT
        assert mh.response_for.document_id == doc.qlvb_exchange["document_id"]
        out.append((mh.status_code, mh.description))
    return out


def test_register_assign_start_complete_emit_03_04_05_06(portal):
    doc = _received(portal)
    with api.env.adopt_user(username="stttt.vanthu"):
        incoming.transition(doc, "register")
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"user": "stttt.truongphong", "department": "cntt"}})
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.record_progress(doc, "Đang dự thảo văn bản trả lời")
        incoming.transition(doc, "complete", "Đã trả lời")
    assert api.content.get_state(doc) == "completed"
    assert [c for c, _d in _codes(portal, doc)] == ["01", "03", "04", "05", "06"]


def test_refuse_emits_02_with_the_reason(portal):
    doc = _received(portal)
    with api.env.adopt_user(username="stttt.vanthu"):
        incoming.transition(doc, "refuse", "Văn bản không thuộc thẩm quyền của Sở")
    codes = _codes(portal, doc)
    assert codes[-1] == ("02", "Từ chối tiếp nhận: Văn bản không thuộc thẩm quyền của Sở")


def test_documents_not_from_the_exchange_emit_nothing(portal):
    from tests.incoming.helpers import form_values

    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(agency, incoming.clean(form_values()), register=True)
    doc = portal.unrestrictedTraverse(result["path"])
    assert get_store(portal).entries_of(document_uid=api.content.get_uuid(doc)) == []
