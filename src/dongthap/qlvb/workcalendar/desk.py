"""The work calendar on the desk: this week's events for everyone, drafts for the office,
events awaiting approval for the leaders."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.i18n import _
from plone import api

import datetime
from zope.component import adapter
from zope.interface import implementer

from . import api as cal

LISTS = {
    "this_week": _("desk_calendar_this_week", default="Events this week"),
    "drafts": _("desk_calendar_drafts", default="Calendar events in draft"),
    "to_approve": _("desk_calendar_to_approve", default="Calendar events awaiting my approval"),
}


@implementer(IDeskSection)
@adapter(IAgency)
class CalendarSection:
    order = 15  # after the incoming documents (10), before the outgoing ones (20)
    title = _("heading_calendar", default="Work calendar")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles):
        if not api.user.has_permission(cal.VIEW, obj=self.agency):
            return []
        monday = cal.monday_of(cal.today())
        base = f"{self.agency.absolute_url()}/@@lich-cong-tac"
        week = cal.events_between(self.agency, monday, monday + datetime.timedelta(days=6))
        items = [{"key": "calendar_this_week", "title": LISTS["this_week"],
                  "count": sum(1 for e in week if e["state"] == cal.PUBLISHED),
                  "url": base, "tone": None}]
        if api.user.has_permission(cal.DRAFT, obj=self.agency):
            items.append({"key": "calendar_drafts", "title": LISTS["drafts"],
                          "count": len(cal.open_events(self.agency, cal.DRAFTED)), "url": base, "tone": None})
        if api.user.has_permission(cal.APPROVE, obj=self.agency):
            n = len(cal.open_events(self.agency, cal.SUBMITTED))
            items.append({"key": "calendar_to_approve", "title": LISTS["to_approve"], "count": n, "url": base,
                          "tone": "warning" if n else None})
        return items
