"""Tasks on the desk: "Công việc của tôi", "Công việc quá hạn" (red), "Công việc tôi giao"."""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.i18n import _
from dongthap.qlvb.tasks import api as tasks
from plone import api
from zope.component import adapter
from zope.interface import implementer

TITLES = {
    "mine": _("desk_tasks_mine", default="My tasks"),
    "overdue": _("desk_tasks_overdue", default="Overdue tasks"),
    "assigned": _("desk_tasks_assigned", default="Tasks I gave"),
}


@implementer(IDeskSection)
@adapter(IAgency)
class TasksSection:
    order = 27  # after the copies (25), before the dossiers (30)
    title = _("heading_tasks", default="Tasks")

    def __init__(self, agency):
        self.agency = agency

    def items(self, userid, roles):
        if not api.user.has_permission(tasks.VIEW_TASKS_PERMISSION, obj=self.agency):
            return []
        base = f"{self.agency.absolute_url()}/@@cong-viec?list="
        counts = {"mine": len(tasks.query(self.agency, "mine")),
                  "overdue": len(tasks.overdue_for(self.agency, set(roles)))}
        keys = ["mine", "overdue"]
        if api.user.has_permission(tasks.ADD_PERMISSION, obj=self.agency):
            counts["assigned"] = len([b for b in tasks.query(self.agency, "assigned")
                                      if b.review_state in tasks.OPEN_STATES])
            keys.append("assigned")
        return [{"key": f"tasks_{key}", "title": TITLES[key], "count": counts[key], "url": base + key,
                 "tone": "danger" if key == "overdue" and counts[key] else None} for key in keys]
