"""The "Cán bộ" view: an agency admin assigns staff to the roles of their agency."""

from dongthap.qlvb.accounts import api as accounts
from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.agencies import departments as agency_departments
from dongthap.qlvb.i18n import _
from dongthap.qlvb.security import roles as R
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import Forbidden


class StaffView(BrowserView):
    """Shows the staff of the agency; POST actions change role memberships."""

    errors = ()
    preview = None  # the roles an "assign" would grant, shown for confirmation before anything changes

    def __call__(self):
        if self.request.method == "POST":
            self.handle_post()
        return self.index()

    # -- reading -----------------------------------------------------------
    def roles(self):
        return [
            {"id": role, "key": R.ROLE_KEYS[role], "title": R.ROLE_TITLES[role]}
            for role in R.AGENCY_ROLES
        ]

    def staff(self):
        return agencies.list_staff(agency=self.context)

    def departments(self):
        return [{"id": did, "title": dept.title}
                for did, dept in agency_departments.departments(self.context).items()]

    def role_title(self, role):
        return R.ROLE_TITLES.get(role, role)

    def can_manage(self):
        return agencies.can_manage_staff(self.context)

    # -- changing ------------------------------------------------------------
    def _selected_roles(self):
        keys = self.request.form.get("roles") or []
        if isinstance(keys, str):
            keys = [keys]
        return [R.ROLES_BY_KEY[k] for k in keys if k in R.ROLES_BY_KEY]

    def _selected_departments(self):
        ids = self.request.form.get("departments") or []
        return [ids] if isinstance(ids, str) else list(ids)

    def handle_post(self):
        CheckAuthenticator(self.request)
        if not self.can_manage():
            raise Forbidden("Manage staff")
        form = self.request.form
        action = form.get("action")
        username = (form.get("username") or "").strip()
        roles = self._selected_roles()
        departments = self._selected_departments()
        errors = []
        if not username:
            errors.append(_("error_username_required", default="Please enter the account name."))
        if action in ("assign", "create") and not roles:
            errors.append(_("error_roles_required", default="Please choose at least one role."))
        if action == "create":
            fullname = (form.get("fullname") or "").strip()
            email = (form.get("email") or "").strip()
            password = form.get("password") or ""
            if not fullname:
                errors.append(_("error_fullname_required", default="Please enter the full name."))
            if "@" not in email:
                errors.append(_("error_email_invalid", default="Please enter a valid e-mail address."))
            errors.extend(accounts.password_problems(password))
        if action == "unassign" and form.get("confirm") != "yes":
            errors.append(
                _("error_confirm_required", default="Please confirm that the roles are to be removed.")
            )
        if errors:
            self.errors = errors
            return
        if action == "assign":
            from dongthap.qlvb.audit import confirm
            from dongthap.qlvb.errors import QlvbError

            changes = confirm.staff_changes(self.context, username, roles)
            if changes and form.get("confirm") != "yes":
                self.preview = dict(confirm.describe(self.context, changes, self.request), username=username,
                                    roles=[R.ROLE_KEYS[r] for r in roles], departments=departments)
                return
            try:
                confirm.check_confirmation(self.context, changes, {"confirmation": form.get("confirmation")})
            except QlvbError as problem:
                self.errors = [problem.message]
                return
        try:
            if action == "assign":
                agencies.assign(agency=self.context, username=username, roles=roles,
                                departments=departments or None)
                message = _("msg_staff_assigned", default="Roles given to ${username}.",
                            mapping={"username": username})
            elif action == "create":
                agencies.create_user(
                    agency=self.context, username=username, fullname=fullname,
                    email=email, password=password, roles=roles, departments=departments,
                )
                message = _("msg_staff_created", default="Account ${username} created.",
                            mapping={"username": username})
            elif action == "departments":
                agency_departments.set_departments(agency=self.context, username=username,
                                                   department_ids=departments)
                message = _("msg_staff_departments", default="Departments of ${username} saved.",
                            mapping={"username": username})
            elif action == "unassign":
                agencies.unassign(agency=self.context, username=username, roles=roles or None)
                message = _("msg_staff_unassigned", default="Roles of ${username} removed.",
                            mapping={"username": username})
            else:
                self.errors = [_("error_unknown_action", default="Unknown action.")]
                return
        except agencies.StaffError as error:
            self.errors = [error.message]
            return
        except ValueError as error:  # e.g. Plone's password policy
            self.errors = [str(error)]
            return
        api.portal.show_message(message=message, request=self.request, type="info")
        self.request.response.redirect(self.context.absolute_url() + "/@@can-bo")
