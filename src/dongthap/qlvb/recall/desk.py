"""On the desk: recalled copies waiting for the clerk to destroy them (an ``IDeskSection``)."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.i18n import _
from dongthap.qlvb.recall import api as recall_api
from plone import api
from zope.component import adapter
from zope.interface import implementer


@implementer(IDeskSection)
@adapter(IAgency)
class RecallSection:
    order = 15
    title = _("heading_recall_desk", default="Recalled documents")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles):
        if not api.user.has_permission(recall_api.DESTROY_PERMISSION, obj=self.agency):
            return []
        count = len(recall_api.pending(self.agency))
        if not count:
            return []
        return [{"key": "recall_pending", "count": count, "tone": "danger",
                 "title": _("desk_recall_pending", default="Recalled, waiting to be destroyed"),
                 "url": f"{self.agency.absolute_url()}/@@van-ban-da-huy"}]
