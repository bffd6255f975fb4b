"""The iCal (RFC 5545) feed of one person, for calendar apps to subscribe to.

``<site>/@@lich-cong-tac.ics?token=<secret>[&scope=all]``: the published (and cancelled, as
``STATUS:CANCELLED``) events of the person's agencies — by default only those he chairs or takes
part in (named, or through a department he belongs to), with ``scope=all`` every published event
of his agencies. The token stands for the login (calendar apps cannot log in): it is the person's
own, shown on the week page, and reset there (the old address stops working at once).
Every request checks again that the person still holds "View work calendar" in each agency.
Times are Vietnam time (``TZID=Asia/Ho_Chi_Minh`` with its ``VTIMEZONE``).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
from plone import api

from . import api as cal

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PAST_DAYS = 62
FUTURE_DAYS = 366
PRODID = "-//Dong Thap//QLVB lich cong tac//VI"


def agencies_of(user):
    """The agencies where ``user`` may see the work calendar."""
    catalog = api.portal.get_tool("portal_catalog")
    found = []
    for brain in catalog.unrestrictedSearchResults(portal_type="Agency", sort_on="path"):
        agency = brain._unrestrictedGetObject()
        if api.user.has_permission(cal.VIEW, user=user, obj=agency):
            found.append(agency)
    return found


def _when(date_iso, hhmm):
    day = dt.date.fromisoformat(date_iso)
    hour, minute = (int(x) for x in hhmm.split(":"))
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=VIETNAM)


def build(userid, scope="mine", today=None):
    """The calendar (bytes) of ``userid``."""
    user = api.user.get(userid=userid)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Lịch công tác")
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    if user is None:
        return calendar.to_ical()
    today = today or cal.today()
    first, last = today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)
    public = api.portal.get().absolute_url()
    for agency in agencies_of(user):
        titles = cal.department_titles(agency)
        for event in cal.events_between(agency, first, last):
            if event["state"] not in (cal.PUBLISHED, cal.CANCELLED):
                continue
            if scope != "all" and userid not in cal.involved(agency, event):
                continue
            start = _when(event["date"], event["start"])
            end = _when(event["date"], event["end"]) if event.get("end") else start + dt.timedelta(hours=1)
            item = icalendar.Event()
            item.add("uid", f"{event['id']}@{agency.getId()}.qlvb")
            item.add("summary", event["content"])
            item.add("dtstart", start)
            item.add("dtend", end)
            item.add("dtstamp", dt.datetime.now(dt.UTC))
            item.add("sequence", int(event.get("version", 1)) - 1)
            item.add("status", "CANCELLED" if event["state"] == cal.CANCELLED else "CONFIRMED")
            if event.get("place"):
                item.add("location", event["place"])
            lines = [f"Cơ quan: {agency.title}", f"Chủ trì: {_name(event.get('chair'))}"]
            names = [_name(p) for p in event.get("participants") or ()]
            names += [titles.get(d, d) for d in event.get("departments") or ()]
            if event.get("guests"):
                names.append(event["guests"])
            if names:
                lines.append("Thành phần: " + "; ".join(names))
            if event.get("preparing_unit"):
                lines.append(f"Chuẩn bị: {event['preparing_unit']}")
            item.add("description", "\n".join(lines))
            monday = cal.monday_of(dt.date.fromisoformat(event["date"]))
            item.add("url", f"{agency.absolute_url()}/@@lich-cong-tac?week={cal.week_key(monday)}"
                     if agency.absolute_url().startswith(public) else agency.absolute_url())
            calendar.add_component(item)
    if hasattr(calendar, "add_missing_timezones"):
        calendar.add_missing_timezones()
    return calendar.to_ical()


def _name(userid):
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") if user is not None else "") or userid or ""
