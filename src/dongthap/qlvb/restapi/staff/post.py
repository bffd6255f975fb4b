"""POST @staff: give roles (and departments) of the agency to an account, or create the account.

Body: ``{"username", "roles": [keys], "departments": [ids]?, "create"?: true, "fullname",
"email", "password"}``; ``?dry_run=1`` answers what would change (``audit/confirm.py``).
``departments``, when present, replaces the person's
departments in this agency; an existing member of staff may be sent
``departments`` alone to move them between departments.
"""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.agencies import departments as agencies_departments
from dongthap.qlvb.audit import confirm
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.staff.get import serialize_staff
from dongthap.qlvb.security import roles as R
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


def parse_roles(data):
    """Role ids from the role keys of a request body; unknown keys are refused (400)."""
    keys = data.get("roles") or []
    if not isinstance(keys, list):
        keys = [keys]
    unknown = [k for k in keys if k not in R.ROLES_BY_KEY]
    if unknown:
        raise QlvbError(_("error_unknown_role", default="Unknown role: ${roles}.",
                          mapping={"roles": ", ".join(map(str, unknown))}))
    return [R.ROLES_BY_KEY[k] for k in keys]


def username_required(username):
    """``username`` when given; refused (400) when empty."""
    if not username:
        raise QlvbError(_("error_username_required", default="Please enter the account name."))
    return username


class StaffPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, empty_ok=False)
        username = username_required((data.get("username") or "").strip())
        roles = parse_roles(data)
        departments = data.get("departments")
        if departments is not None and not isinstance(departments, list):
            departments = [departments]
        if not roles and departments is not None and not data.get("create"):
            agencies_departments.set_departments(agency=self.context, username=username,
                                                 department_ids=departments)
            return serialize_staff(self.context, self.request)
        if not roles:
            raise QlvbError(_("error_roles_required", default="Please choose at least one role."))
        changes = confirm.staff_changes(self.context, username, roles)
        if confirm.wants_dry_run(self.request, data):
            return confirm.describe(self.context, changes, self.request)
        confirm.check_confirmation(self.context, changes, data)
        try:
            if data.get("create"):
                agencies.create_user(
                    agency=self.context,
                    username=username,
                    fullname=(data.get("fullname") or "").strip() or username,
                    email=(data.get("email") or "").strip(),
                    password=data.get("password") or "",
                    roles=roles,
                    departments=departments,
                )
                self.request.response.setStatus(201)
            else:
                agencies.assign(agency=self.context, username=username, roles=roles,
                                departments=departments)
        except ValueError as problem:  # Plone's password policy and the like
            raise QlvbError(str(problem)) from problem
        return serialize_staff(self.context, self.request)
