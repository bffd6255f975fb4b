"""Integration: document events become notifications for the right people; the centre's API."""

from dongthap.qlvb.incoming import handling
from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.notifications import store
from plone import api
from tests.notifications.helpers import assign
from tests.notifications.helpers import create_registered
from tests.notifications.helpers import uid

import pytest


def kinds(username):
    return [i["kind"] for i in N.list_for(uid(username))["items"]]


def test_register_tells_the_leaders_and_not_the_clerk(portal, mail_queue):
    create_registered(portal)
    assert "to_assign" in kinds("stttt.lanhdao")
    assert kinds("stttt.vanthu") == []  # registered at once by the clerk: nothing to register
    # another agency's leader hears nothing
    assert kinds("snv.lanhdao") == []


def test_assignment_tells_each_assignee_with_his_part(portal, mail_queue):
    doc = assign(create_registered(portal), coordinators=("stttt.chuyenvien",))
    assert kinds("stttt.truongphong") == ["assigned_lead"]
    assert kinds("stttt.chuyenvien") == ["assigned_coordinator"]
    assert kinds("stttt.luutru") == ["assigned_fyi"]
    assert "assigned_lead" not in kinds("stttt.lanhdao")  # the leader did it himself
    item = N.list_for(uid("stttt.truongphong"))["items"][0]
    assert item["text"].startswith("Được giao chủ trì giải quyết") and doc.Title() in item["text"]
    assert item["url"] == doc.absolute_url()
    assert N.unread_count(uid("stttt.truongphong")) == 1
    # the department head re-assigns: only the new assignee is told
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.assign(doc, {"reassign": [{"user": "stttt.chuyenvien"}]})
    assert kinds("stttt.chuyenvien") == ["assigned_lead", "assigned_coordinator"]
    assert kinds("stttt.luutru") == ["assigned_fyi"]


def test_open_and_mark_read(portal, mail_queue):
    doc = assign(create_registered(portal))
    me = uid("stttt.truongphong")
    key = N.list_for(me)["items"][0]["id"]
    assert N.open_item(me, key) == doc.absolute_url()
    assert N.unread_count(me) == 0
    assign(create_registered(portal))
    assign(create_registered(portal))
    assert N.unread_count(me) == 2
    assert N.list_for(me, unread_only=True)["items_total"] == 2
    assert N.mark_read(me) == 2 and N.unread_count(me) == 0
    assert N.open_item(me, "999") is None


def test_preferences_leave_kinds_out(portal, mail_queue):
    me = uid("stttt.truongphong")
    N.set_prefs(me, off=["assigned_lead"], email=False)
    assign(create_registered(portal))
    assert kinds("stttt.truongphong") == []
    assert N.prefs(me) == {"email": False, "digest": False, "off": ["assigned_lead"]}
    from dongthap.qlvb.errors import QlvbError

    with pytest.raises(QlvbError):
        N.set_prefs(me, off=["no_such_kind"])


def test_a_box_keeps_a_bounded_number(portal, monkeypatch):
    monkeypatch.setattr(store, "MAX_ITEMS", 5)
    monkeypatch.setattr(store, "SLACK", 1)
    for n in range(8):
        store.add(portal, "someone", {"kind": "to_assign", "title": f"VB {n}", "at": f"2026-01-0{n + 1}"})
    box = store.box(portal, "someone")
    assert len(box.items) == 5 and box.unread() == 5
    assert [v["title"] for v in box.items.values()] == [f"VB {n}" for n in range(3, 8)]


def test_outgoing_review_walk_tells_the_next_person(portal, mail_queue):
    from tests.outgoing.helpers import act
    from tests.outgoing.helpers import draft

    doc = draft(portal)
    act(doc, "stttt.chuyenvien", "submit")
    assert kinds("stttt.truongphong") == ["to_review"]
    assert kinds("stttt.lanhdao") == []
    act(doc, "stttt.truongphong", "forward")
    assert kinds("stttt.lanhdao") == ["to_review"]
    act(doc, "stttt.lanhdao", "return", "Sửa lại trích yếu")
    assert kinds("stttt.chuyenvien") == ["returned"]
    assert N.list_for(uid("stttt.chuyenvien"))["items"][0]["text"].startswith("Dự thảo bị trả lại")


def test_pages_render_in_vietnamese(portal, mail_queue):
    assign(create_registered(portal))
    request = portal.REQUEST
    with api.env.adopt_user(username="stttt.truongphong"):
        html = portal.restrictedTraverse("@@thong-bao")()
        assert "Được giao chủ trì giải quyết" in html and "Đánh dấu tất cả đã đọc" in html
        assert '<svg class="qlvb-bell-icon"' in html  # the bell drawn, not an emoji a font may lack
        request.method = "GET"
        prefs = portal.restrictedTraverse("@@cai-dat-thong-bao")()
        assert "Cài đặt thông báo" in prefs and "Một thư tổng hợp mỗi ngày" in prefs
