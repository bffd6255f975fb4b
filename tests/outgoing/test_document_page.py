"""The outgoing document page at every review step (issue 15, item 6): recipients, urgency and
copies shown to each reviewer; a returned draft says it was returned, by whom and why."""

from plone import api
from tests.outgoing.helpers import act
from tests.outgoing.helpers import draft


def page_as(doc, user):
    with api.env.adopt_user(username=user):
        return doc.restrictedTraverse("@@xem-van-ban-di")()


def test_reviewers_see_recipients_urgency_and_copies(portal):
    doc = draft(portal, recipients=("so-noi-vu", "so-tai-chinh"), urgency="khan", issued_amount=7,
                external=[{"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"}])
    for user, transition in (("stttt.chuyenvien", None), ("stttt.truongphong", "submit"),
                             ("stttt.lanhdao", "forward")):
        if transition:
            act(doc, "stttt.chuyenvien" if transition == "submit" else "stttt.truongphong", transition)
        html = page_as(doc, user)
        for shown in ("Sở Nội vụ", "Sở Tài chính", "Văn phòng Chính phủ", "Khẩn", "Nơi nhận"):
            assert shown in html, (user, shown)
        assert ">7<" in html, user
    assert "qlvb-returned" not in html


def test_a_returned_draft_is_marked_returned(portal):
    doc = draft(portal)
    act(doc, "stttt.chuyenvien", "submit")
    assert "qlvb-returned" not in page_as(doc, "stttt.chuyenvien")
    act(doc, "stttt.truongphong", "return", "Sửa lại căn cứ pháp lý")
    html = page_as(doc, "stttt.chuyenvien")
    assert "Dự thảo bị trả lại" in html
    assert "Sửa lại căn cứ pháp lý" in html
    act(doc, "stttt.chuyenvien", "submit")
    assert "Dự thảo bị trả lại" not in page_as(doc, "stttt.chuyenvien")


def test_the_lists_show_urgency(portal):
    from tests.outgoing.helpers import agency

    draft(portal, urgency="hoa_toc", title="V/v phòng chống bão khẩn cấp")
    with api.env.adopt_user(username="stttt.chuyenvien"):
        html = agency(portal).restrictedTraverse("@@van-ban-di")()
    row = html[html.index("V/v phòng chống bão khẩn cấp") - 600:html.index("V/v phòng chống bão khẩn cấp")]
    assert "qlvb-urgency badge bg-danger" in row and "Hỏa tốc" in row
