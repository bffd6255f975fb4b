"""``@export-jobs``: background exports of reports and registers (:mod:`.jobs`, docs/reports.md).

``POST <site or agency>/@export-jobs``            start one: ``{"kind": "report"|"register",
                                                  "name": …, "params": {"format": "xlsx", …}}``
                                                  → 201 and the job
``GET  <site or agency>/@export-jobs``            the current user's jobs (newest first)
``GET  …/@export-jobs/<id>``                      one job: state, progress, error, download link
``GET  …/@export-jobs/<id>/download``             its file (only its owner; 409 until done)
``DELETE …/@export-jobs/<id>``                    forget it (only its owner)

Anonymous: 401; somebody else's job: 403; unknown: 404.
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.service import Download
from dongthap.qlvb.registers.service import DownloadOrJsonGet
from dongthap.qlvb.reports import jobs
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.traverse import PathSegments
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

import json


def download_of(job):
    blob = job.result
    with blob.open() as handle:
        data = handle.read()
    return Download(data, job.content_type, job.filename)


class JobsGet(DownloadOrJsonGet):
    ensure_ascii = False
    separators = (",", ": ")

    @guarded
    def reply(self):
        if not self.segments:
            items = [jobs.as_json(job) for job in jobs.mine()]
            return {"@id": f"{self.context.absolute_url()}/@export-jobs", "items": items,
                    "items_total": len(items)}
        if len(self.segments) == 2 and self.segments[1] == "download":
            return download_of(jobs.get(self.segments[0], for_download=True))
        if len(self.segments) > 1:
            raise QlvbError(_("error_export_job_unknown", default="There is no such export."), status=404)
        return jobs.as_json(jobs.get(self.segments[0]))


class JobsPost(Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            body = json.loads(self.request.get("BODY") or b"{}")
        except ValueError:
            body = None
        if not isinstance(body, dict) or not isinstance(body.get("params", {}), dict):
            raise QlvbError(_("error_export_job_body",
                              default='Send {"kind": …, "name": …, "params": {"format": …}} as JSON.'))
        job = jobs.start(self.context, body.get("kind"), body.get("name"), body.get("params") or {})
        self.request.response.setStatus(201)
        return jobs.as_json(job)


class JobsDelete(PathSegments, Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if len(self.segments) != 1:
            raise QlvbError(_("error_export_job_unknown", default="There is no such export."), status=404)
        jobs.remove(self.segments[0])
        self.request.response.setStatus(204)
        return None
