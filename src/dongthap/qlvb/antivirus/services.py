"""REST services of the antivirus service.

``GET  /@av-incidents``           every incident (provincial admin, Manager)
``GET  /<agency>/@av-incidents``  the agency's incidents (its security officer)
    parameters ``b_start``, ``b_size`` (max 500); CSV/XLSX: ``@@su-co-attt?export=csv``.
``GET  /@av-status``              clamd reachability, version, signature DB
``POST /@av-status``              the scan test (EICAR built in memory)
"""

from __future__ import annotations

from dongthap.qlvb.antivirus import browser
from dongthap.qlvb.antivirus.incidents import FIELDS
from plone.restapi.services import Service


class IncidentsGet(Service):
    def reply(self):
        form = self.request.form
        try:
            start = max(0, int(form.get("b_start", 0)))
            size = min(500, max(1, int(form.get("b_size", 50))))
        except ValueError:
            start, size = 0, 50
        items = browser.incidents_for(self.context, limit=size, start=start)
        url = f"{self.context.absolute_url()}/@av-incidents"
        return {
            "@id": url,
            "items_total": browser.count_for(self.context),
            "fields": list(FIELDS),
            "items": [
                dict(item, kind_title=browser.kind_title(item["kind"], self.request))
                for item in items
            ],
        }


class StatusGet(Service):
    def reply(self):
        status = browser.clamd_status()
        status.pop("values", None)
        return dict(status, **{"@id": f"{self.context.absolute_url()}/@av-status"})


class ScanTestPost(Service):
    def reply(self):
        return browser.scan_test()
