"""REST ``@delegations`` (agency): the delegations (ủy quyền) of the current user.

* ``GET <agency>/@delegations``: ``{"given", "received", "may_delegate", "waiting"}``
* ``POST <agency>/@delegations`` ``{"delegate", "start", "end" (dd/mm/yyyy or ISO), "scope"
  ("sign"|"assign"|"both"), "authority" ("KT"|"TL"|"TUQ"), "reason", "delegator_position",
  "delegate_position"}`` → 201 with the delegation (a leader delegates his own rights)
* ``DELETE <agency>/@delegations/<id>`` (optional body ``{"reason"}``): revoke → the delegation
"""

from __future__ import annotations

from dongthap.qlvb.delegation import api as D
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import run_in_transaction
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.traverse import PathSegments
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


def _not_found():
    return QlvbError(_("error_not_found", default="Not found."), status=404)


class DelegationsGet(PathSegments, Service):
    @guarded
    def reply(self):
        if self.segments:
            found = D.get(self.context, self.segments[0]) if len(self.segments) == 1 else None
            if found is None or D.actor() not in (found["delegator"], found["delegate"]):
                raise _not_found()
            return D.info(found)
        return dict(D.listing(self.context), waiting=D.waiting_work(self.context))


class DelegationsPost(PathSegments, Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if self.segments:
            raise _not_found()
        data = body.json_object(self.request)
        result = run_in_transaction(lambda: D.create(self.context, data), note="qlvb: delegation")
        self.request.response.setStatus(201)
        return result


class DelegationsDelete(PathSegments, Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if len(self.segments) != 1:
            raise _not_found()
        data = body.json_object(self.request, fields=("reason",))
        reason = data.get("reason") or ""
        if not isinstance(reason, str):
            raise QlvbError(_("error_delegation_invalid",
                              default="The delegation was not saved: please correct the errors."),
                            [{"field": "reason",
                              "message": _("error_delegation_text", default="Enter a text.")}])
        return run_in_transaction(lambda: D.revoke(self.context, self.segments[0], reason),
                                  note="qlvb: revoke delegation")
