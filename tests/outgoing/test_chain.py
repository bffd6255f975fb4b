"""The whole chain through the API: drafting, review levels, signing, issuing, delivery, recall."""

from dongthap.qlvb.content.documents import system_transition
from dongthap.qlvb.numbering import counter
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import numbering
from dongthap.qlvb.outgoing import settings
from dongthap.qlvb.signing import api as signing
from plone import api
from tests.outgoing.helpers import act
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft
from tests.outgoing.helpers import PDF

import pytest


def copies_in(portal, path, doc):
    uid = api.content.get_uuid(doc)
    return [b for b in api.content.find(portal_type="IncomingDocument", unrestricted=True,
                                        path="/".join(agency(portal, path).getPhysicalPath()))
            if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == uid]


def test_cong_van_full_chain_number_notation_delivery(portal):
    doc = draft(portal, recipients=("so-noi-vu", "so-tai-chinh"),
                external=[{"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"}])
    assert api.content.get_state(doc) == "draft"
    assert doc.getId().startswith("vbdi-") and doc.aq_parent.getId() == str(counter.current_year())
    assert doc.code_number is None
    act(doc, "stttt.chuyenvien", "submit")
    assert outgoing.current_level(doc) == "department_head"
    # the leader cannot skip the department head
    with pytest.raises(outgoing.OutgoingError):
        act(doc, "stttt.lanhdao", "approve")
    act(doc, "stttt.truongphong", "forward", "Đồng ý, trình Giám đốc")
    assert api.content.get_state(doc) == "pending_review" and outgoing.current_level(doc) == "leader"
    act(doc, "stttt.lanhdao", "approve", "Đồng ý")
    assert api.content.get_state(doc) == "approved"
    act(doc, "stttt.lanhdao", "sign")
    assert api.content.get_state(doc) == "signed" and doc.legal_validity == "reference"
    before = numbering.last_number(agency(portal), "cong_van")
    act(doc, "stttt.vanthu", "issue")
    assert api.content.get_state(doc) == "issued"
    number = before + 1
    assert doc.code_number == f"{number:02d}"
    assert doc.code_notation == "STTTT-VP"
    assert doc.notation() == f"{number:02d}/STTTT-VP"
    assert doc.issued_at.utcoffset().total_seconds() == 7 * 3600
    assert doc.issued_date == counter.vietnam_now().date()
    assert doc.legal_validity == "legal"
    assert [h["action"] for h in signing.history(document=doc)] == ["sign_person", "sign_agency"]
    assert bytes(signing.history(document=doc)[0]["file"].data) == PDF  # the unsigned draft is kept
    # exactly one received copy per recipient agency, legally valid, with the metadata
    for path in ("so-noi-vu", "so-tai-chinh"):
        found = copies_in(portal, path, doc)
        assert len(found) == 1
        copy = found[0]._unrestrictedGetObject()
        assert api.content.get_state(copy) == "received"
        assert copy.code_number == doc.code_number and copy.code_notation == "STTTT-VP"
        assert copy.issuing_agency_code == "000.00.14.H20"
        assert copy.issuing_agency_name == "Sở Thông tin và Truyền thông"
        assert copy.signer_name == outgoing.signer_name(doc) and copy.source == "internal"
        assert copy.issued_date == doc.issued_date
        assert bytes(copy.file.data) == bytes(doc.file.data)
        assert signing.verify(document=copy)["legal_validity"] == "legal"
    status = {s["agency_code"]: s for s in delivery.delivery_status(doc)}
    assert status["000.00.09.H20"]["status"] == "delivered"
    assert status["000.00.09.H20"]["legal_validity"] == "legal"
    assert status["000.00.00.G22"]["status"] == "queued" and status["000.00.00.G22"]["kind"] == "external"
    assert not copies_in(portal, "ubnd-tinh", doc)
    try:  # the single call site of the national axis hands the external recipient to the outbox
        from dongthap.qlvb.exchange.storage import get_store
    except ImportError:
        pass
    else:
        queued = get_store().entries_of(document_uid=api.content.get_uuid(doc))
        assert [e.recipient for e in queued] == ["000.00.00.G22"]
    # the trail and comments are all kept
    info = outgoing.info(doc)
    assert [t["action"] for t in info["trail"]] == ["create", "submit", "forward", "approve", "sign", "issue"]
    assert [c["text"] for c in info["comments"]] == ["Đồng ý, trình Giám đốc", "Đồng ý"]


def test_quyet_dinh_notation_and_separate_series(portal):
    stttt = agency(portal)
    settings.set_settings(stttt, series={"nghi_quyet": "qppl"}, review_levels={"quyet_dinh": ["leader"]})
    before_main = numbering.last_number(stttt, "quyet_dinh")
    doc = draft(portal, document_type="quyet_dinh", title="Quyết định về việc thành lập Tổ công tác",
                signing_authority="KT", signer_position="PHÓ GIÁM ĐỐC")
    act(doc, "stttt.chuyenvien", "submit")
    assert doc.qlvb_review_levels == ["leader"]
    act(doc, "stttt.lanhdao", "approve")
    act(doc, "stttt.lanhdao", "sign")
    act(doc, "stttt.vanthu", "issue")
    assert doc.code_notation == "QĐ-STTTT"
    assert doc.code_number == f"{before_main + 1:02d}" and doc.register_series == "outgoing"
    # a legal-normative type takes its own series from 01
    nq = draft(portal, document_type="nghi_quyet", title="Nghị quyết thử", drafting_department=None)
    settings.set_settings(stttt, review_levels={"*": ["leader"]})
    act(nq, "stttt.chuyenvien", "submit")
    act(nq, "stttt.lanhdao", "approve")
    act(nq, "stttt.lanhdao", "sign")
    act(nq, "stttt.vanthu", "issue")
    assert nq.register_series == "outgoing:qppl" and nq.notation() == "01/NQ-STTTT"
    assert numbering.last_number(stttt, "quyet_dinh") == before_main + 1


def test_numbers_format_and_notation_rules():
    assert numbering.format_number(1) == "01" and numbering.format_number(9) == "09"
    assert numbering.format_number(10) == "10" and numbering.format_number(123) == "123"
    assert numbering.notation("quyet_dinh", "UBND") == "QĐ-UBND"
    assert numbering.notation("cong_van", "UBND", "VP") == "UBND-VP"
    assert numbering.notation("quy_dinh", "UBND") == "QyĐ-UBND"
    assert numbering.full_notation(15, "QĐ-UBND") == "15/QĐ-UBND"
    assert numbering.full_notation(5, "UBND-VP") == "05/UBND-VP"


def test_ubnd_quyet_dinh_is_15_qd_ubnd_style(portal):
    ubnd = agency(portal, "ubnd-tinh")
    settings.set_settings(ubnd, review_levels={"*": ["leader"]})
    doc = draft(portal, user="ubnd.chuyenvien", path="ubnd-tinh", signer="ubnd.lanhdao",
                document_type="quyet_dinh", drafting_department=None, recipients=("so-tttt",),
                signer_position="CHỦ TỊCH", signing_authority="TM")
    act(doc, "ubnd.chuyenvien", "submit")
    act(doc, "ubnd.lanhdao", "approve")
    act(doc, "ubnd.lanhdao", "sign")
    act(doc, "ubnd.vanthu", "issue")
    assert doc.notation().endswith("/QĐ-UBND")
    assert len(doc.code_number) >= 2


def test_return_needs_a_comment_and_keeps_versions(portal):
    doc = draft(portal)
    act(doc, "stttt.chuyenvien", "submit")
    with pytest.raises(outgoing.OutgoingError) as raised:
        act(doc, "stttt.truongphong", "return", "")
    assert "return" in str(raised.value.message.default).lower() or "trả lại" in str(raised.value)
    assert api.content.get_state(doc) == "pending_review"
    act(doc, "stttt.truongphong", "return", "Sửa lại căn cứ pháp lý")
    assert api.content.get_state(doc) == "draft"
    assert outgoing.comments(doc)[-1]["text"] == "Sửa lại căn cứ pháp lý"
    assert outgoing.comments(doc)[-1]["action"] == "return"
    # the drafter uploads a corrected version: both are kept
    from tests.outgoing.helpers import PDF as first

    corrected = first.replace(b"%%EOF", b"% sua lai\n%%EOF")
    with api.env.adopt_user(username="stttt.chuyenvien"):
        outgoing.update(doc, {"file": (corrected, "du-thao-2.pdf")}, "Đã sửa")
    versions = outgoing.versions(doc)
    assert [v["version"] for v in versions] == [1, 2]
    assert bytes(versions[0]["file"].data) == first and bytes(versions[1]["file"].data) == corrected
    act(doc, "stttt.chuyenvien", "submit")
    assert outgoing.current_level(doc) == "department_head"
    # nobody edits a submitted draft, not even its drafter
    with api.env.adopt_user(username="stttt.chuyenvien"), pytest.raises(outgoing.OutgoingError):
        outgoing.update(doc, {"title": "Khác"})


def test_permission_matrix(portal):
    doc = draft(portal)
    chain(doc, until="approved")
    # a leader who is not the document's signer cannot sign (a second leader of the agency)
    api.user.create(username="stttt.lanhdao2", email="l2@example.invalid", password="Demo@2026x",
                    properties={"fullname": "Phó Giám đốc Hai"})
    from dongthap.qlvb.agencies import api as agencies

    agencies.assign(agency=agency(portal), username="stttt.lanhdao2", roles=["QlvbLeader"])
    for user in ("stttt.lanhdao2", "snv.lanhdao", "stttt.vanthu", "stttt.chuyenvien", "stttt.truongphong"):
        with pytest.raises(outgoing.OutgoingError):
            act(doc, user, "sign")
    assert api.content.get_state(doc) == "approved"
    act(doc, "stttt.lanhdao", "sign")
    # a specialist, a leader, a leader of another agency cannot issue
    before = numbering.last_number(agency(portal), "cong_van")
    for user in ("stttt.chuyenvien", "stttt.lanhdao", "snv.vanthu", "snv.lanhdao"):
        with pytest.raises(outgoing.OutgoingError):
            act(doc, user, "issue")
    assert api.content.get_state(doc) == "signed"
    assert numbering.last_number(agency(portal), "cong_van") == before
    # another agency's staff cannot even see it
    with api.env.adopt_user(username="snv.vanthu"):
        assert not api.user.has_permission("View", obj=doc)
    act(doc, "stttt.vanthu", "issue")
    assert numbering.last_number(agency(portal), "cong_van") == before + 1


def test_signing_failure_changes_nothing(portal, monkeypatch):
    doc = draft(portal)
    chain(doc, until="signed")
    before = numbering.last_number(agency(portal), "cong_van")
    file_before = bytes(doc.file.data)
    from dongthap.qlvb.signing import errors

    def broken(*args, **kwargs):
        raise errors.SignerNotConfiguredError(who="Sở Thông tin và Truyền thông")

    monkeypatch.setattr(signing, "_sign_agency", broken)
    with pytest.raises(outgoing.OutgoingError) as raised:
        act(doc, "stttt.vanthu", "issue")
    assert api.content.get_state(doc) == "signed"
    assert doc.code_number is None and doc.issued_at is None
    assert numbering.last_number(agency(portal), "cong_van") == before
    assert bytes(doc.file.data) == file_before
    assert not delivery.delivery_status(doc)
    assert raised.value.message  # a translatable message for the clerk


def test_status_flows_back_and_reply_links(portal):
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming import handling

    doc = chain(draft(portal))
    copy = copies_in(portal, "so-noi-vu", doc)[0]._unrestrictedGetObject()
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "register", "")
    entry = delivery.delivery_status(doc)[0]
    assert entry["status"] == "registered" and entry["arrival_number"] == copy.arrival_number
    with api.env.adopt_user(username="snv.lanhdao"):
        handling.assign(copy, {"lead": {"user": "snv.chuyenvien"}, "direction": "Giải quyết"})
    assert delivery.delivery_status(doc)[0]["status"] == "assigned"
    with api.env.adopt_user(username="snv.chuyenvien"):
        handling.record_progress(copy, "Đang xử lý")
    assert delivery.delivery_status(doc)[0]["status"] == "in_progress"
    # Sở Nội vụ's handler drafts the reply while handling (a reply links only documents the
    # drafter may see; after completion the handler no longer sees the document)
    reply = draft(portal, user="snv.chuyenvien", path="so-noi-vu", signer="snv.lanhdao",
                  recipients=("so-tttt",), in_reply_to=[api.content.get_uuid(copy)])
    with api.env.adopt_user(username="snv.lanhdao"):
        incoming.transition(copy, "complete", "Xong")
    assert delivery.delivery_status(doc)[0]["status"] == "completed"
    # issued: both documents are linked, both ways, and the sender sees the reply
    chain(reply, prefix="snv")
    assert copy.qlvb_replied_by[0]["notation"] == reply.notation()
    assert copy.qlvb_reply_notation == reply.notation()
    assert reply.in_reply_to == [api.content.get_uuid(copy)]
    assert delivery.delivery_status(doc)[0]["reply"]["notation"] == reply.notation()


def test_refusal_flows_back(portal):
    from dongthap.qlvb.incoming import api as incoming

    doc = chain(draft(portal))
    copy = copies_in(portal, "so-noi-vu", doc)[0]._unrestrictedGetObject()
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "refuse", "Không đúng thẩm quyền")
    entry = delivery.delivery_status(doc)[0]
    assert entry["status"] == "refused" and entry["history"][-1]["note"] == "Không đúng thẩm quyền"


def test_recall_destroys_unregistered_and_freezes_then_destroys_registered(portal):
    from dongthap.qlvb.errors import QlvbError
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming import handling
    from dongthap.qlvb.recall import api as recall_api

    doc = chain(draft(portal, recipients=("so-noi-vu", "so-tai-chinh")))
    registered = copies_in(portal, "so-noi-vu", doc)[0]._unrestrictedGetObject()
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(registered, "register", "")
    registered_uid = api.content.get_uuid(registered)
    registered_path = "/".join(registered.getPhysicalPath())
    digest = recall_api.describe_copy(registered)["files"][0]["sha256"]
    assert len(copies_in(portal, "so-tai-chinh", doc)) == 1
    with pytest.raises(outgoing.OutgoingError):
        act(doc, "stttt.vanthu", "recall", "")
    act(doc, "stttt.lanhdao", "recall", "Sai thể thức, sẽ ban hành văn bản thay thế")
    assert api.content.get_state(doc) == "recalled"
    with api.env.adopt_user(username="stttt.lanhdao"):
        assert not api.user.has_permission("Modify portal content", obj=doc)  # frozen
    # not registered: destroyed at once by the system, the record on both sides
    assert copies_in(portal, "so-tai-chinh", doc) == []
    [stc_record] = recall_api.records_of(agency(portal, "so-tai-chinh"))
    assert stc_record["side"] == "recipient" and stc_record["notation"] == doc.notation()
    assert stc_record["by"] == "system" and stc_record["files"][0]["sha256"] == digest
    assert stc_record["reason"].startswith("Sai thể thức")
    # registered: frozen until its clerk acts; no processing, a clear message
    notice = delivery.recall_notice(registered)
    assert notice["reason"].startswith("Sai thể thức") and notice["pending_destruction"]
    status = {s["agency_code"]: s["status"] for s in delivery.delivery_status(doc)}
    assert status == {"000.00.09.H20": "recall_notified", "000.00.06.H20": "recall_destroyed"}
    with api.env.adopt_user(username="snv.lanhdao"), pytest.raises(QlvbError) as frozen:
        handling.assign(registered, {"lead": {"user": "snv.chuyenvien"}})
    assert frozen.value.status == 409 and "thu hồi" in api.portal.translate(frozen.value.message, lang="vi")
    with api.env.adopt_user(username="snv.vanthu"), pytest.raises(QlvbError):
        incoming.update(registered, {"title": "Sửa"})
    with api.env.adopt_user(username="snv.vanthu"):
        pending = delivery.pending_recall_notices(agency(portal, "so-noi-vu"))
        from dongthap.qlvb.recall.desk import RecallSection

        [on_desk] = RecallSection(agency(portal, "so-noi-vu")).items("snv.vanthu", {"QlvbClerk"})
    assert [p["uid"] for p in pending] == [registered_uid]
    assert on_desk["count"] == 1 and on_desk["tone"] == "danger"
    with api.env.adopt_user(username="snv.chuyenvien"), pytest.raises(QlvbError) as refused:
        recall_api.destroy(registered)
    assert refused.value.status == 403
    with api.env.adopt_user(username="snv.vanthu"):
        record = recall_api.destroy(registered)
    # the copy, its catalog entries and metadata are gone
    assert portal.unrestrictedTraverse(registered_path, None) is None
    catalog = api.portal.get_tool("portal_catalog")
    assert not catalog.unrestrictedSearchResults(UID=registered_uid)
    assert record["by"] == "snv.vanthu" and record["files"][0]["sha256"] == digest
    assert record["arrival_number"] and record["issuing_agency_name"] == "Sở Thông tin và Truyền thông"
    [snv_record] = recall_api.records_of(agency(portal, "so-noi-vu"))
    assert snv_record["notation"] == doc.notation() and snv_record["by"] == "snv.vanthu"
    # the sender sees "đã hủy tại nơi nhận" with the record
    rows = {s["agency_code"]: s for s in delivery.delivery_status(doc)}
    assert rows["000.00.09.H20"]["status"] == "recall_destroyed"
    assert rows["000.00.09.H20"]["destruction"]["by"] == "snv.vanthu"
    assert rows["000.00.09.H20"]["destruction"]["files"][0]["sha256"] == digest
    sender_side = [r for r in recall_api.records_of(agency(portal)) if r["side"] == "sender"]
    assert {r["recipient"] for r in sender_side} == {"000.00.09.H20", "000.00.06.H20"}
    with api.env.adopt_user(username="snv.vanthu"):
        assert delivery.pending_recall_notices(agency(portal, "so-noi-vu")) == []
    # the replacing document links to the one it replaces
    new = chain(draft(portal, replaces=api.content.get_uuid(doc)))
    assert doc.qlvb_replaced_by["notation"] == new.notation()


def test_registers_rows(portal):
    from dongthap.qlvb.outgoing import queries

    doc = chain(draft(portal, copy_holder="Lưu: VT, VP.", issued_amount=3))
    rows = queries.register_rows(agency(portal), None, None)
    row = [r for r in rows if r["notation"] == doc.notation()][0]
    assert row["subject"] == "Công văn: V/v triển khai chuyển đổi số năm 2026"
    assert row["recipients"] == "Sở Nội vụ" and row["copies"] == 3
    assert row["signer"] == outgoing.signer_name(doc) and row["copy_holder"] == "Lưu: VT, VP."
    from dongthap.qlvb.registers import get_register

    assert set(row) == set(get_register("outgoing").keys)
    report = queries.report_rows(agency(portal), None, None)
    assert "Sở Nội vụ" in [r for r in report if r["notation"] == doc.notation()][0]["status"]
    # nobody archives by a button: the system does when the dossier holding the document is transferred
    with pytest.raises(outgoing.OutgoingError):
        act(doc, "stttt.luutru", "archive")
    with system_transition(doc, "archive"), api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=doc, transition="archive")
    assert api.content.get_state(doc) == "archived"
    assert doc.notation() in [r["notation"] for r in queries.register_rows(agency(portal), None, None)]
