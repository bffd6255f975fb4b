"""Issuing a document signed on paper: the same gap-free series as electronic documents."""

from dongthap.qlvb.numbering import counter
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import paper
from dongthap.qlvb.outgoing import queries
from dongthap.qlvb_testing.scans import make_scan
from plone import api
from tests.outgoing.helpers import act
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft
from tests.outgoing.helpers import session

import base64
import pytest


def _paper(doc, data, user="stttt.vanthu", comment=""):
    with api.env.adopt_user(username=user):
        return paper.issue_paper(doc, (data, "ban-goc.pdf"), comment)


def _next(portal):
    ag = agency(portal)
    from dongthap.qlvb.outgoing import numbering

    return numbering.last_number(ag, "cong_van")


def test_paper_and_electronic_issues_share_one_gap_free_series(portal):
    start = _next(portal)
    first = chain(draft(portal, title="Điện tử 1"))
    handwritten = chain(draft(portal, title="Ký tay"), until="approved")
    assert api.content.get_state(handwritten) == "approved"
    result = _paper(handwritten, make_scan(300, pages=2))
    third = chain(draft(portal, title="Điện tử 2"))
    numbers = [int(d.code_number) for d in (first, handwritten, third)]
    assert numbers == [start + 1, start + 2, start + 3]
    assert result["state"] == "issued" and result["notation"] == handwritten.notation()
    assert handwritten.code_notation == first.code_notation  # same series, same notation rule
    assert handwritten.issued_date == first.issued_date and handwritten.issued_year == first.issued_year
    assert handwritten.register_series == first.register_series
    # marked as a paper original with a scanned copy of reference value
    assert paper.is_paper_original(handwritten) and not paper.is_paper_original(first)
    info = paper.scan_info(handwritten)
    assert info["dpi"] == 300 and info["pages"] == 2 and info["by"] == "stttt.vanthu"
    assert handwritten.legal_validity == "reference"
    assert handwritten.page_amount == 2
    import hashlib

    assert hashlib.sha256(bytes(handwritten.file.data)).hexdigest() == info["sha256"]
    assert bytes(handwritten.file.data).startswith(b"%PDF")
    # trail: the paper issue with its number
    last = handwritten.qlvb_trail[-1]
    assert last["action"] == "issue_paper" and last["number"] == handwritten.notation()
    # the register shows it like any other, in number order, with a note
    rows = queries.register_rows(agency(portal), None, None)
    by_notation = {r["notation"]: r for r in rows}
    for doc in (first, handwritten, third):
        assert doc.notation() in by_notation
    assert by_notation[handwritten.notation()]["note"].startswith("Bản gốc giấy")
    assert by_notation[first.notation()]["note"] == ""
    # delivered like an electronic document: a received copy in Sở Nội vụ
    from dongthap.qlvb.outgoing import delivery

    assert [row["status"] for row in delivery.delivery_status(handwritten)] == ["delivered"]


def test_a_scan_below_200_dpi_is_refused_and_no_number_is_used(portal):
    start = _next(portal)
    doc = chain(draft(portal), until="approved")
    with pytest.raises(outgoing.OutgoingError) as refused:
        _paper(doc, make_scan(150))
    from zope.i18n import translate

    message = translate(refused.value.message, target_language="vi")
    assert "150 dpi" in message and "200 dpi" in message and "quét lại" in message
    assert refused.value.status == 422 and refused.value.errors[0]["field"] == "scan"
    assert api.content.get_state(doc) == "approved" and not doc.code_number
    assert _next(portal) == start
    # a PDF that is not a scan (no image) is refused too
    from dongthap.qlvb.demo.incoming import make_pdf

    with pytest.raises(outgoing.OutgoingError) as refused:
        _paper(doc, make_pdf(["Văn bản đánh máy"]))
    assert "hình ảnh quét" in translate(refused.value.message, target_language="vi")
    assert _next(portal) == start


def test_the_transition_alone_needs_the_scan(portal):
    doc = chain(draft(portal), until="approved")
    start = _next(portal)
    with pytest.raises(outgoing.OutgoingError) as refused:
        act(doc, "stttt.vanthu", "issue_paper")
    from zope.i18n import translate

    assert "bản quét" in translate(refused.value.message, target_language="vi")
    assert api.content.get_state(doc) == "approved" and _next(portal) == start


def test_only_the_clerk_issues_a_paper_original(portal):
    doc = chain(draft(portal), until="approved")
    for user in ("stttt.chuyenvien", "stttt.lanhdao", "stttt.truongphong"):
        with pytest.raises(outgoing.OutgoingError):
            _paper(doc, make_scan(300), user=user)
    assert api.content.get_state(doc) == "approved"
    # a draft not yet approved cannot be issued on paper
    other = draft(portal)
    with pytest.raises(outgoing.OutgoingError):
        _paper(other, make_scan(300))


def test_rest_issue_paper(demo_server):
    url = demo_server["url"]
    s = session("stttt.chuyenvien")
    from tests.outgoing.helpers import payload

    from plone.app.testing import SITE_OWNER_NAME
    from plone.app.testing import SITE_OWNER_PASSWORD

    uid = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/so-noi-vu").json()["UID"]
    r = s.post(f"{url}/so-tttt/@outgoing", json=payload([uid]))
    assert r.status_code == 201, r.text
    doc = r.json()["url"]
    for user, transition in (("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
                             ("stttt.lanhdao", "approve")):
        r = session(user).post(f"{doc}/@workflow/{transition}", json={})
        assert r.status_code == 200, (transition, r.text)
    clerk = session("stttt.vanthu")
    # the signer signs by hand: the clerk then finds it in "chờ phát hành"
    r = session("stttt.chuyenvien").post(f"{doc}/@sign-by-hand", json={})
    assert r.status_code in (400, 403), r.text
    leader_page = session("stttt.lanhdao").get(doc, headers={"Accept": "text/html"}).text
    assert "qlvb-action-sign-by-hand" in leader_page
    r = session("stttt.lanhdao").post(f"{doc}/@sign-by-hand", json={"comment": "Ký trên giấy"})
    assert r.status_code == 200, r.text
    assert r.json()["sign_by_hand"] is True and r.json()["state"] == "approved"
    waiting = clerk.get(f"{url}/so-tttt/@outgoing", params={"list": "waiting_issue"}).json()
    assert doc in [row["url"] for row in waiting["waiting_issue"]], waiting
    clerk_page = clerk.get(doc, headers={"Accept": "text/html"}).text
    assert "qlvb-signs-by-hand" in clerk_page and "qlvb-action-issue_paper" in clerk_page
    low = {"data": base64.b64encode(make_scan(120)).decode(), "filename": "quet.pdf"}
    r = clerk.post(f"{doc}/@issue-paper", json={"scan": low})
    assert r.status_code == 422, r.text
    assert "120 dpi" in r.json()["error"]["message"]
    r = session("stttt.chuyenvien").post(f"{doc}/@issue-paper", json={
        "scan": {"data": base64.b64encode(make_scan(300)).decode(), "filename": "quet.pdf"}})
    assert r.status_code in (400, 403), r.text
    r = clerk.post(f"{doc}/@issue-paper", json={
        "scan": {"data": base64.b64encode(make_scan(300)).decode(), "filename": "quet.pdf"},
        "comment": "Bản ký tay"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["state"] == "issued" and body["original_medium"] == "paper"
    assert body["paper_scan"]["dpi"] == 300
    got = clerk.get(f"{doc}/@review-comments").json()
    assert got["original_medium"] == "paper" and got["trail"][-1]["action"] == "issue_paper"
    page = clerk.get(doc, headers={"Accept": "text/html"}).text
    assert "Bản gốc giấy" in page


def test_counter_is_the_outgoing_register(portal):
    """The paper issue takes its number from numbering/ (the counter of the agency's series)."""
    doc = chain(draft(portal), until="approved")
    ag = agency(portal)
    from dongthap.qlvb.outgoing import settings

    series = settings.series_of(ag, "cong_van")
    before = counter.peek_number(ag, series)
    _paper(doc, make_scan(200))
    assert counter.peek_number(ag, series) == before + 1 == int(doc.code_number)


def test_a_document_signed_by_hand_reaches_the_clerk(portal):
    """The signer marks "ký tay": the approved document is on the clerk's "chờ phát hành" list and
    desk, with its page saying so; the clerk issues it with the scan and it leaves the list."""
    from dongthap.qlvb.outgoing.desk import OutgoingSection

    ag = agency(portal)
    doc = chain(draft(portal, title="Ký tay trên giấy"), until="approved")
    uid = api.content.get_uuid(doc)

    def clerk_list():
        with api.env.adopt_user(username="stttt.vanthu"):
            page = queries.lists_for(ag, "stttt.vanthu", only="waiting_issue")["waiting_issue"]
            desk = {i["key"]: i["count"] for i in OutgoingSection(ag).items("stttt.vanthu", {"QlvbClerk"})}
        return [r["uid"] for r in page], page.total, desk["waiting_issue"]

    uids, total, count = clerk_list()
    assert uid not in uids
    # only the chosen signer marks it, and only once approved
    for user in ("stttt.vanthu", "stttt.chuyenvien", "stttt.truongphong"):
        with api.env.adopt_user(username=user), pytest.raises(outgoing.OutgoingError):
            paper.mark_by_hand(doc)
    other = draft(portal)
    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(outgoing.OutgoingError):
        paper.mark_by_hand(other)
    with api.env.adopt_user(username="stttt.lanhdao"):
        result = paper.mark_by_hand(doc, "Không có chữ ký số tại chỗ")
    assert result["state"] == "approved" and paper.signs_by_hand(doc)
    assert doc.qlvb_trail[-1]["action"] == "sign_by_hand"
    assert doc.qlvb_trail[-1]["comment"] == "Không có chữ ký số tại chỗ"
    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(outgoing.OutgoingError):
        paper.mark_by_hand(doc)  # once
    uids, total2, count2 = clerk_list()
    assert uid in uids and total2 == total + 1 and count2 == count + 1
    # the clerk issues it with the scan: the number, and it leaves the list
    _paper(doc, make_scan(300))
    assert api.content.get_state(doc) == "issued" and paper.is_paper_original(doc)
    uids, total3, count3 = clerk_list()
    assert uid not in uids and total3 == total and count3 == count


def test_a_document_returned_is_no_longer_signed_by_hand(portal):
    doc = chain(draft(portal), until="approved")
    with api.env.adopt_user(username="stttt.lanhdao"):
        paper.mark_by_hand(doc)
    act(doc, "stttt.lanhdao", "return", "Sửa lại trích yếu")
    assert not paper.signs_by_hand(doc)
    assert api.content.get_uuid(doc) not in [
        b.UID for b in api.content.find(portal_type="OutgoingDocument", qlvb_sign_by_hand=True)]
