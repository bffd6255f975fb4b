"""The pages of the background exports (:mod:`.jobs`; Vietnamese names, docs/naming.md).

``@@tep-xuat-cua-toi``   "Tệp xuất của tôi": the user's exports, their progress and links
``@@xuat-trong-nen``     POST from a report or register page: queue an export, then go to the list
``@@tai-tep-xuat?id=``   the file of a finished export (only its owner)
"""

from AccessControl.unauthorized import Unauthorized
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.formatting import format_date
from dongthap.qlvb.registers.service import send
from dongthap.qlvb.reports import jobs
from dongthap.qlvb.reports.jobs_service import download_of
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.i18n import translate

from zoneinfo import ZoneInfo

STATE_LABELS = {
    "queued": _("export_job_queued", default="Waiting"),
    "running": _("export_job_running", default="Being made"),
    "done": _("export_job_done", default="Ready"),
    "failed": _("export_job_failed", default="Failed"),
}


def _refuse(problem):
    if problem.status in (401, 403):
        raise Unauthorized("export job") from None
    if problem.status == 404:
        raise NotFound("export job") from None
    raise problem


class MyExportsPage(BrowserView):
    """``@@tep-xuat-cua-toi``."""

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("export jobs")
        if self.running():  # the browser reloads the list while the worker makes the files
            self.request.response.setHeader("Refresh", "15")
        return self.index()

    def items(self):
        zone = ZoneInfo("Asia/Ho_Chi_Minh")
        portal = api.portal.get().absolute_url()
        out = []
        for job in jobs.mine():
            created = job.created.astimezone(zone)
            out.append({
                "id": job.id, "title": job.title, "format": job.format.upper(), "state": job.state,
                "state_label": translate(STATE_LABELS[job.state], context=self.request),
                "progress": job.progress, "error": job.error,
                "created": f"{format_date(created.date())} {created:%H:%M}",
                "period": " – ".join(v for v in (job.params.get("from"), job.params.get("to")) if v)
                          or job.params.get("year", ""),
                "download": f"{portal}/@@tai-tep-xuat?id={job.id}" if job.state == "done" else "",
            })
        return out

    def running(self):
        return any(job.state in ("queued", "running") for job in jobs.mine())


class StartExport(BrowserView):
    """``@@xuat-trong-nen`` (POST, with the form's authenticator)."""

    def __call__(self):
        if self.request.method != "POST":
            raise NotFound("xuat-trong-nen")
        CheckAuthenticator(self.request)
        form = {k: v for k, v in self.request.form.items() if k not in ("_authenticator", "kind", "name")}
        if form.get("register"):
            name = form.pop("register")
        else:
            name = self.request.form.get("name")
        try:
            jobs.start(self.context, self.request.form.get("kind") or "report", name, form)
        except QlvbError as problem:
            if problem.status in (401, 403, 404):
                _refuse(problem)
            api.portal.show_message(translate(problem.message, context=self.request), self.request,
                                    type="error")
        else:
            api.portal.show_message(translate(_("message_export_job_started",
                                                default="The file is being made in the background; "
                                                        "it will appear here when ready."),
                                              context=self.request), self.request)
        return self.request.response.redirect(f"{api.portal.get().absolute_url()}/@@tep-xuat-cua-toi")


class DownloadExport(BrowserView):
    """``@@tai-tep-xuat?id=<job>``."""

    def __call__(self):
        try:
            job = jobs.get(self.request.form.get("id"), for_download=True)
        except QlvbError as problem:
            if problem.status == 409:
                self.request.response.setStatus(409)
                self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
                return translate(problem.message, context=self.request)
            _refuse(problem)
        return send(self.request.response, download_of(job))
