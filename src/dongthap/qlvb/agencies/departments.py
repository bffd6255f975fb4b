"""Who belongs to which department (phòng, ban) of an agency.

Each department owns one *members* group (``qlvb-<agency code>-phong-<id>``),
created with the department and stored on it, so that renaming the department
keeps its members. The group grants no role: the roles stay on the agency
(see :mod:`dongthap.qlvb.agencies.api`). Membership narrows what a role may
do inside the agency:

* a department head re-assigns an incoming document only to members of the
  department the leader gave it to;
* the leader gives a document to a department through a head *of that
  department*;
* the first review level of an outgoing draft is taken by a head of the
  drafting department.

A person may belong to several departments of one agency (kiêm nhiệm).
Functions take keyword arguments like ``plone.api`` and do not check
permissions; callers do (``agencies.api.can_manage_staff``).
"""

from dongthap.qlvb.agencies.api import free_group_id
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.agencies.api import GROUP_PREFIX
from dongthap.qlvb.agencies.api import group_ids
from dongthap.qlvb.agencies.api import group_members
from dongthap.qlvb.agencies.api import StaffError
from plone import api
from Products.CMFCore.utils import getToolByName

import logging

logger = logging.getLogger("dongthap.qlvb.agencies")

MEMBERS_ATTR = "_qlvb_members_group"


def departments(agency):
    """The departments of ``agency`` in their folder order (id → object)."""
    return {obj.getId(): obj for obj in agency.objectValues() if obj.portal_type == "Department"}


def department(agency, department_id):
    """The department ``department_id`` of ``agency``, or None (no need to load the others)."""
    obj = agency.get(department_id) if department_id else None
    return obj if obj is not None and obj.portal_type == "Department" else None


def members_group_id(department):
    """The id of the members group of ``department`` (None before it exists)."""
    return getattr(department, MEMBERS_ATTR, None)


def ensure_members_group(department):
    """Create the members group of ``department``; idempotent. Returns its id."""
    gid = members_group_id(department)
    agency = get_agency(department)
    if gid is None:
        gid = free_group_id(f"{GROUP_PREFIX}{agency.agency_code}-phong-{department.getId()}")
        setattr(department, MEMBERS_ATTR, gid)
    if api.group.get(groupname=gid) is None:
        api.group.create(groupname=gid, title=f"{department.title} - {agency.title}")
    return gid


def _gtool():
    return getToolByName(api.portal.get(), "portal_groups")


def members(department):
    """User ids of the members of ``department``."""
    gid = members_group_id(department)
    return group_members(gid) if gid else set()


def is_member(department, userid):
    return bool(userid) and userid in members(department)


def departments_of(*, agency, userid):
    """Ids of the departments of ``agency`` that ``userid`` belongs to (folder order)."""
    if not userid:
        return []
    user = api.user.get(userid=userid)
    if user is None:
        return []
    groups = set(user.getGroups())
    return [did for did, dept in departments(agency).items() if members_group_id(dept) in groups]


def check_departments(agency, ids):
    """The department ids as a list; unknown ids raise :class:`StaffError`."""
    from dongthap.qlvb.i18n import _

    if isinstance(ids, str):
        ids = [ids]
    ids = [i for i in (ids or []) if i]
    known = departments(agency)
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise StaffError(_("error_unknown_department", default="Unknown department: ${value}.",
                           mapping={"value": ", ".join(map(str, unknown))}))
    return list(dict.fromkeys(ids))


def set_departments(*, agency, username, department_ids):
    """Make ``username`` a member of exactly ``department_ids`` of ``agency``."""
    from dongthap.qlvb.i18n import _

    wanted = check_departments(agency, department_ids)
    user = api.user.get(username=username) or api.user.get(userid=username)
    if user is None:
        raise StaffError(_("error_no_such_user", default="There is no account named ${username}.",
                           mapping={"username": username}))
    userid = user.getId()
    if wanted and not set(user.getGroups()) & set(group_ids(agency).values()):
        raise StaffError(_("error_not_staff", default="${username} is not staff of this agency.",
                           mapping={"username": username}))
    gtool = _gtool()
    for did, dept in departments(agency).items():
        gid = ensure_members_group(dept)
        member = userid in members(dept)
        if did in wanted and not member:
            gtool.addPrincipalToGroup(userid, gid)
        elif did not in wanted and member:
            gtool.removePrincipalFromGroup(userid, gid)
    logger.info("staff %s now in departments %s of %s", username, wanted, agency.agency_code)
    return wanted


def department_added(department, event):
    """A new department gets its members group at once."""
    if get_agency(department) is not None:
        ensure_members_group(department)


def department_removed(department, event):
    """A deleted department takes its members group with it (not on a move or rename)."""
    if getattr(event, "newParent", None) is not None:
        return
    gid = members_group_id(department)
    if gid and api.group.get(groupname=gid) is not None:
        api.group.delete(groupname=gid)
