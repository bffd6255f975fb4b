"""Writes audit records off the request path: a queue emptied by one background thread.

:func:`enqueue` only puts a dict on a queue (microseconds); the thread takes
everything waiting (up to :data:`BATCH` records) and appends it to the store
in one go, so a busy instance writes one batch per few milliseconds instead of
one row per request.  When the store fails (database down) the batch is kept
and retried, and the failure logged; records are never dropped silently
(beyond :data:`MAX_PENDING`, which is logged as an error).
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time

logger = logging.getLogger("dongthap.qlvb.audit")

BATCH = 500
MAX_PENDING = 200_000
RETRY_SECONDS = 2.0

_queue: queue.Queue = queue.Queue()
_thread = None
_lock = threading.Lock()
_stats = {"written": 0, "batches": 0, "failures": 0}


def enqueue(record: dict):
    if _queue.qsize() >= MAX_PENDING:
        logger.error("audit queue full, record dropped: %s", record)
        return
    _queue.put(record)
    _ensure_thread()


def _ensure_thread():
    global _thread
    if _thread is not None and _thread.is_alive():
        return
    with _lock:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_run, name="qlvb-audit-writer", daemon=True)
            _thread.start()


def _take(first):
    batch = [first]
    while len(batch) < BATCH:
        try:
            batch.append(_queue.get_nowait())
        except queue.Empty:
            break
    return batch


def _write(batch):
    from dongthap.qlvb.audit.store import get_store

    while True:
        try:
            get_store().append(batch)
            _stats["written"] += len(batch)
            _stats["batches"] += 1
            return
        except Exception:  # noqa: BLE001 - keep the records and retry
            _stats["failures"] += 1
            logger.exception("audit store failed; %d records kept, retrying", len(batch))
            for record in batch:  # sealing may have started: start again clean
                for key in ("seq", "prev", "hash"):
                    record.pop(key, None)
            time.sleep(RETRY_SECONDS)


def _run():
    while True:
        first = _queue.get()
        batch = _take(first)
        try:
            _write(batch)
        finally:
            for _ in batch:
                _queue.task_done()


def flush(timeout: float = 30.0) -> bool:
    """Wait until every queued record is written (tests, scripts, shutdown)."""
    deadline = time.monotonic() + timeout
    while _queue.unfinished_tasks:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def stats() -> dict:
    return dict(_stats, pending=_queue.qsize())


atexit.register(flush, 10.0)
