"""A recalled copy filed in a dossier: taken out of an open dossier (with a line in its log), never
destroyed out of a closed one; every destruction is an audit record (issue 22 item 3)."""

from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.recall import api as recall_api
from plone import api
from tests.dossiers.helpers import dossier_values
from tests.dossiers.helpers import fresh
from tests.outgoing.helpers import act
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft

import pytest


def _registered_copy(portal):
    doc = chain(draft(portal, recipients=("so-noi-vu",)))
    uid = api.content.get_uuid(doc)
    [copy] = [b._unrestrictedGetObject() for b in api.content.find(
        portal_type="IncomingDocument", unrestricted=True,
        path="/".join(agency(portal, "so-noi-vu").getPhysicalPath()))
        if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == uid]
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "register", "")
    return doc, copy


def _dossier_with(portal, copy, notation):
    with api.env.adopt_user(username="snv.luutru"):
        values = dossiers.clean_dossier(dossier_values(notation=notation), agency=portal["so-noi-vu"])
        dossier = dossiers.create_dossier(portal["so-noi-vu"], values, year=2043)
        dossiers.file_documents(dossier, [api.content.get_uuid(copy)])
    return dossier


@pytest.fixture
def audit_records(monkeypatch):
    from dongthap.qlvb.audit import log as audit_log

    records = []
    monkeypatch.setattr(audit_log, "log", lambda action, obj=None, **kw: records.append((action, kw)))
    return records


def test_open_dossier_gives_the_copy_up_with_a_record(portal, audit_records):
    doc, copy = _registered_copy(portal)
    uid = api.content.get_uuid(copy)
    dossier = _dossier_with(portal, copy, "01.VP")
    assert [i["uid"] for i in dossier.qlvb_items] == [uid]
    act(doc, "stttt.lanhdao", "recall", "Ban hành nhầm")
    fresh(portal.REQUEST)
    with api.env.adopt_user(username="snv.vanthu"):
        record = recall_api.destroy(copy)
    assert dossier.qlvb_items == () and dossier.doc_total == 0
    assert dossier.qlvb_log[-1]["action"] == "recall_unfiled"
    assert doc.notation() in dossier.qlvb_log[-1]["reason"]
    assert record["dossiers"] == [dossier.file_code]
    [(action, fields)] = [(a, kw) for a, kw in audit_records if a == "recall_destroyed"]
    assert fields["uid"] == uid and fields["detail"]["notation"] == doc.notation()
    assert fields["detail"]["files"] == [f["sha256"] for f in record["files"]]


def test_closed_dossier_blocks_the_destruction_until_it_is_reopened(portal):
    doc, copy = _registered_copy(portal)
    dossier = _dossier_with(portal, copy, "02.VP")
    with api.env.adopt_user(username="snv.luutru"):
        dossiers.close_dossier(dossier, "Kết thúc công việc")
    assert api.content.get_state(dossier) == "closed"
    act(doc, "stttt.lanhdao", "recall", "Ban hành nhầm")
    fresh(portal.REQUEST)
    with api.env.adopt_user(username="snv.vanthu"), pytest.raises(QlvbError) as blocked:
        recall_api.destroy(copy)
    assert blocked.value.status == 409
    assert "mở lại hồ sơ" in api.portal.translate(blocked.value.message, lang="vi")
    assert recall_api.pending_destruction(copy)  # still frozen, still there
    with api.env.adopt_user(username="snv.luutru"):
        dossiers.reopen_dossier(dossier, "Hủy văn bản bị thu hồi")
    with api.env.adopt_user(username="snv.vanthu"):
        recall_api.destroy(copy)
    assert dossier.qlvb_items == ()
    assert {r["status"] for r in delivery.delivery_status(doc)} == {"recall_destroyed"}


def test_the_recipient_refuses_a_recall_with_a_reason_recorded_on_both_sides(portal, audit_records):
    doc, copy = _registered_copy(portal)
    act(doc, "stttt.lanhdao", "recall", "Ban hành nhầm")
    assert recall_api.pending_destruction(copy)
    # only the recipient's clerk, and only with a reason
    with api.env.adopt_user(username="snv.chuyenvien"), pytest.raises(QlvbError) as problem:
        recall_api.refuse(copy, reason="Đã triển khai")
    assert problem.value.status == 403
    with api.env.adopt_user(username="snv.vanthu"), pytest.raises(QlvbError) as problem:
        recall_api.refuse(copy, reason="  ")
    assert problem.value.status == 422 and recall_api.pending_destruction(copy)
    with api.env.adopt_user(username="snv.vanthu"):
        record = recall_api.refuse(copy, reason="Văn bản đã được triển khai, đề nghị ban hành thay thế")
    # the recipient keeps its copy, thawed, and the record
    assert record["outcome"] == "refused" and record["by"] == "snv.vanthu"
    assert recall_api.frozen(copy) is None
    with api.env.adopt_user(username="snv.vanthu"):
        assert api.user.has_permission("View", obj=copy)
    [kept] = [r for r in recall_api.records_of(agency(portal, "so-noi-vu")) if r.get("outcome") == "refused"]
    assert kept["side"] == "recipient" and kept["recall_reason"] == "Ban hành nhầm"
    assert copy.qlvb_trail[-1]["action"] == "recall_refused"
    # the sender sees the refusal in its delivery table, its records and its trail
    recipient = agency(portal, "so-noi-vu").title
    [row] = [r for r in delivery.delivery_status(doc) if r["agency_name"] == recipient]
    assert row["status"] == "recall_refused"
    [sent] = [r for r in recall_api.records_of(agency(portal)) if r.get("outcome") == "refused"]
    assert sent["side"] == "sender" and sent["reason"].startswith("Văn bản đã được triển khai")
    assert doc.qlvb_trail[-1]["action"] == "recall_refused"
    assert "recall_refused" in [a for a, _kw in audit_records]
    # refused once: nothing more to refuse or destroy
    with api.env.adopt_user(username="snv.vanthu"), pytest.raises(QlvbError) as problem:
        recall_api.refuse(copy, reason="lại")
    assert problem.value.status == 409
