"""The weekly work calendar (lịch công tác tuần): lifecycle, who sees and does what, bad input,
the iCal feed and the printable week."""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.notifications import api as notifications
from dongthap.qlvb.workcalendar import api as cal
from plone import api
from zope.i18n import translate

import datetime
import re
import pytest

AGENCY = "so-tttt"


def _vi(message):
    return translate(message, target_language="vi")


def _monday():
    return cal.monday_of(cal.today()) + datetime.timedelta(days=7)  # next week: always in the feed window


def _data(**overrides):
    day = _monday() + datetime.timedelta(days=2)  # Wednesday
    data = {"date": day.strftime("%d/%m/%Y"), "start": "14:00", "end": "16:30",
            "content": TITLE, "place": "Phòng họp số 2",
            "chair": "stttt.lanhdao", "participants": ["stttt.chuyenvien"], "departments": ["cntt"],
            "guests": "Đại diện Sở Nội vụ", "preparing_unit": "Phòng Công nghệ thông tin"}
    data.update(overrides)
    return data


def _as(user, fn, *args, **kwargs):
    with api.env.adopt_user(username=user):
        return fn(*args, **kwargs)


def _week_ids(agency, user):
    monday = _monday()
    return [e["id"] for e in _as(user, cal.week, agency, monday, None, monday)["items"]]


TITLE = "Họp triển khai chuyển đổi số quý IV"


def _kinds(userid, title=TITLE):
    """The kinds of the user's notifications about the event ``title``."""
    return [n["kind"] for n in notifications.list_for(userid)["items"] if n["title"] == title]


def test_lifecycle_draft_submit_approve_change_cancel_with_notifications(demo):
    agency = demo[AGENCY]
    event = _as("stttt.vanthu", cal.create, agency, _data())
    assert event["state"] == "draft" and event["date"] == (_monday() + datetime.timedelta(days=2)).isoformat()
    assert event["chair_name"] and event["period"] == "afternoon"
    assert _vi(event["weekday"]) == "Thứ Tư" and _vi(event["period_title"]) == "Chiều"
    eid = event["id"]
    # drafts: the office and the leaders only
    assert eid in _week_ids(agency, "stttt.vanthu") and eid in _week_ids(agency, "stttt.lanhdao")
    for user in ("stttt.chuyenvien", "stttt.truongphong", "stttt.luutru", "stttt.quantri"):
        assert eid not in _week_ids(agency, user), user
    submitted = _as("stttt.vanthu", cal.transition, agency, eid, "submit")
    assert submitted["state"] == "submitted"
    assert "calendar_to_approve" in _kinds("stttt.lanhdao")
    # the leader returns it with a reason, the office sends it again, the leader approves
    with pytest.raises(QlvbError) as refused:
        _as("stttt.lanhdao", cal.transition, agency, eid, "return")
    assert refused.value.status == 400
    _as("stttt.lanhdao", cal.transition, agency, eid, "return", "Ghi rõ thành phần")
    assert "calendar_returned" in _kinds("stttt.vanthu")
    _as("stttt.vanthu", cal.transition, agency, eid, "submit")
    assert _kinds("stttt.chuyenvien") == []  # nothing before the publication
    published = _as("stttt.lanhdao", cal.transition, agency, eid, "approve")
    assert published["state"] == "published"
    # published to everyone of the agency; the participant and the department's members are told
    for user in ("stttt.chuyenvien", "stttt.truongphong", "stttt.luutru", "stttt.antt"):
        assert eid in _week_ids(agency, user), user
    assert "calendar_published" in _kinds("stttt.chuyenvien")
    assert "calendar_published" in _kinds("stttt.truongphong")  # member of cntt
    assert _kinds("stttt.luutru") == [] and _kinds("stttt.vanthu") == ["calendar_returned"]
    # a change after publication tells them again (also whoever was taken off)
    changed = _as("stttt.vanthu", cal.update, agency, eid, {"place": "Hội trường A", "participants": []})
    assert changed["state"] == "published" and changed["version"] == 2 and changed["place"] == "Hội trường A"
    assert "calendar_changed" in _kinds("stttt.chuyenvien")
    text = notifications.list_for("stttt.chuyenvien")["items"][0]["text"]
    assert "Hội trường A" in text and "14:00" in text
    # whoever made the change is not told of it
    assert "calendar_changed" not in _kinds("stttt.vanthu")
    cancelled = _as("stttt.lanhdao", cal.transition, agency, eid, "cancel")
    assert cancelled["state"] == "cancelled"
    assert "calendar_cancelled" in _kinds("stttt.truongphong")
    assert [h["action"] for h in cancelled["history"]] == [
        "create", "submit", "return", "submit", "approve", "edit", "cancel"]
    with pytest.raises(QlvbError) as refused:
        _as("stttt.vanthu", cal.update, agency, eid, {"place": "X"})
    assert refused.value.status == 403


MATRIX = {
    # user: (create, submit, approve, sees a draft, sees a published event)
    "stttt.vanthu": (True, True, False, True, True),
    "stttt.lanhdao": (False, False, True, True, True),
    "stttt.truongphong": (False, False, False, False, True),
    "stttt.chuyenvien": (False, False, False, False, True),
    "stttt.luutru": (False, False, False, False, True),
    "stttt.quantri": (False, False, False, False, True),
    "stttt.antt": (False, False, False, False, True),
    "snv.vanthu": (False, False, False, False, False),
    "snv.lanhdao": (False, False, False, False, False),
    "ubnd.lanhdao": (False, False, False, False, False),
    "qtht": (False, False, False, False, False),
}


def _allowed(fn, *args):
    try:
        fn(*args)
    except QlvbError as problem:
        assert problem.status in (403, 404), problem.status
        return False
    return True


@pytest.mark.parametrize("user", sorted(MATRIX))
def test_permission_matrix(demo, user):
    agency = demo[AGENCY]
    may_create, may_submit, may_approve, sees_draft, sees_published = MATRIX[user]
    draft = _as("stttt.vanthu", cal.create, agency, _data(content="Dự thảo lịch"))
    published = _as("stttt.vanthu", cal.create, agency,
                    _data(content="Lịch đã duyệt", start="08:00", end="09:00"))
    _as("stttt.vanthu", cal.transition, agency, published["id"], "submit")
    _as("stttt.lanhdao", cal.transition, agency, published["id"], "approve")
    with api.env.adopt_user(username=user):
        assert _allowed(cal.create, agency, _data()) is may_create
        assert _allowed(cal.get, agency, draft["id"]) is sees_draft
        assert _allowed(cal.get, agency, published["id"]) is sees_published
        assert _allowed(cal.transition, agency, draft["id"], "submit") is may_submit
        monday = _monday()
        if sees_published:
            ids = [e["id"] for e in cal.week(agency, monday, None, monday)["items"]]
            assert (draft["id"] in ids) is sees_draft and published["id"] in ids
        else:
            assert not _allowed(cal.week, agency, monday, None, monday)
            assert not api.user.has_permission(cal.VIEW, obj=agency)
    if not may_submit:  # submitted by the office, for the approval
        _as("stttt.vanthu", cal.transition, agency, draft["id"], "submit")
    with api.env.adopt_user(username=user):
        assert _allowed(cal.transition, agency, draft["id"], "approve") is may_approve


@pytest.mark.parametrize(("data", "field"), [
    ({"start": "16:00", "end": "09:00"}, "end"),
    ({"start": "10:00", "end": "10:00"}, "end"),
    ({"date": "31/02/2026"}, "date"),
    ({"date": "hôm qua"}, "date"),
    ({"start": "25:00"}, "start"),
    ({"participants": ["stttt.chuyenvien", "snv.lanhdao"]}, "participants"),
    ({"participants": ["khong-co-ai"]}, "participants"),
    ({"chair": "snv.lanhdao"}, "chair"),
    ({"chair": ""}, "chair"),
    ({"departments": ["khong-co"]}, "departments"),
    ({"content": "  "}, "content"),
    ({"content": 12}, "content"),
    ({"colour": "red"}, "colour"),
])
def test_bad_input_is_refused_and_nothing_is_stored(demo, data, field):
    agency = demo[AGENCY]
    before = len(cal.events_between(agency, _monday(), _monday() + datetime.timedelta(days=6)))
    with pytest.raises(QlvbError) as refused:
        _as("stttt.vanthu", cal.create, agency, _data(**data))
    assert refused.value.status == 400
    assert field in [e["field"] for e in refused.value.errors]
    messages = [_vi(e["message"]) for e in refused.value.errors]
    assert all(m and not m.startswith("error_") for m in messages)
    assert _vi(refused.value.message).startswith("Chưa lưu")
    assert len(cal.events_between(agency, _monday(), _monday() + datetime.timedelta(days=6))) == before


def test_bad_weeks_and_periods(demo):
    for form in ({"week": "2026-W60"}, {"week": "tuần sau"}, {"from": "01/12/2026"},
                 {"from": "10/12/2026", "to": "01/12/2026"}, {"from": "01/01/2026", "to": "31/12/2026"}):
        with pytest.raises(QlvbError) as refused:
            cal.range_from_request(form)
        assert refused.value.status == 400, form
    assert cal.range_from_request({"week": "2026-W49"})[:2] == (datetime.date(2026, 11, 30),
                                                                datetime.date(2026, 12, 6))
    assert cal.range_from_request({"from": "2026-12-01", "to": "03/12/2026"})[:2] == (
        datetime.date(2026, 12, 1), datetime.date(2026, 12, 3))


def _published(agency, **overrides):
    event = _as("stttt.vanthu", cal.create, agency, _data(**overrides))
    _as("stttt.vanthu", cal.transition, agency, event["id"], "submit")
    return _as("stttt.lanhdao", cal.transition, agency, event["id"], "approve")


def test_ical_feed_of_a_person_parses_back(demo):
    import icalendar

    from dongthap.qlvb.workcalendar import ical

    agency = demo[AGENCY]
    mine = _published(agency)
    other = _published(agency, content="Tiếp công dân định kỳ", participants=[], departments=[],
                       chair="stttt.lanhdao", start="07:30", end="11:00")
    draft = _as("stttt.vanthu", cal.create, agency, _data(content="Chưa duyệt"))

    def events(userid, scope):
        parsed = icalendar.Calendar.from_ical(ical.build(userid, scope))
        return {str(c["uid"]).split("@")[0]: c for c in parsed.walk("VEVENT")}

    found = events("stttt.chuyenvien", "mine")
    assert mine["id"] in found and other["id"] not in found and draft["id"] not in found
    item = found[mine["id"]]
    assert str(item["summary"]) == "Họp triển khai chuyển đổi số quý IV"
    assert str(item["location"]) == "Phòng họp số 2"
    start = item.decoded("dtstart")
    assert (start.hour, start.minute, start.utcoffset()) == (14, 0, datetime.timedelta(hours=7))
    assert item.decoded("dtend").hour == 16 and item.decoded("dtend").minute == 30
    assert "Chủ trì:" in str(item["description"]) and "Đại diện Sở Nội vụ" in str(item["description"])
    every = events("stttt.chuyenvien", "all")
    assert {mine["id"], other["id"]} <= set(every) and draft["id"] not in every
    # the leader chairs both; another agency's leader gets nothing of this agency
    assert {mine["id"], other["id"]} <= set(events("stttt.lanhdao", "mine"))
    assert not set(events("snv.lanhdao", "all")) & {mine["id"], other["id"]}
    # a cancelled event stays in the feed as cancelled (calendar apps remove it)
    _as("stttt.vanthu", cal.transition, agency, mine["id"], "cancel")
    assert str(events("stttt.chuyenvien", "mine")[mine["id"]]["status"]) == "CANCELLED"


def test_ical_feed_keeps_the_rfc_5545_basics(demo):
    """What a real consumer needs (RFC 5545): CRLF line ends, lines folded at 75 octets without
    cutting a Vietnamese letter, a UID and a UTC DTSTAMP per event, times in Asia/Ho_Chi_Minh with
    its VTIMEZONE, commas and semicolons of Vietnamese text escaped; it parses back unchanged."""
    import re

    import icalendar

    from dongthap.qlvb.workcalendar import ical

    agency = demo[AGENCY]
    content = ("Họp bàn, thống nhất; triển khai Đề án chuyển đổi số: ưu tiên dịch vụ công trực tuyến "
               "toàn trình")
    place = "Phòng họp số 2, tầng 3; Trụ sở Sở"
    event = _published(agency, content=content, place=place, guests="Ông A, Bà B; Sở Nội vụ")
    raw = ical.build("stttt.chuyenvien", "mine")
    assert b"\n" not in raw.replace(b"\r\n", b""), "a line ends without CR"
    lines = raw.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    for line in lines:
        line.decode("utf-8")  # a fold never splits a multi-byte letter
    unfolded = re.sub(rb"\r\n[ \t]", b"", raw).decode()
    assert "SUMMARY:" + content.replace(",", "\\,").replace(";", "\\;") in unfolded
    assert "LOCATION:" + place.replace(",", "\\,").replace(";", "\\;") in unfolded
    parsed = icalendar.Calendar.from_ical(raw)
    assert [str(t["tzid"]) for t in parsed.walk("VTIMEZONE")] == ["Asia/Ho_Chi_Minh"]
    items = {str(c["uid"]): c for c in parsed.walk("VEVENT")}
    assert len(items) == len(set(items)) and all(uid.endswith(".qlvb") for uid in items)
    item = next(c for uid, c in items.items() if uid.startswith(event["id"] + "@"))
    assert str(item["summary"]) == content and str(item["location"]) == place
    assert item["dtstart"].params["TZID"] == "Asia/Ho_Chi_Minh"
    assert item.decoded("dtstamp").utcoffset() == datetime.timedelta(0)
    for other in items.values():
        assert "dtstamp" in other and "dtstart" in other and "dtend" in other


def test_feed_tokens_are_personal_and_can_be_reset(demo):
    first = cal.feed_token("stttt.chuyenvien")
    assert cal.feed_token("stttt.chuyenvien") == first and len(first) >= 30
    assert cal.user_of_token(first) == "stttt.chuyenvien"
    assert cal.feed_token("stttt.lanhdao") != first
    second = cal.feed_token("stttt.chuyenvien", reset=True)
    assert second != first and cal.user_of_token(first) is None
    assert cal.user_of_token(second) == "stttt.chuyenvien"
    assert cal.user_of_token("") is None and cal.user_of_token(None) is None


def test_feed_tokens_expire_and_can_be_renewed_or_revoked(demo, monkeypatch):
    """An address older than ``feed_token_days`` answers 410 with a Vietnamese message; a new one
    (reset) works again; a revoked one is unknown (404)."""
    from dongthap.qlvb.workcalendar import services
    from dongthap.qlvb.workcalendar.settings import ENV_FEED_DAYS

    request = demo.REQUEST

    def fetch(token):
        request.form["token"] = token
        request.response.setStatus(200)
        body = demo.restrictedTraverse("@@lich-cong-tac.ics")()
        return request.response.getStatus(), body

    token = cal.feed_token("stttt.chuyenvien")
    assert fetch(token)[0] == 200
    assert 364 <= (cal.token_expires(token) - datetime.datetime.now(datetime.UTC)).days <= 365
    cal._tokens()["issued"][token] -= 366 * 86400  # made 366 days ago
    status, body = fetch(token)
    assert status == 410 and cal.token_expired(token)
    assert body.startswith("Địa chỉ lịch này đã hết hạn ngày "), body
    monkeypatch.setenv(ENV_FEED_DAYS, "400")  # the setting decides
    assert fetch(token)[0] == 200
    monkeypatch.delenv(ENV_FEED_DAYS)
    with api.env.adopt_user("stttt.chuyenvien"):
        info = services.feed(demo[AGENCY], request)
        assert info["expired"] is True and f"token={token}" in info["url"]  # shown as expired, not renewed
        renewed = services.feed(demo[AGENCY], request, reset=True)
    assert renewed["expired"] is False and renewed["expires"] > info["expires"]
    new = renewed["url"].split("token=")[1]
    assert fetch(token)[0] == 404 and fetch(new)[0] == 200
    with api.env.adopt_user("stttt.chuyenvien"):
        assert services.feed(demo[AGENCY], request, revoke=True) == {"revoked": True}
        assert services.feed(demo[AGENCY], request, revoke=True) == {"revoked": False}
    assert fetch(new)[0] == 404 and cal.feed_url("stttt.chuyenvien", create=False) is None


def test_printable_week_is_a_pdf_in_vietnamese(demo):
    import io

    import pypdf

    from dongthap.qlvb.workcalendar.services import week_pdf

    agency = demo[AGENCY]
    _published(agency)
    _as("stttt.vanthu", cal.create, agency, _data(content="Bản nháp không in cho chuyên viên", start="08:00",
                                                   end="09:00"))
    monday = _monday()
    week = cal.week_key(monday)
    request = demo.REQUEST
    with api.env.adopt_user(username="stttt.chuyenvien"):
        download = week_pdf(agency, request, {"week": week})
    assert download.content_type == "application/pdf" and download.filename == f"lich-cong-tac-{week}.pdf"
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(download.data)).pages)
    flat = " ".join(text.split())
    for expected in ("LỊCH CÔNG TÁC TUẦN", "Thứ Hai", "Chủ Nhật", monday.strftime("%d/%m/%Y"),
                     "Họp triển khai chuyển đổi số", "Phòng họp số 2", "Chủ trì", "Chiều"):
        assert expected in flat, expected
    assert "Bản nháp không in" not in flat
    # NĐ 30 heading: the agency on the left, quốc hiệu then tiêu ngữ on the right, above the title
    import subprocess

    out = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", "-", "-"], input=download.data,
                         capture_output=True, check=True).stdout.decode()
    lines = [x for x in out.splitlines() if x.strip()]
    heading = r"\s*SỞ THÔNG TIN VÀ TRUYỀN THÔNG\s{3,}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$"
    assert re.match(heading, lines[0]), lines[0]
    assert lines[1].strip() == "Độc lập - Tự do - Hạnh phúc" and lines[1].index("Độc") > lines[0].index("SỞ")
    assert lines[2].strip() == "LỊCH CÔNG TÁC TUẦN"


def test_the_demo_calendar_of_this_week(demo):
    agency = demo[AGENCY]
    with api.env.adopt_user(username="stttt.lanhdao"):
        waiting = cal.open_events(agency, cal.SUBMITTED)
    assert [e["content"] for e in waiting] == ["Giao ban lãnh đạo Sở đầu tuần"]
    next_monday = datetime.date.fromisoformat(waiting[0]["date"])  # seeded for the Monday after the seeding
    monday = next_monday - datetime.timedelta(days=7)
    assert next_monday.weekday() == 0 and abs((monday - cal.monday_of(cal.today())).days) <= 7
    with api.env.adopt_user(username="stttt.chuyenvien"):
        assert [e["state"] for e in cal.week(agency, monday, None, monday)["items"]] == ["published"] * 3
        assert cal.week(agency, next_monday)["items"] == []  # the submitted one is not his to see
        assert cal.open_events(agency, cal.SUBMITTED) == []
