"""Taking back a received document: status 13 or revoke → recalled and answered 15, or refused with 16."""

from __future__ import annotations

import pytest
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.queue import KIND_STATUS
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from dongthap.qlvb.recall import api as recall_api
from plone import api
from plone_support import EXTERNAL, STTTT, external_package, revoke_of, status_for

THIRD = "000.00.00.G12"


def run(portal, data, source_id, agency=None):
    with system_user(portal):
        return process_package(portal, data, source="import" if agency is not None else "axis",
                               source_id=source_id, agency=agency)


def answers(portal, recipient=EXTERNAL):
    store = get_store(portal)
    out = []
    for entry_id in store.pending:
        entry = store.entries[entry_id]
        if entry.kind == KIND_STATUS and entry.recipient == recipient:
            header = edxml.parse(entry.package).message_header
            out.append((header.status_code, header.description))
    return out


def _received(portal, number):
    pkg = external_package(to=(STTTT,), number=number)
    path = run(portal, edxml.build_document(pkg), f"ax-{number}").documents[0]
    return pkg, portal.unrestrictedTraverse(path)


def _take_back(pkg, sender=EXTERNAL, reason="Văn bản ban hành nhầm, đề nghị trả lại"):
    mh = pkg.message_header
    return edxml.build_status(status_for(mh.document_id, sender=sender, to=mh.from_.organ_id, code="13",
                                         description=reason))


def test_status_13_takes_back_an_unregistered_copy_and_answers_15(portal):
    pkg, doc = _received(portal, "41")
    path = "/".join(doc.getPhysicalPath())
    outcome = run(portal, _take_back(pkg), "st13")
    assert outcome.result == "recalled"
    assert portal.unrestrictedTraverse(path, None) is None
    [(code, text)] = [a for a in answers(portal) if a[0] == "15"]
    assert text.startswith("Đã thu hồi văn bản. Đã hủy văn bản tại nơi nhận: 41/") and "SHA-256" in text
    [record] = recall_api.records_of(portal.unrestrictedTraverse("so-tttt"))
    assert record["by"] == "system" and record["sender"] == EXTERNAL and record["origin"] == "axis"


def test_status_13_freezes_a_registered_copy_until_the_clerk_destroys_it(portal):
    from dongthap.qlvb.errors import QlvbError
    from dongthap.qlvb.exchange.queue import document_key

    pkg, doc = _received(portal, "42")
    with api.env.adopt_user(username="stttt.vanthu"):
        api.content.transition(obj=doc, transition="register")
    digest = recall_api.describe_copy(doc)["files"][0]["sha256"]
    path = "/".join(doc.getPhysicalPath())
    assert run(portal, _take_back(pkg), "st13").result == "recalled"
    assert doc.qlvb_recalled["reason"] == "Văn bản ban hành nhầm, đề nghị trả lại"
    assert doc.qlvb_recalled["pending_destruction"]
    assert [a for a in answers(portal) if a[0] == "15"] == []  # not yet: the clerk has not acted
    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(QlvbError):
        from dongthap.qlvb.incoming import handling

        handling.assign(doc, {"lead": {"user": "stttt.chuyenvien"}})
    with api.env.adopt_user(username="stttt.vanthu"):
        record = recall_api.destroy(doc)
    assert portal.unrestrictedTraverse(path, None) is None
    assert record["files"][0]["sha256"] == digest and record["by"] == "stttt.vanthu"
    [(code, text)] = [a for a in answers(portal) if a[0] == "15"]
    assert "Đã hủy văn bản tại nơi nhận: 42/" in text and digest in text
    store = get_store(portal)
    assert store.documents[document_key(pkg.message_header.document_id, STTTT)].startswith("!destroyed:")
    assert [e["action"] for e in store.log.values()][-1] == "recall-destroyed"
    [kept] = recall_api.records_of(portal.unrestrictedTraverse("so-tttt"))
    assert kept["notation"].startswith("42/") and kept["side"] == "recipient"


@pytest.mark.parametrize("how", ["revoke", "status13"])
def test_an_archived_copy_is_not_taken_back_and_the_answer_is_16(portal, how):
    pkg, doc = _received(portal, "43")
    wftool = api.portal.get_tool("portal_workflow")
    [chain] = wftool.getChainFor(doc)
    status = dict(wftool.getStatusOf(chain, doc), review_state="archived")
    wftool.setStatusOf(chain, doc, status)
    data = edxml.build_document(revoke_of(pkg)) if how == "revoke" else _take_back(pkg)
    outcome = run(portal, data, "ax-back")
    assert outcome.result == "ignored"
    assert getattr(doc, "qlvb_recalled", None) is None
    [(code, reason)] = [a for a in answers(portal) if a[0] in ("15", "16")]
    assert code == "16" and "lưu trữ" in reason


def test_status_13_from_another_agency_takes_nothing_back(portal):
    pkg, doc = _received(portal, "44")
    outcome = run(portal, _take_back(pkg, sender=THIRD), "st13")
    assert outcome.result == "forbidden"
    assert getattr(doc, "qlvb_recalled", None) is None and api.content.get_state(doc) == "received"


def test_the_clerk_refuses_to_take_back_a_registered_copy_and_the_answer_is_16(portal):
    pkg, doc = _received(portal, "45")
    with api.env.adopt_user(username="stttt.vanthu"):
        api.content.transition(obj=doc, transition="register")
    assert run(portal, _take_back(pkg), "st13-refuse").result == "recalled"
    assert recall_api.pending_destruction(doc)
    with api.env.adopt_user(username="stttt.vanthu"):
        record = recall_api.refuse(doc, reason="Văn bản đã được thực hiện xong")
    assert recall_api.frozen(doc) is None and api.content.get_state(doc) == "registered"
    [(code, text)] = [a for a in answers(portal) if a[0] in ("15", "16")]
    assert code == "16" and "Văn bản đã được thực hiện xong" in text
    [kept] = recall_api.records_of(portal.unrestrictedTraverse("so-tttt"))
    assert kept["outcome"] == "refused" and kept["side"] == "recipient" and kept["by"] == "stttt.vanthu"
    assert record["origin"] == "axis"
    store = get_store(portal)
    assert [e["action"] for e in store.log.values()][-1] == "take-back-refused"
