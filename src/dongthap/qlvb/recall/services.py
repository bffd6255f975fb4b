"""REST of the recall's destruction.

``POST /<received copy>/@recall-destroy``   the clerk destroys the recalled copy → the destruction record
``POST /<received copy>/@recall-refuse``    the clerk refuses the recall (``{"reason"}``) → the refusal record
``GET  /<agency>/@destruction-records``     the agency's destruction records (as recipient and as sender)
"""

from dongthap.qlvb.recall import api as recall_api
from dongthap.qlvb.restapi.errors import guarded
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.interface import alsoProvides


class DestroyPost(Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        record, _agency = recall_api.destroy_from_request(self.context)
        return json_compatible(record)


class RefusePost(Service):
    @guarded
    def reply(self):
        from dongthap.qlvb.restapi import body

        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("reason",))
        return json_compatible(recall_api.refuse_from_request(self.context, data.get("reason")))


class RecordsGet(Service):
    def reply(self):
        items = recall_api.records_of(self.context)
        side = self.request.form.get("side")
        if side in ("recipient", "sender"):
            items = [i for i in items if i.get("side") == side]
        return json_compatible({"@id": f"{self.context.absolute_url()}/@destruction-records",
                                "items": items, "items_total": len(items)})
