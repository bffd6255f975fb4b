"""Demo work calendar of Sở TT&TT: this week's published events and one awaiting approval.

Seeded without notifications (``workcalendar.api.quiet``): the demo users' notification boxes
stay as the other demo data leaves them."""

from plone import api

import datetime


def _published(day):
    return [
        {"date": day(0), "start": "07:30", "end": "09:00", "content": "Giao ban lãnh đạo Sở đầu tuần",
         "place": "Phòng họp số 1", "chair": "stttt.lanhdao", "participants": ["stttt.truongphong"],
         "departments": ["vp"], "guests": "", "preparing_unit": "Văn phòng Sở"},
        {"date": day(2), "start": "14:00", "end": "16:30",
         "content": "Làm việc với UBND xã Mỹ Thọ về chuyển đổi số cấp xã", "place": "UBND xã Mỹ Thọ",
         "chair": "stttt.lanhdao", "participants": ["stttt.chuyenvien"], "departments": ["cntt"],
         "guests": "Lãnh đạo UBND xã Mỹ Thọ", "preparing_unit": "Phòng Công nghệ thông tin"},
        {"date": day(4), "start": "08:00", "end": "11:00",
         "content": "Hội nghị tập huấn an toàn thông tin cho cán bộ văn thư", "place": "Hội trường Sở",
         "chair": "stttt.lanhdao", "participants": ["stttt.antt", "stttt.vanthu"], "departments": [],
         "guests": "Văn thư các sở, ngành", "preparing_unit": "Phòng Bưu chính - Viễn thông"},
    ]


def install():
    from dongthap.qlvb.workcalendar import api as cal

    agency = api.portal.get().get("so-tttt")
    staff = {u for u in (cal.staff_ids(agency) if agency is not None else ()) if api.user.get(userid=u)}
    if not {"stttt.vanthu", "stttt.lanhdao"} <= staff:
        return  # an administrator removed the demo office or leader: no demo calendar
    monday = cal.monday_of(cal.today())

    def day(offset):
        return (monday + datetime.timedelta(days=offset)).strftime("%d/%m/%Y")

    with cal.quiet():
        for data in _published(day):
            data["participants"] = [p for p in data["participants"] if p in staff]
            with api.env.adopt_user(username="stttt.vanthu"):
                event = cal.create(agency, data)
                cal.transition(agency, event["id"], "submit")
            with api.env.adopt_user(username="stttt.lanhdao"):
                cal.transition(agency, event["id"], "approve")
        with api.env.adopt_user(username="stttt.vanthu"):
            event = cal.create(agency, {
                "date": day(7), "start": "07:30", "end": "09:00", "content": "Giao ban lãnh đạo Sở đầu tuần",
                "place": "Phòng họp số 1", "chair": "stttt.lanhdao", "departments": ["vp"],
                "preparing_unit": "Văn phòng Sở"})
            cal.transition(agency, event["id"], "submit")
