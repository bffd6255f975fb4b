"""The incoming documents' lists on the desk (a :class:`~dongthap.qlvb.desk.interfaces.IDeskSection`)."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.i18n import _
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.incoming.api import WORK_PERMISSION
from dongthap.qlvb.security import roles as R
from plone import api
from zope.component import adapter
from zope.interface import implementer

TITLES = {
    "waiting_registration": _("tab_waiting_registration", default="Waiting for registration"),
    "waiting_assignment": _("tab_waiting_assignment", default="Waiting for assignment"),
    "my_work": _("tab_my_work", default="My work"),
    "due_soon": _("desk_due_soon", default="Due soon"),
    "overdue": _("desk_overdue", default="Overdue"),
}
TONES = {"overdue": "danger", "due_soon": "warning"}


@implementer(IDeskSection)
@adapter(IAgency)
class IncomingSection:
    order = 10
    title = _("heading_incoming", default="Incoming documents")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles):
        if not api.user.has_permission(WORK_PERMISSION, obj=self.agency):
            return []
        admin = bool(roles & {"Manager", "Site Administrator"})
        nothing = (0, 0)
        counts = {}
        if admin or R.CLERK in roles:
            counts["waiting_registration"] = queries.waiting_registration(self.agency, batch=nothing).total
        if admin or R.LEADER in roles:
            counts["waiting_assignment"] = queries.waiting_assignment(self.agency, batch=nothing).total
        counts["my_work"] = queries.my_work(self.agency, userid, batch=nothing).total
        who = None if admin or R.LEADER in roles else userid
        for key in ("due_soon", "overdue"):
            counts[key] = queries.deadline_list(self.agency, key, who, batch=nothing).total
        base = f"{self.agency.absolute_url()}/@@van-ban-den?list="
        return [{"key": key, "title": TITLES[key], "count": count, "url": base + key,
                 "tone": TONES.get(key) if count else None}
                for key, count in counts.items()]
