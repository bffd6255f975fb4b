"""Background export jobs: long report and register exports made by the worker (docs/reports.md).

A user asks for a file (``POST @export-jobs`` or "Xuất trong nền" on a report page); :func:`start`
checks the request as far as it can at once (known report or register, file format, period, the
user's right to see it) and stores a :class:`Job` in the site's job store (an ``OOBTree`` in a
site annotation, one persistent object per job, so two jobs never conflict). The worker
(``scripts/exchange_worker.py``, every round, :func:`run_pending`) *claims* a queued job by
changing its state to ``running`` and committing: when two worker rounds (two instances) claim
the same job, the second commit is a ``ConflictError`` and that round leaves the job alone —
each job is made exactly once. The job is then made **as its owner** (his rights of now), its
file stored as a blob; a refusal or a crash stores the error message in Vietnamese. Finished
jobs are removed after ``QLVB_EXPORT_JOB_RETENTION_HOURS`` (default 24); a job left ``running``
longer than ``QLVB_EXPORT_JOB_TIMEOUT_MINUTES`` (a worker that died) fails.
"""

from __future__ import annotations

from BTrees.OOBTree import OOBTree
from dongthap.qlvb.documents.validation import short
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import positive_int
from dongthap.qlvb.utils.settings import Setting
from dongthap.qlvb.utils.settings import SettingsGroup
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations
from zope.i18n import translate

import datetime as dt
import logging
import uuid

logger = logging.getLogger("dongthap.qlvb.reports.jobs")

KEY = "dongthap.qlvb.export_jobs"
KINDS = ("report", "register")
FILE_FORMATS = ("pdf", "xlsx")
STATES = ("queued", "running", "done", "failed")
#: how many jobs one worker round makes at most
PER_ROUND = 3


def _now():
    return dt.datetime.now(dt.UTC)


SETTINGS = SettingsGroup("Background exports", settings=(
    Setting("QLVB_EXPORT_JOB_RETENTION_HOURS", parse=positive_int, default=24,
            doc="Hours a finished background export (its file or its error) is kept; the worker "
                "removes older ones."),
    Setting("QLVB_EXPORT_JOB_TIMEOUT_MINUTES", parse=positive_int, default=60,
            doc="Minutes after which a background export still running (its worker died) is marked "
                "failed."),
))


def retention():
    return dt.timedelta(hours=int(SETTINGS.value("QLVB_EXPORT_JOB_RETENTION_HOURS")))


def timeout():
    return dt.timedelta(minutes=int(SETTINGS.value("QLVB_EXPORT_JOB_TIMEOUT_MINUTES")))


class Job(Persistent):
    """One export: who asked, what (``kind``, ``name``, ``params`` on the object at ``path``),
    its ``state``, ``progress`` (0–100), times, and the file or the error."""

    result = None
    filename = ""
    content_type = ""
    error = ""
    started = None
    finished = None
    claimed_by = ""

    def __init__(self, owner, kind, name, params, path, title=""):
        self.id = uuid.uuid4().hex
        self.owner = owner
        self.kind = kind
        self.name = name
        self.params = dict(params)
        self.path = path
        self.title = title
        self.state = "queued"
        self.progress = 0
        self.created = _now()

    @property
    def format(self):
        return self.params.get("format", "")


def store(create=False):
    annotations = IAnnotations(api.portal.get())
    jobs = annotations.get(KEY)
    if jobs is None and create:
        jobs = annotations[KEY] = OOBTree()
    return jobs if jobs is not None else OOBTree()


def current_userid():
    if api.user.is_anonymous():
        raise QlvbError(_("error_export_job_login", default="Log in to export in the background."),
                        status=401, error_type="Unauthorized")
    return api.user.get_current().getId()


# ---------------------------------------------------------------- asking


def _check(context, kind, name, params):
    """Refuse at once what the worker would refuse (QlvbError); returns the job's title."""
    if kind not in KINDS:
        raise QlvbError(_("error_export_job_kind", default="Unknown export ${value}: choose ${known}.",
                          mapping={"value": short(kind), "known": ", ".join(KINDS)}),
                        [{"field": "kind", "message": _("error_export_job_kind_field",
                                                        default="Unknown export.")}])
    if params.get("format") not in FILE_FORMATS:
        raise QlvbError(_("error_report_format", default="Unknown format ${value}: choose ${known}.",
                          mapping={"value": short(params.get("format")), "known": ", ".join(FILE_FORMATS)}),
                        [{"field": "format", "message": _("error_report_format_field",
                                                          default="Unknown format.")}])
    if kind == "register":
        from dongthap.qlvb.content.agency import IAgency
        from dongthap.qlvb.registers import service as registers

        if not IAgency.providedBy(context):
            raise QlvbError(_("error_export_job_agency", default="Registers are exported from an agency."),
                            status=404)
        provider = registers.choose(context, name, params)
        registers.format_of(provider, params, FILE_FORMATS)
        registers.period_of(params)
        return provider.register.title
    from dongthap.qlvb.reports import api as reports_api
    from dongthap.qlvb.reports import service as reports

    here = [item for item in reports.listing(context) if item["@id"].startswith(context.absolute_url() + "/")]
    kind = f"kind={params.get('kind') or 'incoming'}"
    items = {item["name"]: item for item in sorted(here, key=lambda item: kind in item["@id"])}
    if name not in reports.AGENCY_REPORTS + reports.SITE_REPORTS or name == "edoc-documents":
        raise QlvbError(_("error_unknown_report", default="There is no report ${name} here.",
                          mapping={"name": str(name)}), status=404)
    if name not in items:
        raise QlvbError(_("error_export_job_forbidden", default="You may not see this report here."),
                        status=403)
    if name != "dashboard":
        reports_api.period(params, default="year" if name == "processing" else None)
    return translate(items[name]["title"], target_language="vi")


def start(context, kind, name, params):
    """Queue an export of ``kind`` (report|register) ``name`` with ``params`` on ``context``."""
    owner = current_userid()
    params = {str(k): str(v) for k, v in (params or {}).items()
              if isinstance(v, (str, int)) and k != "background"}
    title = _check(context, kind, name, params)
    job = Job(owner, kind, name, params, "/".join(context.getPhysicalPath()), title)
    store(create=True)[job.id] = job
    return job


def mine(userid=None):
    userid = userid or current_userid()
    jobs = [job for job in store().values() if job.owner == userid]
    return sorted(jobs, key=lambda job: job.created, reverse=True)


def get(job_id, *, for_download=False):
    """The job ``job_id`` of the current user: 401 anonymous, 404 unknown, 403 someone else's."""
    userid = current_userid()
    job = store().get(job_id) if isinstance(job_id, str) else None
    if job is None:
        raise QlvbError(_("error_export_job_unknown", default="There is no such export."), status=404)
    if job.owner != userid:
        raise QlvbError(_("error_export_job_not_yours", default="This export belongs to someone else."),
                        status=403)
    if for_download and job.state != "done":
        raise QlvbError(_("error_export_job_not_done", default="The file is not ready yet."), status=409)
    return job


def remove(job_id):
    job = get(job_id)
    del store()[job.id]


# ---------------------------------------------------------------- the worker


def claim(job, worker="", txn=None):
    """Take ``job`` for this round: ``running``, committed. False when another round took it first
    (state already changed, or a conflicting commit)."""
    import transaction
    from ZODB.POSException import ConflictError

    txn = txn or transaction.manager
    if job.state != "queued":
        return False
    job.state = "running"
    job.progress = 5
    job.started = _now()
    job.claimed_by = worker or uuid.uuid4().hex
    try:
        txn.commit()
    except ConflictError:
        txn.abort()
        logger.info("export job %s was claimed by another round", job.id)
        return False
    return True


def _render(job, site):
    """The ``Download`` of ``job``, made with the owner's rights."""
    context = site.unrestrictedTraverse(job.path, None)
    if context is None:
        raise QlvbError(_("error_export_job_gone", default="The agency of this export no longer exists."),
                        status=404)
    user = api.user.get(userid=job.owner)
    if user is None:
        raise QlvbError(_("error_export_job_owner_gone", default="The account that asked for this export "
                                                                "no longer exists."), status=403)
    with api.env.adopt_user(user=user):
        context = site.restrictedTraverse(job.path)
        if job.kind == "register":
            from dongthap.qlvb.registers import service as registers

            return registers.answer(context, job.name, dict(job.params), None, offered=FILE_FORMATS)
        from dongthap.qlvb.reports import service as reports

        return reports.answer(context, job.name, dict(job.params))


def _message(problem):
    if isinstance(problem, QlvbError):
        return translate(problem.message, target_language="vi")
    return translate(_("error_export_job_crashed",
                       default="The file could not be made because of an error in the system; "
                               "ask again or tell the administrator."), target_language="vi")


def process(job, site, worker=""):
    """Claim and make ``job`` (own transactions). True when this round made it."""
    import transaction
    from ZODB.POSException import ConflictError

    from plone.namedfile.file import NamedBlobFile

    if not claim(job, worker):
        return False
    try:
        result = _render(job, site)
        job.progress = 90
        job.result = NamedBlobFile(data=result.data, contentType=result.content_type,
                                   filename=result.filename)
        job.filename = result.filename
        job.content_type = result.content_type
        job.state = "done"
        job.progress = 100
    except ConflictError:
        raise
    except Exception as problem:  # noqa: BLE001 - any failure is the job's, shown to its owner
        transaction.abort()
        if not isinstance(problem, QlvbError):
            logger.exception("export job %s failed", job.id)
        job.state = "failed"
        job.error = _message(problem)
    job.finished = _now()
    transaction.commit()
    return True


def cleanup(site=None):
    """Remove finished jobs older than :func:`retention`; fail jobs running past :func:`timeout`.
    The caller commits. Returns how many were removed."""
    jobs = store()
    now = _now()
    removed = 0
    for job_id, job in list(jobs.items()):
        if job.state in ("done", "failed") and job.finished and now - job.finished > retention():
            del jobs[job_id]
            removed += 1
        elif job.state == "running" and job.started and now - job.started > timeout():
            job.state = "failed"
            job.finished = now
            job.error = translate(_("error_export_job_timeout",
                                    default="The export took too long and was stopped; ask again."),
                                  target_language="vi")
    return removed


def run_pending(site, *, limit=PER_ROUND, worker=""):
    """One worker round: clean up, then make up to ``limit`` queued jobs, oldest first."""
    import transaction
    from ZODB.POSException import ConflictError

    try:
        removed = cleanup(site)
        transaction.commit()
    except ConflictError:
        transaction.abort()
        removed = 0
    queued = sorted((job for job in store().values() if job.state == "queued"), key=lambda j: j.created)
    made = 0
    for job in queued:
        if made >= limit:
            break
        try:
            if process(job, site, worker):
                made += 1
        except ConflictError:
            transaction.abort()
    return {"made": made, "removed": removed}


def as_json(job, request=None):
    base = f"{api.portal.get().absolute_url()}/@export-jobs/{job.id}"
    page = f"{api.portal.get().absolute_url()}/@@tep-xuat-cua-toi"
    out = {"@id": base, "id": job.id, "kind": job.kind, "name": job.name, "title": job.title,
           "params": dict(job.params), "format": job.format, "state": job.state,
           "progress": job.progress, "created": job.created.isoformat(),
           "finished": job.finished.isoformat() if job.finished else None,
           "error": job.error or None, "download": None, "page": page}
    if job.state == "done":
        out["download"] = f"{base}/download"
        out["filename"] = job.filename
    return out
