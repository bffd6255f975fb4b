"""DELETE @staff/<username>: take the agency's roles (all, or some) away from an account."""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.audit import confirm
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.staff.post import parse_roles
from dongthap.qlvb.restapi.staff.post import username_required
from plone.protect.interfaces import IDisableCSRFProtection
from dongthap.qlvb.restapi.traverse import OneSegment
from plone.restapi.services import Service
from zope.interface import alsoProvides


class StaffDelete(OneSegment, Service):
    """``DELETE @staff/<username>``."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        username = username_required(self.segment)
        data = body.json_object(self.request)
        roles = parse_roles(data) or None
        member = [m for m in agencies.list_staff(agency=self.context) if m["username"] == username]
        if not member:
            raise QlvbError(_("error_not_staff", default="${username} is not staff of this agency.",
                              mapping={"username": username}), status=404)
        changes = confirm.staff_changes(self.context, username, roles, remove=True)
        if confirm.wants_dry_run(self.request, data):
            return confirm.describe(self.context, changes, self.request)
        confirm.check_confirmation(self.context, changes, data)
        agencies.unassign(agency=self.context, username=username, roles=roles)
        self.request.response.setStatus(204)
        return None
