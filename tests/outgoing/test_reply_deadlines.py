"""Reply deadlines of outgoing documents: replies linked when they arrive, overdue (red) and due soon
(amber) on the lists and the desk, with a frozen clock (issue 22 item 6)."""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from dongthap.qlvb.outgoing import queries
from dongthap.qlvb.outgoing import replies
from dongthap.qlvb.outgoing.desk import OutgoingSection
from plone import api
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft
from tests.outgoing.helpers import PDF
from tests.outgoing.helpers import uid_of

import datetime
import pytest

VPCP = "000.00.00.G22"
VN = edxml.constants.VN_TZ


@pytest.fixture
def clock(monkeypatch):
    """A frozen "today" for the reply deadlines, moved by the test."""
    frozen = {"day": replies.today()}
    monkeypatch.setattr(replies, "today", lambda: frozen["day"])
    return frozen


def _awaiting(portal, user="stttt.vanthu"):
    with api.env.adopt_user(username=user):
        return {r["uid"]: r for r in queries.lists_for(agency(portal), api.user.get_current().getId(),
                                                       only="awaiting_reply")["awaiting_reply"]}


def _desk(portal, user="stttt.vanthu"):
    with api.env.adopt_user(username=user):
        roles = set(api.user.get_roles(obj=agency(portal)))
        return {i["key"]: i for i in OutgoingSection(agency(portal)).items(user, roles)}


def test_internal_reply_is_linked_and_the_flags_follow_a_frozen_clock(portal, clock):
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming import handling
    from dongthap.qlvb.outgoing import delivery

    doc = chain(draft(portal, recipients=("so-noi-vu", "so-tai-chinh")))
    issued = doc.issued_date
    snv, stc = f"agency:{uid_of(portal, 'so-noi-vu')}", f"agency:{uid_of(portal, 'so-tai-chinh')}"
    # no deadline: nothing is awaited
    assert api.content.get_uuid(doc) not in _awaiting(portal)
    # only the issuing agency's clerk or leader sets them
    with api.env.adopt_user(username="stttt.chuyenvien"), pytest.raises(QlvbError) as refused:
        replies.set_deadlines(doc, {snv: "01/01/2099"})
    assert refused.value.status == 403
    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(QlvbError):
        replies.set_deadlines(doc, {snv: (issued - datetime.timedelta(days=1)).strftime("%d/%m/%Y")})
    with api.env.adopt_user(username="stttt.vanthu"):
        replies.set_deadlines(doc, {snv: (issued + datetime.timedelta(days=5)).strftime("%d/%m/%Y"),
                                    stc: (issued + datetime.timedelta(days=28)).isoformat()})
    uid = api.content.get_uuid(doc)
    # the day after the issue: nothing late, nothing due within 3 days
    clock["day"] = issued + datetime.timedelta(days=1)
    row = _awaiting(portal)[uid]
    assert not row["reply_overdue"] and not row["reply_due_soon"]
    assert _desk(portal)["awaiting_reply"]["tone"] is None
    clock["day"] = issued + datetime.timedelta(days=3)
    row = _awaiting(portal)[uid]
    assert row["reply_due_soon"] and not row["reply_overdue"]  # amber
    assert _desk(portal)["awaiting_reply"]["tone"] == "warning"
    clock["day"] = issued + datetime.timedelta(days=27)
    row = _awaiting(portal)[uid]
    assert row["reply_overdue"]
    assert row["reply_due"] == (issued + datetime.timedelta(days=5)).strftime("%d/%m/%Y")
    desk = _desk(portal)["awaiting_reply"]
    assert desk["tone"] == "danger" and desk["count"] >= 1  # red
    flags = {r["key"]: r for r in replies.summary(doc)}
    assert flags[snv]["overdue"] and flags[stc]["due_soon"] and not flags[stc]["overdue"]

    # Sở Nội vụ replies: registered, assigned, the handler drafts the reply, the leader signs, issued
    copy = [b._unrestrictedGetObject() for b in api.content.find(
        portal_type="IncomingDocument", unrestricted=True,
        path="/".join(agency(portal, "so-noi-vu").getPhysicalPath()))
        if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == uid][0]
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "register", "")
    with api.env.adopt_user(username="snv.lanhdao"):
        handling.assign(copy, {"lead": {"user": "snv.chuyenvien"}, "direction": "Trả lời"})
    answer = draft(portal, user="snv.chuyenvien", path="so-noi-vu", signer="snv.lanhdao",
                   recipients=("so-tttt",), in_reply_to=[api.content.get_uuid(copy)])
    chain(answer, prefix="snv")
    # the reply arrives in Sở TT&TT and is linked to our document, both ways
    [arrived] = [b._unrestrictedGetObject() for b in api.content.find(
        portal_type="IncomingDocument", unrestricted=True,
        path="/".join(agency(portal).getPhysicalPath()))
        if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == api.content.get_uuid(answer)]
    entry = delivery._store(doc)[snv]
    assert entry["reply_received"]["uid"] == api.content.get_uuid(arrived)
    assert arrived.qlvb_reply_to[0]["uid"] == uid
    assert [t["action"] for t in doc.qlvb_trail if t["action"] == "reply_received"] == ["reply_received"]
    # only Sở Tài chính is awaited now: due soon (amber), not overdue
    row = _awaiting(portal)[uid]
    assert row["reply_due_soon"] and not row["reply_overdue"]
    assert row["reply_due"] == (issued + datetime.timedelta(days=28)).strftime("%d/%m/%Y")
    assert _desk(portal)["awaiting_reply"]["tone"] == "warning"
    # the issued list flags it too
    with api.env.adopt_user(username="stttt.vanthu"):
        issued_rows = {r["uid"]: r for r in queries.lists_for(agency(portal), "stttt.vanthu",
                                                              only="issued")["issued"]}
    assert issued_rows[uid]["reply_due_soon"]
    # a recalled document awaits nothing
    with api.env.adopt_user(username="stttt.lanhdao"):
        from dongthap.qlvb.outgoing import api as outgoing

        outgoing.transition(doc, "recall", "Thu hồi")
    assert uid not in _awaiting(portal)


def test_reply_over_the_axis_is_linked_by_response_for(portal, clock):
    doc = chain(draft(portal, recipients=("so-noi-vu",), due_date=(replies.today() + datetime.timedelta(
        days=2)).isoformat(), external=[{"code": VPCP, "name": "Văn phòng Chính phủ"}]))
    uid = api.content.get_uuid(doc)
    assert _awaiting(portal)[uid]["reply_due_soon"]  # the document's own "hạn trả lời" for everyone
    [entry] = get_store().entries_of(document_uid=uid)
    day = datetime.date.today() - datetime.timedelta(days=1)
    mh = edxml.MessageHeader(
        from_=edxml.Organization(VPCP, "Chính phủ", "Văn phòng Chính phủ"),
        to=[edxml.Organization("000.00.14.H20", organ_name="Sở TT&TT")],
        document_id=edxml.make_document_id(VPCP, day, "301", "VPCP-TH"),
        code=edxml.Code("301", "VPCP-TH"), promulgation_info=edxml.PromulgationInfo("Hà Nội", day),
        document_type=edxml.DocumentType("1", "0", "Công văn"), subject="V/v trả lời Sở TT&TT",
        signer_info=edxml.SignerInfo("", "Phó Chủ nhiệm", "Nguyễn Văn Bình"),
        other_info=edxml.OtherInfo(0, page_amount=1),
        response_for=[edxml.ResponseFor("000.00.14.H20", doc.notation(), doc.issued_date, entry.document_id)])
    trace = edxml.TraceHeaderList(
        [edxml.TraceHeader(VPCP, datetime.datetime.now(VN).replace(microsecond=0))],
        edxml.Bussiness(mh.document_id, edxml.DOCTYPE_NEW, "", 0, edxml.StaffInfo("Văn thư", "Lê Văn Thư")))
    pkg = edxml.DocumentPackage(mh, trace, [edxml.Attachment("vb1", "traloi.pdf", "Văn bản",
                                                             "application/pdf", PDF)])
    with system_user(portal):
        outcome = process_package(portal, edxml.build_document(pkg), source_id="ax-reply")
    assert outcome.result == "created", outcome
    arrived = portal.unrestrictedTraverse(outcome.documents[0])
    from dongthap.qlvb.outgoing import delivery

    assert delivery._store(doc)[f"external:{VPCP}"]["reply_received"]["uid"] == api.content.get_uuid(arrived)
    assert arrived.qlvb_reply_to[0]["uid"] == uid
    # Sở Nội vụ has not replied: still awaited, due soon
    assert _awaiting(portal)[uid]["reply_due_soon"]


def test_a_reply_entered_by_hand_is_linked_by_the_clerk(portal, clock):
    """A reply that came on paper (entered by hand) is linked to the outgoing document by the clerk:
    the recipient no longer counts as awaited."""
    from dongthap.qlvb.incoming.views import DocumentView
    from tests.copies.helpers import registered_incoming

    doc = chain(draft(portal, recipients=("so-noi-vu",)))
    uid = api.content.get_uuid(doc)
    snv = f"agency:{uid_of(portal, 'so-noi-vu')}"
    with api.env.adopt_user(username="stttt.vanthu"):
        replies.set_deadlines(doc, {snv: (clock["day"] + datetime.timedelta(days=1)).strftime("%d/%m/%Y")})
    clock["day"] += datetime.timedelta(days=3)
    assert _awaiting(portal)[uid]["reply_overdue"]
    paper_reply = registered_incoming(portal, code_number="77", issuing_agency_name="Sở Nội vụ")
    with api.env.adopt_user(username="stttt.vanthu"):
        choices = replies.link_choices(paper_reply)
        assert f"{uid}|{snv}" in [c["value"] for c in choices]
        view = DocumentView(paper_reply, portal.REQUEST)
        assert view.can_link_reply() and view.reply_link_choices() == choices
    # only the clerk, only a recipient awaited
    with api.env.adopt_user(username="stttt.chuyenvien"), pytest.raises(QlvbError) as refused:
        replies.link_by_hand(paper_reply, uid, snv)
    assert refused.value.status == 403
    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(QlvbError) as refused:
        replies.link_by_hand(paper_reply, uid, "agency:nobody")
    assert refused.value.status == 409
    with api.env.adopt_user(username="stttt.vanthu"):
        rows = replies.link_by_hand(paper_reply, uid, snv)
    [row] = [r for r in rows if r["key"] == snv]
    assert row["replied"] and not row["awaiting"] and row["reply"]["how"] == "hand"
    assert row["reply"]["uid"] == api.content.get_uuid(paper_reply)
    assert uid not in _awaiting(portal)
    assert paper_reply.qlvb_reply_to[-1]["uid"] == uid
    assert doc.qlvb_trail[-1]["action"] == "reply_received"
    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(QlvbError) as refused:
        replies.link_by_hand(paper_reply, uid, snv)  # already replied
    assert refused.value.status == 409
