"""The work calendar over real HTTP (examples written to ``docs/rest/calendar_*.md``), the
refusals of other roles and agencies, the PDF, the iCal subscription, and one look in Chromium."""

from __future__ import annotations

import datetime
import re

import requests

from dongthap.qlvb.workcalendar import api as cal
from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import PW
from tests.incoming.helpers import session
from tests.test_rest_bodies import MESSAGE
from tests.test_rest_docs import Recorder

TITLES = {
    "calendar_create": "The office drafts an event of the work calendar: `POST <agency>/@calendar`",
    "calendar_bad_input": "Bad input (end before start, unknown participant): a translated 400, "
                          "nothing stored",
    "calendar_submit": "The office sends it for approval: `POST <agency>/@calendar/<id>/submit`",
    "calendar_approve": "A leader approves and publishes it: `POST <agency>/@calendar/<id>/approve`",
    "calendar_week": "The week as a member of the staff sees it: `GET <agency>/@calendar?week=<yyyy>-W<ww>`",
    "calendar_change": "A change after publication (the people concerned are told again): "
                       "`PATCH <agency>/@calendar/<id>`",
    "calendar_other_agency": "Another agency's staff see nothing: `GET <agency>/@calendar`",
    "calendar_feed": "My iCal subscription addresses: `GET <agency>/@calendar/feed`",
}
EXTRA = [(re.compile(r"lct-[0-9a-f]{10}"), "lct-xxxxxxxxxx"),
         (re.compile(r"\b\d{4}-W\d{2}\b"), "<yyyy>-W<ww>"),
         (re.compile(r"token=[A-Za-z0-9_-]+"), "token=<secret>"),
         (re.compile(r'"expires": "[^"]+"'), '"expires": "<yyyy>-<mm>-<dd>T<hh>:<mm>:<ss>+07:00"'),
         (re.compile(r'"week_(number|year)": \d+'), r'"week_\1": 0')]


def _monday():
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    return today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(days=14)


def test_calendar_over_http_and_in_the_browser(demo_server, page):  # noqa: F811
    url = demo_server["url"]
    agency = f"{url}/so-tttt"
    rec = Recorder(url, TITLES, EXTRA)
    monday = _monday()
    week = cal.week_key(monday)
    day = (monday + datetime.timedelta(days=1)).strftime("%d/%m/%Y")  # Tuesday
    body = {"date": day, "start": "08:00", "end": "11:30", "content": "Giao ban lãnh đạo Sở tuần",
            "place": "Phòng họp số 1", "chair": "stttt.lanhdao", "participants": ["stttt.chuyenvien"],
            "departments": ["vp"], "guests": "Đại diện Văn phòng UBND tỉnh", "preparing_unit": "Văn phòng Sở"}

    r = rec.call("calendar_bad_input", "stttt.vanthu", "POST", f"{agency}/@calendar",
                 dict(body, end="07:00", participants=["stttt.chuyenvien", "snv.lanhdao"]))
    assert r.status_code == 400, r.text
    problem = r.json()["error"]
    assert {e["field"] for e in problem["errors"]} == {"end", "participants"}
    assert problem["message"].startswith("Chưa lưu lịch")
    assert any("Giờ kết thúc phải sau giờ bắt đầu" in e["message"] for e in problem["errors"])
    assert session("stttt.vanthu").get(f"{agency}/@calendar", params={"week": week}).json()["items"] == []
    for raw in ("{không phải json", "[1, 2]"):
        r = session("stttt.vanthu").post(f"{agency}/@calendar", data=raw.encode(),
                                         headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error"]["message"] == MESSAGE, r.text

    for user in ("stttt.chuyenvien", "stttt.lanhdao", "snv.vanthu"):  # only the office drafts
        assert session(user).post(f"{agency}/@calendar", json=body).status_code in (401, 403), user
    r = rec.call("calendar_create", "stttt.vanthu", "POST", f"{agency}/@calendar", body)
    assert r.status_code == 201, r.text
    event = r.json()
    eid = event["id"]
    assert event["state"] == "draft" and event["state_title"] == "Dự thảo" and event["weekday"] == "Thứ Ba"
    assert r.headers["Location"] == event["@id"]
    # a draft: not for the staff, not for another agency
    assert session("stttt.chuyenvien").get(f"{agency}/@calendar/{eid}").status_code == 404
    assert session("snv.lanhdao").get(f"{agency}/@calendar/{eid}").status_code in (401, 403)
    assert session("stttt.chuyenvien").post(f"{agency}/@calendar/{eid}/submit", json={}).status_code == 404

    r = rec.call("calendar_submit", "stttt.vanthu", "POST", f"{agency}/@calendar/{eid}/submit", {})
    assert r.status_code == 200 and r.json()["state"] == "submitted", r.text
    assert session("stttt.vanthu").post(f"{agency}/@calendar/{eid}/approve", json={}).status_code == 403
    assert session("snv.lanhdao").post(f"{agency}/@calendar/{eid}/approve", json={}).status_code in (401, 403)
    r = rec.call("calendar_approve", "stttt.lanhdao", "POST", f"{agency}/@calendar/{eid}/approve", {})
    assert r.status_code == 200 and r.json()["state"] == "published", r.text
    again = session("stttt.lanhdao").post(f"{agency}/@calendar/{eid}/approve", json={})
    assert again.status_code == 409 and "Đã công bố" in again.json()["error"]["message"]

    r = rec.call("calendar_week", "stttt.chuyenvien", "GET", f"{agency}/@calendar?week={week}")
    answer = r.json()
    assert r.status_code == 200 and answer["week"] == week and len(answer["days"]) == 7
    assert [d["weekday"] for d in answer["days"]][::6] == ["Thứ Hai", "Chủ Nhật"]
    tuesday = answer["days"][1]
    assert tuesday["date_text"] == day and tuesday["periods"][0]["title"] == "Sáng"
    assert tuesday["periods"][0]["items"][0]["id"] == eid
    bad = session("stttt.chuyenvien").get(f"{agency}/@calendar", params={"week": "2026-W77"})
    assert bad.status_code == 400 and bad.json()["error"]["errors"][0]["field"] == "week"
    ranged = session("stttt.chuyenvien").get(f"{agency}/@calendar", params={"from": day, "to": day}).json()
    assert [e["id"] for e in ranged["items"]] == [eid]

    r = rec.call("calendar_change", "stttt.vanthu", "PATCH", f"{agency}/@calendar/{eid}",
                 {"place": "Hội trường Sở", "start": "13:30", "end": "16:00"})
    assert r.status_code == 200 and r.json()["version"] == 2 and r.json()["period"] == "afternoon", r.text
    told = session("stttt.chuyenvien").get(f"{url}/@notifications").json()
    assert any(n["kind"] == "calendar_changed" and "Hội trường Sở" in n["text"] for n in told["items"]), told

    r = rec.call("calendar_other_agency", "snv.lanhdao", "GET", f"{agency}/@calendar?week={week}")
    assert r.status_code in (401, 403)

    pdf = session("stttt.chuyenvien").get(f"{agency}/@calendar/pdf", params={"week": week})
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")

    r = rec.call("calendar_feed", "stttt.chuyenvien", "GET", f"{agency}/@calendar/feed")
    feed = r.json()["url"]
    ics = requests.get(feed, timeout=60)  # no login: the token is the key
    assert ics.status_code == 200 and ics.headers["Content-Type"].startswith("text/calendar")
    assert "Giao ban lãnh đạo Sở tuần" in ics.text and "Hội trường Sở" in ics.text
    assert r.json()["expired"] is False and r.json()["expires"]
    reset = session("stttt.chuyenvien").post(f"{agency}/@calendar/feed/reset", json={}).json()
    assert reset["url"] != feed
    assert requests.get(feed, timeout=60).status_code == 404
    assert requests.get(reset["url"], timeout=60).status_code == 200

    # the pages: not for another agency; the form only for the office (and leaders, once submitted)
    assert session("snv.lanhdao").get(f"{agency}/@@lich-cong-tac").status_code in (401, 403)
    assert session("stttt.chuyenvien").get(f"{agency}/@@lich-cong-tac-sua").status_code in (401, 403)
    assert session("stttt.chuyenvien").get(f"{agency}/@@lich-cong-tac-sua?id={eid}").status_code in (401, 403)
    assert session("stttt.vanthu").get(f"{agency}/@@lich-cong-tac-sua?id=lct-khongco").status_code == 404
    unknown = requests.get(f"{url}/@@lich-cong-tac.ics", params={"token": "khong-dung"}, timeout=60)
    assert unknown.status_code == 404 and "Địa chỉ lịch không tồn tại" in unknown.text

    # the leader sees the week in the browser, through the tab of the top navigation
    login(page, url, "stttt.lanhdao", PW)
    page.goto(f"{agency}/@@co-quan")
    tab = page.locator("#portal-globalnav a", has_text="Lịch công tác").first  # the top navigation
    assert tab.get_attribute("href").endswith("/so-tttt/@@lich-cong-tac")
    page.goto(f"{agency}/@@lich-cong-tac?week={week}")
    heading = page.locator("h1.documentFirstHeading").inner_text()
    assert heading == "Lịch công tác tuần"
    table = page.locator(".qlvb-calendar-table").inner_text()
    for text in ("Thứ Hai", "Chủ Nhật", day, "Chiều", "Giao ban lãnh đạo Sở tuần", "Hội trường Sở"):
        assert text in table, text
    page.locator(".qlvb-calendar-reset").click()  # the leader's own iCal address (POST with the token)
    assert "token=" in page.locator(".qlvb-calendar-feed-mine").input_value()
    page.locator(".qlvb-calendar-previous").click()
    assert cal.week_key(monday - datetime.timedelta(days=7)) in page.url
    screenshot(page, "calendar-week")
