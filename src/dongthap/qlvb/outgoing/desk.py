"""The outgoing documents' lists on the desk (a :class:`~dongthap.qlvb.desk.interfaces.IDeskSection`)."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.i18n import _
from dongthap.qlvb.outgoing import queries
from dongthap.qlvb.outgoing.api import WORK_PERMISSION
from dongthap.qlvb.outgoing.views import DashboardView
from plone import api
from zope.component import adapter
from zope.interface import implementer



@implementer(IDeskSection)
@adapter(IAgency)
class OutgoingSection:
    order = 20
    title = _("heading_outgoing", default="Outgoing documents")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles):
        if not api.user.has_permission(WORK_PERMISSION, obj=self.agency):
            return []
        titles = dict(DashboardView.TABS)
        shown = {key for key, _q in queries._queries(self.agency, userid, roles).items()} - {"issued"}
        lists = queries.lists_for(self.agency, userid, batch=(0, 0))
        base = f"{self.agency.absolute_url()}/@@van-ban-di?list="
        tones = {}
        if "awaiting_reply" in shown:  # chờ trả lời: red when a reply is overdue, amber when due soon
            from dongthap.qlvb.outgoing import replies

            _total, overdue, soon = replies.counts(self.agency)
            tones["awaiting_reply"] = "danger" if overdue else ("warning" if soon else None)
        return [{"key": key, "title": titles[key], "count": lists[key].total, "url": base + key,
                 "tone": tones.get(key)}
                for key, _t in queries.LISTS if key in shown]
