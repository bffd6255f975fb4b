"""DELETE @staff/<username>: take the agency's roles (all, or some) away from an account."""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import error
from dongthap.qlvb.restapi.staff.post import parse_roles
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class StaffDelete(Service):
    username = None

    def publishTraverse(self, request, name):
        self.username = name
        return self

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if not self.username:
            return error(self.request, 400, "BadRequest",
                         _("error_username_required", default="Please enter the account name."))
        data = body.json_object(self.request)
        if data is None:
            return body.bad_json(self.request)
        try:
            roles = parse_roles(data) or None
        except ValueError as unknown:
            return error(self.request, 400, "BadRequest",
                         _("error_unknown_role", default="Unknown role: ${roles}.",
                           mapping={"roles": str(unknown)}))
        member = [m for m in agencies.list_staff(agency=self.context) if m["username"] == self.username]
        if not member:
            return error(self.request, 404, "NotFound",
                         _("error_not_staff", default="${username} is not staff of this agency.",
                           mapping={"username": self.username}))
        agencies.unassign(agency=self.context, username=self.username, roles=roles)
        self.request.response.setStatus(204)
        return None
