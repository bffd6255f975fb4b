"""Verifying every signed document again, in small batches, after the trust store changed.

An administrator who adds or removes a root certificate asks for a
re-verification ("Kiểm tra lại tất cả", control panel "Chữ ký số"). Doing
it in one request would hold one huge transaction for hours in an agency
with hundreds of thousands of documents, so :func:`request` only records a
*job* (the paths still to check, in a BTree set, on the site) and the
background worker (``scripts/exchange_worker.py``, every round) calls
:func:`run_batch`, which checks a few documents and commits. The control
panel shows the progress (:func:`status`). Asking again while a job runs
starts it over with the documents of now.
"""

from __future__ import annotations

import datetime as dt
import logging

from BTrees.OOBTree import OOTreeSet
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations

logger = logging.getLogger("dongthap.qlvb.signing")

KEY = "dongthap.qlvb.signing.reverify"
BATCH = 50


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def _job(create=False):
    annotations = IAnnotations(api.portal.get())
    job = annotations.get(KEY)
    if job is None and create:
        job = annotations[KEY] = PersistentMapping()
    return job


def request(*, userid: str = "") -> dict:
    """Queue every document with signatures for a new check; returns :func:`status`."""
    from .behaviors import ISignedDocumentMarker

    paths = OOTreeSet()
    for brain in api.content.find(object_provides=ISignedDocumentMarker.__identifier__,
                                  unrestricted=True):
        paths.insert(brain.getPath())
    job = _job(create=True)
    job.clear()
    job.update(requested_at=_now(), requested_by=userid, total=len(paths), done=0,
               failed=0, finished_at=None, pending=paths)
    logger.info("re-verification of %d documents requested by %s", len(paths), userid or "?")
    if not len(paths):
        job["finished_at"] = job["requested_at"]
    return status()


def run_batch(*, limit: int = BATCH) -> int:
    """Check up to ``limit`` queued documents; the caller commits. Returns how many."""
    from . import api as signing

    job = _job()
    if not job or job.get("finished_at") or not job.get("pending"):
        return 0
    pending = job["pending"]
    site = api.portal.get()
    count = 0
    while count < limit and len(pending):
        path = pending.minKey()
        pending.remove(path)
        count += 1
        obj = site.unrestrictedTraverse(path, None)
        if obj is None:  # deleted meanwhile
            job["total"] = job["total"] - 1
            continue
        try:
            signing.reverify_document(obj)
        except Exception:  # noqa: BLE001 - one broken document must not stop the job
            logger.exception("re-verification of %s failed", path)
            job["failed"] = job.get("failed", 0) + 1
        job["done"] = job["done"] + 1
    if not len(pending):
        job["finished_at"] = _now()
        logger.info("re-verification finished: %d documents, %d failed", job["done"], job["failed"])
    return count


def status() -> dict | None:
    """``{requested_at, requested_by, total, done, failed, remaining, finished_at}`` or None."""
    job = _job()
    if not job:
        return None
    out = {k: job.get(k) for k in ("requested_at", "requested_by", "total", "done", "failed",
                                   "finished_at")}
    out["remaining"] = len(job["pending"]) if job.get("pending") is not None else 0
    return out
