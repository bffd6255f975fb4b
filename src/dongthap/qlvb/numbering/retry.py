"""Run a unit of work in its own transaction, retrying on ZODB conflicts.

Writes that must succeed under concurrency (registration numbers, document
creation) commit **here**, inside the request, instead of relying on the three
retries of the Zope publisher:

* a fresh transaction is begun, so the work sees the newest committed state;
* on ``ConflictError`` (including read conflicts) the transaction is aborted,
  the thread sleeps a random, growing delay (jitter, so that competing
  clients do not collide again in lock step) and the work runs again;
* any other exception aborts the transaction — nothing is half-created — and
  propagates;
* an optional in-process lock serialises the work of one key (e.g. one
  agency's register) between the threads of this process;
* and one process-wide lock serialises every unit of work of this module
  between the threads of the process: all document writes touch the same
  catalog indexes (the text index's word entries, the per-document tables),
  whose conflicts BTrees cannot resolve, so two threads writing documents at
  once kept conflicting (an issue retried 11 times behind two busy clerks).
  The units are small (the slow work — scanning, signing, verifying — is done
  before them), and one process runs Python on one core anyway; conflicts
  remain only between processes (several Zope instances on RelStorage).
  The lock is re-entrant and is always taken after the key's lock.

The publisher commits an empty transaction afterwards, which is harmless.
"""

from ZODB.POSException import ConflictError

import logging
import random
import threading
import time
import transaction

logger = logging.getLogger("dongthap.qlvb.numbering")

MAX_ATTEMPTS = 30
BASE_DELAY = 0.004
MAX_DELAY = 0.25
LOCK_TIMEOUT = 30

_locks = {}
_locks_guard = threading.Lock()
#: Every unit of work of one process, one at a time (see the module's docstring).
_WRITE_LOCK = threading.RLock()

#: Integration tests (which roll back, never commit) switch this off with
#: :func:`savepoints_only`; the work then runs inside a savepoint instead.
COMMIT = True
#: With :data:`COMMIT` off: whether each unit of work gets its own savepoint (see :func:`in_batch`).
SAVEPOINTS = True


class savepoints_only:
    """Context manager: run work in savepoints, never commit (integration tests).

    ``savepoints=False`` (:func:`in_batch`): no savepoint either; a unit of work that
    fails dooms the whole transaction instead of rolling itself back.
    """

    def __init__(self, savepoints=True):
        self.savepoints = savepoints

    def __enter__(self):
        global COMMIT, SAVEPOINTS
        self._old = COMMIT, SAVEPOINTS
        COMMIT, SAVEPOINTS = False, self.savepoints
        return self

    def __exit__(self, *exc):
        global COMMIT, SAVEPOINTS
        COMMIT, SAVEPOINTS = self._old
        return False


def in_batch():
    """Context manager for bulk writers that commit one batch of many units of work themselves.

    The data generator (``demo/generator.py``): every unit runs in the batch's transaction,
    without a commit and without a savepoint of its own — a savepoint writes every object
    changed since the previous one (the catalog's buckets each time), which cost ~10 % of a
    generated document. A unit that fails cannot be rolled back alone, so it **dooms** the
    transaction: the batch can then only be aborted, never committed with half of that unit.
    """
    return savepoints_only(savepoints=False)


class _Doom:
    """What :func:`unit_savepoint` gives in :func:`in_batch`: rolling back dooms the batch."""

    def rollback(self):
        transaction.doom()


def unit_savepoint():
    """A savepoint to roll one unit of work back alone (e.g. the steps of a workflow transition).

    In :func:`in_batch` there is none (it would write every object changed since the previous
    savepoint, the catalog's buckets included); its ``rollback()`` dooms the batch instead.
    """
    if not COMMIT and not SAVEPOINTS:
        return _Doom()
    return transaction.savepoint()


class RetriesExhausted(ConflictError):
    """The work conflicted ``MAX_ATTEMPTS`` times in a row."""


def _lock_for(key):
    with _locks_guard:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = threading.Lock()
        return lock


def lock_for(key):
    """The in-process lock of ``key`` (what ``lock_key=key`` takes for each attempt)."""
    return _lock_for(key)


def run_in_transaction(work, *, lock_key=None, attempts=MAX_ATTEMPTS, note=None):
    """Call ``work()`` in a new transaction and commit; retry on conflicts.

    Whatever the current transaction holds is committed first (it belongs to
    the same request). Returns the result of ``work()``.
    """
    if not COMMIT and not SAVEPOINTS:
        try:
            return work()
        except BaseException:
            transaction.doom()  # nothing of the batch may be committed after a half-done unit
            raise
    if not COMMIT:
        savepoint = transaction.savepoint()
        try:
            return work()
        except BaseException:
            savepoint.rollback()
            raise
    transaction.commit()
    lock = _lock_for(lock_key) if lock_key is not None else None
    for attempt in range(1, attempts + 1):
        locked = lock.acquire(timeout=LOCK_TIMEOUT) if lock is not None else False
        serial = _WRITE_LOCK.acquire(timeout=LOCK_TIMEOUT)
        try:
            txn = transaction.begin()
            if note:
                txn.note(note)
            try:
                result = work()
                transaction.commit()
                return result
            except ConflictError:
                transaction.abort()
                if attempt == attempts:
                    logger.error("giving up after %d conflicting attempts (%s)", attempts, note)
                    raise RetriesExhausted(f"{attempts} conflicting attempts") from None
                logger.info("conflict on attempt %d (%s), retrying", attempt, note)
            except BaseException:
                transaction.abort()
                raise
        finally:
            if serial:
                _WRITE_LOCK.release()
            if locked:
                lock.release()
        time.sleep(random.uniform(0, min(MAX_DELAY, BASE_DELAY * 2 ** min(attempt, 8))))
    raise AssertionError("unreachable")  # pragma: no cover
