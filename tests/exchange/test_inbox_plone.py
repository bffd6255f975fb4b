"""The inbox in a Plone site: packages become incoming documents, or are refused with 02."""

from __future__ import annotations

import pytest
import transaction
from dongthap.qlvb.antivirus.scanner import eicar_bytes
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.engine import Engine
from dongthap.qlvb.exchange.inbox import Inbox, process_package
from dongthap.qlvb.exchange.queue import KIND_STATUS
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from plone import api
from plone_support import (
    EXTERNAL,
    SNV,
    STTTT,
    UNKNOWN,
    MemoryTransport,
    SavepointTM,
    external_package,
    revoke_of,
    status_for,
)


def run(portal, data, **kw):
    with system_user(portal):
        return process_package(portal, data, source_id=kw.pop("source_id", "ax1"), **kw)


def statuses(portal, recipient=EXTERNAL):
    store = get_store(portal)
    out = []
    for entry_id in store.pending:
        entry = store.entries[entry_id]
        if entry.kind == KIND_STATUS and entry.recipient == recipient:
            pkg = edxml.parse(entry.package)
            out.append((pkg.message_header.status_code, pkg.message_header.description))
    return out


def incoming_docs(agency):
    return api.content.find(context=agency, portal_type="IncomingDocument", unrestricted=True)


def test_package_creates_received_document_and_answers_01(portal):
    pkg = external_package(to=(STTTT,))
    before = len(incoming_docs(portal["so-tttt"]))
    outcome = run(portal, edxml.build_document(pkg))
    assert outcome.result == "created" and outcome.ack == "done"
    doc = portal.unrestrictedTraverse(outcome.documents[0])
    assert api.content.get_state(doc) == "received"
    assert doc.source == "axis"
    assert doc.code_number == "125" and doc.code_notation == "VPCP-KGVX"
    assert doc.issuing_agency_code == EXTERNAL
    assert doc.urgency == "khan"
    assert doc.file.data.startswith(b"%PDF")
    assert doc.qlvb_exchange["document_id"] == pkg.message_header.document_id
    assert doc.qlvb_exchange["legal_validity"] == "unsigned"
    # the ZIP is kept aside, never opened
    assert [f["name"] for f in doc.qlvb_exchange["other_files"]] == ["phuluc.zip"]
    assert len(incoming_docs(portal["so-tttt"])) == before + 1
    assert statuses(portal) == [("01", edxml.STATUS_LABELS["01"])]


def test_duplicate_package_is_ignored(portal):
    data = edxml.build_document(external_package())
    first = run(portal, data, source_id="ax1")
    second = run(portal, data, source_id="ax2")  # same DocumentId under another axis id
    assert first.result == "created"
    assert second.result == "duplicate" and second.ack == "done"
    assert len(statuses(portal)) == 1
    # not silently ignored: the clerk sees the dropped package with the reason (issue 22 item 4)
    from dongthap.qlvb.exchange.refusals import list_problems
    from dongthap.qlvb.incoming import duplicates

    [dropped] = duplicates.dropped_packages(STTTT)
    assert dropped["kind"] == "duplicate" and dropped["source_id"] == "ax2"
    assert "DocumentId" in dropped["reason"] and dropped["code"].startswith("125/")
    assert [p["kind"] for p in list_problems(STTTT)] == ["duplicate"]
    assert duplicates.dropped_packages(SNV) == []
    # the received document carries its DocumentId: a second copy of it would be flagged
    doc = portal.unrestrictedTraverse(first.documents[0])
    assert api.portal.get_tool("portal_catalog").unrestrictedSearchResults(
        qlvb_exchange_document_id=external_package().message_header.document_id)[0].UID == doc.UID()


def test_package_for_two_of_our_agencies_creates_two_documents(portal):
    outcome = run(portal, edxml.build_document(external_package(to=(STTTT, SNV))))
    assert len(outcome.documents) == 2
    assert {p.split("/")[2] for p in outcome.documents} == {"so-tttt", "so-noi-vu"}


def test_unknown_agency_is_refused_with_02(portal):
    outcome = run(portal, edxml.build_document(external_package(to=(UNKNOWN,))))
    assert outcome.result == "refused" and outcome.ack == "fail"
    [(code, reason)] = statuses(portal)
    assert code == "02" and UNKNOWN in reason and "Không có cơ quan nhận" in reason


@pytest.mark.parametrize("marking", ["MẬT", "TỐI MẬT", "TUYỆT MẬT"])
def test_secret_package_is_refused(portal, marking):
    pkg = external_package()
    pkg.message_header.other_info.sphere_of_promulgation = marking
    before = len(incoming_docs(portal["so-tttt"]))
    outcome = run(portal, edxml.build_document(pkg))
    assert outcome.result == "refused"
    [(code, reason)] = statuses(portal)
    assert code == "02" and marking in reason and "595" in reason
    assert len(incoming_docs(portal["so-tttt"])) == before


def test_topic_about_secrets_is_not_a_marking(portal):
    pkg = external_package(subject="V/v tăng cường công tác bảo vệ BÍ MẬT nhà nước")
    assert run(portal, edxml.build_document(pkg)).result == "created"


def test_infected_attachment_is_refused(portal):
    pkg = external_package()
    pkg.attachments.append(edxml.Attachment("v3", "hoso.zip", "", "application/zip", eicar_bytes()))
    outcome = run(portal, edxml.build_document(pkg))
    assert outcome.result == "refused"
    [(code, reason)] = statuses(portal)
    assert code == "02" and "hoso.zip" in reason and "mã độc" in reason


@pytest.mark.parametrize("data", [
    b"not xml at all",
    b"<edXML><broken",
    b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><x>&b;</x>',
    b"",
])
def test_malformed_package_is_refused_without_crash(portal, data):
    with system_user(portal):
        outcome = process_package(portal, data, source_id="bad1", sender_hint=EXTERNAL)
    assert outcome.result == "refused" and outcome.ack == "fail"
    [(code, reason)] = statuses(portal)
    assert code == "02" and "không đọc được" in reason


def test_invalid_package_lists_problems(portal):
    pkg = external_package()
    pkg.message_header.code.code_number = ""
    data = edxml.build_document(external_package()).replace(b"<edXML:CodeNumber>125</edXML:CodeNumber>",
                                                            b"<edXML:CodeNumber></edXML:CodeNumber>")
    outcome = run(portal, data)
    assert outcome.result == "refused" and "CodeNumber" in outcome.reason


def test_revoke_removes_unregistered_copy(portal):
    pkg = external_package()
    created = run(portal, edxml.build_document(pkg), source_id="ax1")
    path = created.documents[0]
    outcome = run(portal, edxml.build_document(revoke_of(pkg)), source_id="ax2")
    assert outcome.result == "recalled"
    assert portal.unrestrictedTraverse(path, None) is None
    log = [dict(v) for v in get_store(portal).log.values()]
    assert any(e["action"] == "recall-removed" and e["path"] == path for e in log)
    [answer] = [text for code, text in statuses(portal) if code == "15"]
    assert answer.startswith("Đã thu hồi văn bản. Đã hủy văn bản tại nơi nhận: 125/VPCP-KGVX")
    # a second copy of the same revoke is harmless
    assert run(portal, edxml.build_document(revoke_of(pkg)), source_id="ax3").result == "ignored"


def test_revoke_freezes_registered_copy(portal):
    from dongthap.qlvb.exchange.subscribers import RecalledDocumentError

    pkg = external_package()
    created = run(portal, edxml.build_document(pkg))
    doc = portal.unrestrictedTraverse(created.documents[0])
    with api.env.adopt_user(username="stttt.vanthu"):
        api.content.transition(obj=doc, transition="register")
    assert ("03", edxml.STATUS_LABELS["03"]) in statuses(portal)
    run(portal, edxml.build_document(revoke_of(pkg)), source_id="ax2")
    assert doc.qlvb_recalled["reason"] == "Gửi nhầm văn bản"
    assert doc.qlvb_trail[-1]["action"] == "exchange_recall"
    from dongthap.qlvb.incoming import handling

    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(Exception) as caught:
        handling.assign(doc, {"lead": {"user": "stttt.truongphong", "department": "cntt"}})
    assert isinstance(caught.value, RecalledDocumentError) or "thu hồi" in str(caught.value) or \
        "recalled" in str(caught.value)
    assert api.content.get_state(doc) == "registered"


def test_revoke_before_original_blocks_the_late_original(portal):
    pkg = external_package()
    assert run(portal, edxml.build_document(revoke_of(pkg)), source_id="ax1").result == "ignored"
    assert run(portal, edxml.build_document(pkg), source_id="ax2").result == "duplicate"


def test_replace_links_and_freezes_the_old_document(portal):
    old_pkg = external_package(number="10")
    old = portal.unrestrictedTraverse(run(portal, edxml.build_document(old_pkg)).documents[0])
    new_pkg = external_package(number="11", business_type=edxml.DOCTYPE_REPLACE)
    new_pkg.trace_header_list.bussiness.replacement_info_list = [
        edxml.ReplacementInfo(old_pkg.message_header.document_id, [STTTT])]
    outcome = run(portal, edxml.build_document(new_pkg), source_id="ax2")
    new = portal.unrestrictedTraverse(outcome.documents[0])
    assert new.qlvb_exchange["replaces"] == [api.content.get_uuid(old)]
    assert old.qlvb_recalled["replaced_by"] == api.content.get_uuid(new)


def test_update_changes_the_received_document(portal):
    pkg = external_package()
    doc = portal.unrestrictedTraverse(run(portal, edxml.build_document(pkg)).documents[0])
    update = revoke_of(pkg)
    update.trace_header_list.bussiness.bussiness_doc_type = edxml.DOCTYPE_UPDATE
    update.message_header.subject = "V/v triển khai liên thông (bản cập nhật)"
    assert run(portal, edxml.build_document(update), source_id="ax2").result == "updated"
    assert doc.title == "V/v triển khai liên thông (bản cập nhật)"


def test_status_package_updates_recipient_status(portal):
    from dongthap.qlvb.exchange.outbox import queue_outgoing
    from dongthap.qlvb.exchange.api import recipient_statuses
    from plone_support import stand_in_outgoing

    doc = stand_in_outgoing(portal)
    [entry] = queue_outgoing(document=doc, recipients=[{"organ_id": EXTERNAL, "name": "VPCP"}])
    [info] = recipient_statuses(doc)
    assert info["transport_state"] == "queued" and info["business_status"] == ""
    outcome = run(portal, edxml.build_status(status_for(entry.document_id, sender=EXTERNAL, to=STTTT,
                                                         code="03")))
    assert outcome.result == "status"
    [info] = recipient_statuses(doc)
    assert info["business_status"] == "03" and info["business_status_title"] == edxml.STATUS_LABELS["03"]
    # a status about an unknown document is acknowledged, logged, harmless
    stray = run(portal, edxml.build_status(status_for("x,2024/01/01,1/X", sender=EXTERNAL, to=STTTT)),
                source_id="ax9")
    assert stray.result == "ignored"


def test_engine_polls_and_acknowledges_through_a_transport(portal):
    transport = MemoryTransport()
    good = transport.put(edxml.build_document(external_package()), sender=EXTERNAL)
    bad = transport.put(b"<<<garbage", sender=EXTERNAL)
    inbox = Inbox(portal)
    engine = Engine(transport=transport, store=lambda: get_store(portal), handler=inbox,
                    refuse=inbox.refuse_unhandled, transaction_manager=SavepointTM())
    with system_user(portal):
        result = engine.run_once()
    assert transport.acks == {good: "done", bad: "fail"}
    assert result["receive"]["received"] == 2
    codes = sorted(code for _to, code, _d in transport.statuses_sent())
    assert codes == ["01", "02"]
    with system_user(portal):
        engine.run_once()  # nothing new: nothing created, nothing sent twice
    assert len(transport.statuses_sent()) == 2


class AbortingTM:
    """The engine's transactions as ``transaction.manager`` runs them: ``begin`` drops uncommitted work.

    Savepoints stand in for commits (the test never commits): ``commit`` keeps
    everything done so far, ``begin``/``abort`` roll back to the last "commit".
    """

    def __init__(self):
        self._base = transaction.savepoint()

    def get(self):
        return transaction.get()

    def begin(self):
        self._base.rollback()

    def commit(self):
        self._base = transaction.savepoint()

    def abort(self):
        self._base.rollback()


def test_revoke_freezes_a_completed_copy_received_first_by_a_fresh_site(portal):
    """The first package of a site that never exchanged, completed, then recalled: frozen + 15.

    As in the worker, the inbox is built before the engine's first transaction
    (which aborts anything uncommitted, e.g. a store created on the fly).
    """
    from dongthap.qlvb.exchange.inbox import RECALL_ATTR
    from dongthap.qlvb.exchange.queue import document_key
    from dongthap.qlvb.exchange.storage import ANNOTATION_KEY
    from dongthap.qlvb.exchange.subscribers import RecalledDocumentError
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming import handling
    from plone.app.uuid.utils import uuidToObject
    from zope.annotation.interfaces import IAnnotations

    IAnnotations(portal).pop(ANNOTATION_KEY, None)  # a site that never exchanged anything
    tm = AbortingTM()
    transport = MemoryTransport()
    pkg = external_package()
    transport.put(edxml.build_document(pkg), sender=EXTERNAL)
    with system_user(portal):
        inbox = Inbox(portal)  # like worker.engine_for: before the engine's transactions
        engine = Engine(transport=transport, store=lambda: get_store(portal), handler=inbox,
                        refuse=inbox.refuse_unhandled, transaction_manager=tm)
        engine.run_once()
    store = get_store(portal)
    uid = store.documents.get(document_key(pkg.message_header.document_id, STTTT))
    assert uid and not uid.startswith("!"), dict(store.documents)
    assert [e["action"] for e in store.log.values()] == ["received"]
    doc = uuidToObject(uid, unrestricted=True)
    assert api.content.get_state(doc) == "received"

    # registered, assigned and completed through the workflow (03, 04, 06 to the sender)
    with api.env.adopt_user(username="stttt.vanthu"):
        api.content.transition(obj=doc, transition="register")
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(doc, {"lead": {"user": "stttt.truongphong", "department": "cntt"}})
    with api.env.adopt_user(username="stttt.truongphong"):
        incoming.transition(doc, "complete", "Đã trả lời")
    assert api.content.get_state(doc) == "completed"
    tm.commit()

    transport.put(edxml.build_document(revoke_of(pkg)), sender=EXTERNAL)
    with system_user(portal):
        engine.run_once()
    assert api.content.get_state(doc) == "completed"
    notice = getattr(doc, RECALL_ATTR)
    assert notice["reason"] == "Gửi nhầm văn bản" and notice["sender"] == EXTERNAL
    assert store.documents[document_key(pkg.message_header.document_id, STTTT)] == f"!frozen:{uid}"
    assert [e["action"] for e in get_store(portal).log.values()] == ["received", "recall-frozen"]
    codes = [code for _to, code, _d in transport.statuses_sent()]
    assert codes == ["01", "03", "04", "06"], transport.statuses_sent()  # 15 when the clerk destroys it
    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(RecalledDocumentError):
        api.portal.get_tool("portal_workflow").doActionFor(doc, "reopen", comment="Mở lại")
    assert api.content.get_state(doc) == "completed"
