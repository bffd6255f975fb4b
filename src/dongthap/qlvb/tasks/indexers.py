"""Catalog indexers of tasks (every name ``qlvb_…``, docs/naming.md)."""

from dongthap.qlvb.tasks.content import ITask
from plone.indexer import indexer


@indexer(ITask)
def qlvb_task_people(obj):
    """Who works on the task: the lead person (or the members group of the lead department) and
    the coordinators ("Công việc của tôi" asks with the user's id and groups)."""
    from dongthap.qlvb.agencies import departments as D
    from dongthap.qlvb.agencies.api import get_agency

    people = [obj.lead_user] if obj.lead_user else []
    if obj.lead_department:
        agency = get_agency(obj)
        dept = D.department(agency, obj.lead_department) if agency is not None else None
        gid = D.members_group_id(dept) if dept is not None else None
        if gid:
            people.append(gid)
    people.extend(obj.coordinators or ())
    return tuple(dict.fromkeys(p for p in people if p))


@indexer(ITask)
def qlvb_task_assigner(obj):
    return obj.assigner or None


@indexer(ITask)
def qlvb_task_deadline(obj):
    return obj.deadline


@indexer(ITask)
def qlvb_task_parent(obj):
    return obj.parent or None


@indexer(ITask)
def qlvb_task_completed_on(obj):
    """The day the lead reported the task done (Vietnam time); None while it is not."""
    return obj.completed_on or None


@indexer(ITask)
def qlvb_task_late(obj):
    """True/False once the task is done (``completed_on`` after the deadline); None before: the
    reports count on-time and late tasks from the catalog."""
    return obj.late if obj.completed_on else None


@indexer(ITask)
def qlvb_task_lead(obj):
    """Who leads the task (chủ trì), for the column of the lists: ``"user:<id>"`` or
    ``"department:<id>"``; the lists show the person's name or the department's title."""
    if obj.lead_user:
        return f"user:{obj.lead_user}"
    if obj.lead_department:
        return f"department:{obj.lead_department}"
    return None
