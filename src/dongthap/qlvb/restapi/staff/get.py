"""GET @staff: the staff of an agency with their roles."""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.agencies.departments import departments
from dongthap.qlvb.security import roles as R
from plone.restapi.services import Service
from zope.i18n import translate


def serialize_staff(context, request):
    return {
        "@id": f"{context.absolute_url()}/@staff",
        "agency_code": context.agency_code,
        "roles": [
            {"key": R.ROLE_KEYS[r], "title": translate(R.ROLE_TITLES[r], context=request)}
            for r in R.AGENCY_ROLES
        ],
        "departments": [{"id": did, "title": dept.title, "abbreviation": dept.abbreviation}
                        for did, dept in departments(context).items()],
        "items": [
            {
                "username": m["username"],
                "fullname": m["fullname"],
                "email": m["email"],
                "roles": [R.ROLE_KEYS[r] for r in m["roles"]],
                "departments": m["departments"],
            }
            for m in agencies.list_staff(agency=context)
        ],
    }


class StaffGet(Service):
    def reply(self):
        return serialize_staff(self.context, self.request)
