"""Background work that runs exactly once across every Zope process of a site.

With several instances sharing one RelStorage database (``make start-cluster``), a worker
round (exchange, reminders, background exports, full-text extraction) could otherwise run
in two processes at once: two ticks reaching two instances through the load balancer, or a
second worker started by mistake on another host. :func:`exclusive` takes a PostgreSQL
**advisory lock** named after the job on the site's database for the length of the round;
whoever does not get it skips the round. The lock belongs to a database session, so a
process that dies releases it with its connection: no stale lock file to clean up.

Without PostgreSQL (FileStorage: one web process holds the database) a process-local lock
is all that is needed; it is taken in every case so two threads of one process never run
the same job either.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import zlib

logger = logging.getLogger("dongthap.qlvb.singleton")

_LOCAL: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def lock_key(name: str) -> int:
    """The advisory lock key (a signed 64-bit integer) of job ``name``; stable across processes."""
    return zlib.crc32(f"dongthap.qlvb:{name}".encode()) | (0x51 << 32)


def database_dsn() -> str:
    """The PostgreSQL DSN shared by the site's processes ('' with a FileStorage)."""
    from dongthap.qlvb.utils.deployment import SETTINGS

    return (SETTINGS.value("QLVB_RELSTORAGE_DSN") or "").strip()


def _local(name: str) -> threading.Lock:
    with _GUARD:
        return _LOCAL.setdefault(name, threading.Lock())


@contextlib.contextmanager
def exclusive(name: str, dsn: str | None = None):
    """Yield ``True`` when this caller may run job ``name`` now, ``False`` when someone else does.

    ``dsn`` defaults to :func:`database_dsn`. If PostgreSQL cannot be reached the round is
    skipped (``False``), never run unguarded: the next round tries again.
    """
    local = _local(name)
    if not local.acquire(blocking=False):
        yield False
        return
    try:
        dsn = database_dsn() if dsn is None else dsn
        if not dsn:
            yield True
            return
        import psycopg2

        conn = None
        try:
            conn = psycopg2.connect(dsn, connect_timeout=10, application_name=f"qlvb-lock-{name}")
        except psycopg2.Error as problem:
            logger.warning("%s: no PostgreSQL for the advisory lock, round skipped: %s", name, problem)
        if conn is None:
            yield False
            return
        try:
            conn.autocommit = True
            key = lock_key(name)
            with conn.cursor() as cur:
                cur.execute("SELECT pg_try_advisory_lock(%s)", (key,))
                got = bool(cur.fetchone()[0])
            try:
                yield got
            finally:
                if got:
                    with contextlib.suppress(psycopg2.Error), conn.cursor() as cur:
                        cur.execute("SELECT pg_advisory_unlock(%s)", (key,))
        finally:
            conn.close()
    finally:
        local.release()
