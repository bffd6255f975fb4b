"""Agencies, their groups and their staff — the small API everything else uses.

Each agency owns one group per role (``qlvb-<agency code>-<role key>``). The
group holds the role as a *local* role on the agency folder only, and the
agency blocks local-role acquisition, so membership never leaks into parent or
sub-agencies. The group ids are stored on the agency when it is created, so
that renaming or re-coding an agency later keeps its staff.

Functions take keyword arguments in the style of ``plone.api``; they do not
check permissions themselves — callers (views, services) do, with
:func:`can_manage_staff`.
"""

from Acquisition import aq_chain
from Acquisition import aq_inner
from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.security import roles as R
from persistent.mapping import PersistentMapping
from plone import api
from Products.CMFCore.utils import getToolByName

import logging

logger = logging.getLogger("dongthap.qlvb.agencies")

GROUPS_ATTR = "_qlvb_groups"

#: Every group of ours starts with this; no account may (case-insensitive), so that a
#: local or global role granted to a group id never reaches an account of the same id.
GROUP_PREFIX = "qlvb-"

#: The pattern of allowed account ids given to Plone's registration tool (used by
#: ``api.user.create``, ``@users``, the registration and "add user" forms): Plone's own
#: pattern, minus the group prefix.
MEMBER_ID_PATTERN = r"^(?![Qq][Ll][Vv][Bb]-)\w[\w.\-@+]+\w$"

# Vietnamese group titles are data (shown in Plone's user and group control panel).
GROUP_TITLE_PREFIX = {
    R.CLERK: "Văn thư",
    R.LEADER: "Lãnh đạo",
    R.DEPARTMENT_HEAD: "Lãnh đạo phòng",
    R.SPECIALIST: "Chuyên viên",
    R.RECORDS_MANAGER: "Lưu trữ viên",
    R.AGENCY_ADMIN: "Quản trị đơn vị",
    R.SECURITY_OFFICER: "An toàn thông tin",
}


#: A staff operation that cannot be done: the one error type (see ``docs/errors.md``).
StaffError = QlvbError


def is_reserved_id(name):
    """Whether ``name`` looks like one of our group ids (no account may be named so)."""
    return str(name or "").lower().startswith(GROUP_PREFIX)


def check_new_username(username):
    """Refuse an account name in the groups' name space (:class:`StaffError`)."""
    from dongthap.qlvb.i18n import _

    if is_reserved_id(username):
        raise StaffError(
            _("error_username_reserved",
              default="Account names starting with \"${prefix}\" are reserved for the system's groups.",
              mapping={"prefix": GROUP_PREFIX})
        )


def reserve_group_prefix(portal=None):
    """Make Plone's registration tool refuse account ids starting with the group prefix."""
    portal = portal or api.portal.get()
    registration = getToolByName(portal, "portal_registration")
    if getattr(registration, "member_id_pattern", "") != MEMBER_ID_PATTERN:
        registration.manage_editIDPattern(MEMBER_ID_PATTERN)


def free_group_id(base):
    """``base``, or ``base-2``, ``base-3``… : an id that is neither a group nor an account.

    A local role granted to a group id would also reach an account of that id, so a
    group is never created under the id of an existing account.
    """
    acl_users = getToolByName(api.portal.get(), "acl_users")
    gid, n = base, 1
    while api.group.get(groupname=gid) is not None or acl_users.getUserById(gid) is not None:
        n += 1
        gid = f"{base}-{n}"
    return gid


def get_agency(context):
    """Return the agency that contains ``context`` (or is it), else None."""
    for obj in aq_chain(aq_inner(context)):
        if IAgency.providedBy(obj):
            return obj
    return None


def group_ids(agency):
    """Mapping role → group id of ``agency`` (empty before :func:`ensure_groups`)."""
    return dict(getattr(agency, GROUPS_ATTR, None) or {})


def group_id(agency, role):
    """The id of the group holding ``role`` in ``agency``."""
    return group_ids(agency).get(role)


def ensure_groups(agency):
    """Create the agency's groups and grant their local roles; idempotent."""
    mapping = getattr(agency, GROUPS_ATTR, None)
    if mapping is None:
        mapping = PersistentMapping()
        setattr(agency, GROUPS_ATTR, mapping)
    changed = False
    for role in R.AGENCY_ROLES:
        gid = mapping.get(role)
        if gid is None:
            gid = free_group_id(f"{GROUP_PREFIX}{agency.agency_code}-{R.ROLE_KEYS[role]}")
            mapping[role] = gid
            changed = True
        title = f"{GROUP_TITLE_PREFIX[role]} - {agency.title}"
        if api.group.get(groupname=gid) is None:
            if getToolByName(agency, "acl_users").getUserById(gid) is not None:
                # an account holds the id: never give it the role meant for the group
                gid = mapping[role] = free_group_id(gid)
            api.group.create(groupname=gid, title=title)
            changed = True
        local = dict(agency.get_local_roles()).get(gid, ())
        if role not in local:
            agency.manage_addLocalRoles(gid, [role])
            changed = True
    if changed:
        agency.reindexObjectSecurity()
    return dict(mapping)


def group_members(gid):
    """User ids in the group ``gid`` (empty when there is no such group)."""
    gtool = getToolByName(api.portal.get(), "portal_groups")
    group = gtool.getGroupById(gid)
    return set(group.getMemberIds()) if group is not None else set()


def list_staff(*, agency):
    """Staff of ``agency``: a list of dicts sorted by Vietnamese full name."""
    from dongthap.qlvb.agencies.departments import departments
    from dongthap.qlvb.agencies.departments import members
    from dongthap.qlvb.utils.sorting import vietnamese_sort_key

    by_user = {}
    depts = departments(agency)
    dept_members = {did: members(dept) for did, dept in depts.items()}
    for role, gid in group_ids(agency).items():
        for userid in group_members(gid):
            by_user.setdefault(userid, set()).add(role)
    staff = []
    for userid, user_roles in by_user.items():
        user = api.user.get(userid=userid)
        if user is None:
            continue
        staff.append(
            {
                "username": user.getUserName(),
                "userid": userid,
                "fullname": user.getProperty("fullname") or userid,
                "email": user.getProperty("email") or "",
                "roles": [r for r in R.AGENCY_ROLES if r in user_roles],
                "departments": [did for did in depts if userid in dept_members[did]],
                "department_titles": [depts[did].title for did in depts if userid in dept_members[did]],
            }
        )
    staff.sort(key=lambda s: vietnamese_sort_key(s["fullname"]))
    return staff


def _check_roles(roles):
    unknown = [r for r in roles if r not in R.AGENCY_ROLES]
    if unknown:
        from dongthap.qlvb.i18n import _

        raise StaffError(
            _("error_unknown_role", default="Unknown role: ${roles}.",
              mapping={"roles": ", ".join(unknown)})
        )


def may_move_staff():
    """Whether the current user manages staff province-wide (not one agency's admin).

    The provincial administrator, Manager and Site Administrator hold "Manage staff"
    on the site itself; an agency admin holds it on his agency only.
    """
    return api.user.has_permission(R.MANAGE_STAFF, obj=api.portal.get())


def check_grant(*, agency, user):
    """Refuse (:class:`StaffError`, 403) to give ``user`` roles of ``agency`` when the rules forbid it.

    * nobody gives himself roles (an agency admin his own agency's, the provincial
      administrator a clerk's in any agency);
    * an account holding the provincial administrator's global role gets no agency
      role: he runs the system and reads no documents (separation of duties);
    * an account that holds roles in another agency is that agency's member of staff:
      pulling it into this agency is moving people between agencies, the provincial
      administrator's act — an agency admin cannot.
    """
    from dongthap.qlvb.i18n import _

    if is_reserved_id(user.getId()) or is_reserved_id(user.getUserName()):
        check_new_username(user.getUserName() if is_reserved_id(user.getUserName()) else user.getId())
    actor = api.user.get_current()
    if actor is not None and actor.getId() == user.getId():
        raise StaffError(_("error_grant_self", default="You cannot give roles to your own account."),
                         status=403)
    if R.PROVINCE_ADMIN in api.user.get_roles(user=user):
        raise StaffError(
            _("error_grant_province_admin",
              default="${username} is a provincial administrator and gets no role in an agency.",
              mapping={"username": user.getUserName()}), status=403)
    if may_move_staff():
        return
    others = [a for a in agencies_of(username=user.getUserName())
              if a.UID() != agency.UID()]
    if others:
        raise StaffError(
            _("error_grant_other_agency",
              default="${username} is staff of ${agency}; only the provincial administrator "
                      "moves people between agencies.",
              mapping={"username": user.getUserName(), "agency": others[0].title}), status=403)


def assign(*, agency, username, roles, departments=None):
    """Give ``username`` the ``roles`` in ``agency`` (adds them to its groups).

    ``departments``: when given, the ids of the agency's departments the person
    belongs to from now on (see :mod:`dongthap.qlvb.agencies.departments`).
    The rules of :func:`check_grant` apply to the current user.
    """
    from dongthap.qlvb.agencies.departments import check_departments
    from dongthap.qlvb.agencies.departments import set_departments
    from dongthap.qlvb.i18n import _

    _check_roles(roles)
    if departments is not None:
        departments = check_departments(agency, departments)
    user = api.user.get(username=username)
    if user is None:
        raise StaffError(
            _("error_no_such_user", default="There is no account named ${username}.",
              mapping={"username": username})
        )
    check_grant(agency=agency, user=user)
    ensure_groups(agency)
    gtool = getToolByName(api.portal.get(), "portal_groups")
    for role in roles:
        gtool.addPrincipalToGroup(user.getId(), group_id(agency, role))
    if departments is not None:
        set_departments(agency=agency, username=username, department_ids=departments)
    actor = api.user.get_current()
    logger.info("staff %s given roles %s in %s by %s", username, roles, agency.agency_code,
                actor.getId() if actor is not None else None)


def unassign(*, agency, username, roles=None):
    """Take ``roles`` (all the agency's roles by default) away from ``username``."""
    roles = list(roles) if roles is not None else list(R.AGENCY_ROLES)
    _check_roles(roles)
    user = api.user.get(username=username)
    if user is None:
        return
    gtool = getToolByName(api.portal.get(), "portal_groups")
    for role in roles:
        gid = group_id(agency, role)
        if gid and user.getId() in group_members(gid):
            gtool.removePrincipalFromGroup(user.getId(), gid)
    if not any(user.getId() in group_members(gid) for gid in group_ids(agency).values()):
        from dongthap.qlvb.agencies.departments import set_departments

        set_departments(agency=agency, username=username, department_ids=[])
    logger.info("staff %s lost roles %s in %s", username, roles, agency.agency_code)


def create_user(*, agency, username, fullname, email, password, roles, departments=None):
    """Create an account for a member of ``agency`` and give it ``roles`` (and ``departments``)."""
    from dongthap.qlvb.agencies.departments import check_departments
    from dongthap.qlvb.i18n import _

    _check_roles(roles)
    check_new_username(username)
    if departments is not None:
        check_departments(agency, departments)
    if api.user.get(username=username) is not None:
        raise StaffError(
            _("error_user_exists", default="The account ${username} already exists.",
              mapping={"username": username})
        )
    from dongthap.qlvb.accounts import api as accounts

    accounts.check_password(password)
    api.user.create(
        username=username,
        email=email,
        password=password,
        properties={"fullname": fullname, "language": "vi"},
    )
    accounts.record_password(username, password)
    assign(agency=agency, username=username, roles=roles, departments=departments)


def agencies_of(*, username):
    """The agencies where ``username`` holds at least one role."""
    user = api.user.get(username=username)
    if user is None:
        return []
    groups = set(user.getGroups())
    result = []
    for brain in api.content.find(portal_type="Agency", unrestricted=True):
        agency = brain._unrestrictedGetObject()
        if groups & set(group_ids(agency).values()):
            result.append(agency)
    return result


def can_manage_staff(agency):
    """Whether the current user may manage the staff of ``agency``."""
    return api.user.has_permission(R.MANAGE_STAFF, obj=agency)
