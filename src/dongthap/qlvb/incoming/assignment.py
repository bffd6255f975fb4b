"""The assignment (phiếu giải quyết văn bản đến) and the access it grants.

An assignment is a list of entries stored on the document::

    {"id", "kind": "lead" | "coordinator" | "fyi", "user", "department",
     "deadline" (ISO date or None), "assigned_by", "assigned_at", "parent",
     "active", "ended_at", "ended_by"}

Leaders write the top-level entries (``parent`` None); a department head
holding a department entry re-assigns within it (entries whose ``parent`` is
his entry, same kind). Local roles on the document follow the *active*
entries while the document is ``assigned`` or ``in_progress`` and are
recomputed by :func:`sync_local_roles` after every change — so access appears
with the assignment and disappears when an entry ends or the document is
completed:

* every assignee: ``QlvbAssignee`` (view);
* lead and coordinators: ``QlvbHandler`` (start, record progress, re-assign
  within their department when they are its head);
* lead: ``QlvbLeadHandler`` (complete).
"""

from persistent.list import PersistentList

import secrets

ASSIGNEE = "QlvbAssignee"
HANDLER = "QlvbHandler"
LEAD_HANDLER = "QlvbLeadHandler"
OUR_ROLES = frozenset((ASSIGNEE, HANDLER, LEAD_HANDLER))
KINDS = ("lead", "coordinator", "fyi")
ROLES_OF_KIND = {
    "lead": (ASSIGNEE, HANDLER, LEAD_HANDLER),
    "coordinator": (ASSIGNEE, HANDLER),
    "fyi": (ASSIGNEE,),
}
OPEN_STATES = ("assigned", "in_progress")


def entries(doc):
    return list(getattr(doc, "qlvb_assignment", None) or ())


def active_entries(doc):
    return [e for e in entries(doc) if e.get("active")]


def new_entry_id():
    return secrets.token_hex(4)


def store(doc, all_entries):
    lst = getattr(doc, "qlvb_assignment", None)
    if lst is None:
        lst = doc.qlvb_assignment = PersistentList()
    lst[:] = [dict(e) for e in all_entries]


def wanted_roles(doc, state):
    wanted = {}
    if state in OPEN_STATES:
        for entry in active_entries(doc):
            wanted.setdefault(entry["user"], set()).update(ROLES_OF_KIND[entry["kind"]])
    return wanted


def sync_local_roles(doc, state=None):
    """Make the local roles of the document match its active entries."""
    if state is None:
        from plone import api

        state = api.content.get_state(doc)
    wanted = wanted_roles(doc, state)
    changed = False
    current = dict(doc.get_local_roles())
    for principal, roles in current.items():
        ours = set(roles) & OUR_ROLES
        if ours != wanted.get(principal, set()) and ours:
            others = [r for r in roles if r not in OUR_ROLES]
            doc.manage_delLocalRoles([principal])
            if others:
                doc.manage_setLocalRoles(principal, others)
            changed = True
    current = dict(doc.get_local_roles())
    for principal, roles in wanted.items():
        have = set(current.get(principal, ())) & OUR_ROLES
        if have != roles:
            doc.manage_addLocalRoles(principal, sorted(roles - have))
            changed = True
    if changed:
        doc.reindexObject(idxs=["allowedRolesAndUsers", "qlvb_incoming_assignees", "qlvb_deadline"])
    return changed


def assignees(doc):
    """User ids holding an active entry (indexed as ``qlvb_incoming_assignees``)."""
    return sorted({e["user"] for e in active_entries(doc)})
