"""Who takes a review level of an outgoing draft.

The ``leader`` level is taken by any leader of the agency. The
``department_head`` level belongs to the heads *of the department that
drafted the document*: its ``drafting_department`` when set, otherwise the
departments the drafter belongs to. These departments are copied onto the
document at ``submit`` (``qlvb_review_departments``), like the levels, so a
later change of staff does not move a draft already under review. A draft
without any department (an agency without departments, a drafter in none,
a department without a head among its members) can be reviewed by every
department head of the agency.

The catalog index ``qlvb_outgoing_review_role`` holds the keys of whoever the
draft waits for: ``QlvbLeader``, ``QlvbDepartmentHead`` (any head) or
``QlvbDepartmentHead:<department id>``; :func:`review_keys` gives the keys a
person may take, for the "waiting for my review" list.
"""

from dongthap.qlvb.agencies import departments as D
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.agencies.api import group_id
from dongthap.qlvb.agencies.api import group_members
from dongthap.qlvb.outgoing import settings
from dongthap.qlvb.security import roles as R

ATTR = "qlvb_review_departments"


def drafting_departments(doc):
    """The departments whose heads review ``doc`` at the department level (computed now).

    Departments without any head among their members are left out, so that a
    draft never waits for nobody: with none left, every head reviews it.
    """
    agency = get_agency(doc)
    if agency is None:
        return []
    if D.department(agency, doc.drafting_department) is not None:
        wanted = [doc.drafting_department]
    else:
        creators = doc.listCreators()
        wanted = D.departments_of(agency=agency, userid=creators[0]) if creators else []
    heads = group_members(group_id(agency, R.DEPARTMENT_HEAD))
    return [d for d in wanted if D.members(D.department(agency, d)) & heads]


def _stored(doc):
    """The review departments copied at submit that still exist, as objects (empty: any head)."""
    agency = get_agency(doc)
    wanted = list(getattr(doc, ATTR, None) or ())
    if not wanted or agency is None:
        return []
    return [dept for dept in (D.department(agency, d) for d in wanted) if dept is not None]


def stored_departments(doc):
    """Ids of :func:`_stored`."""
    return [dept.getId() for dept in _stored(doc)]


def level_keys(doc, level):
    """Index keys of the people who take ``level`` of ``doc``."""
    role = settings.LEVEL_ROLES[level]
    if level != "department_head":
        return [role]
    depts = stored_departments(doc)
    return [f"{role}:{d}" for d in depts] if depts else [role]


def may_take(doc, level, roles, userid):
    """Whether a user with ``roles`` (on the document) takes ``level`` of ``doc``."""
    if settings.LEVEL_ROLES[level] not in roles:
        return False
    if level != "department_head":
        return True
    depts = _stored(doc)
    return not depts or any(D.is_member(dept, userid) for dept in depts)


def review_keys(agency, roles, userid):
    """Index keys of the drafts ``userid`` (holding ``roles`` in ``agency``) may review."""
    keys = []
    admin = bool(roles & {"Manager", "Site Administrator"})
    if R.LEADER in roles or admin:
        keys.append(R.LEADER)
    if R.DEPARTMENT_HEAD in roles or admin:
        keys.append(R.DEPARTMENT_HEAD)
        if admin:
            keys += [f"{R.DEPARTMENT_HEAD}:{d}" for d in D.departments(agency)]
        else:
            keys += [f"{R.DEPARTMENT_HEAD}:{d}" for d in D.departments_of(agency=agency, userid=userid)]
    return keys
