"""Failed-login counters: nothing is written to the ZODB for a wrong password.

Per account: consecutive failures (reset by a success); when they reach the limit the account is
locked, persistently (:func:`dongthap.qlvb.accounts.api.lock`). Per client address: failures within
the block time; at the limit the address is refused for that time. Logins that name no account are
counted the same way, so the answers never tell whether an account exists.

The same wrong password typed again for the same login counts once (a keyed digest of the last wrong
login, password and code is kept, never the password): a browser sends Basic credentials again on
every redirect and on the theme's subrequests, and a repeated guess tells an attacker nothing new.

Where the counters live:

* **PostgreSQL** (table ``qlvb_login_failures``) when the site has a PostgreSQL database - the audit
  trail's (``QLVB_AUDIT_DSN``, by default ``QLVB_RELSTORAGE_DSN``). Several Zope processes only exist
  with RelStorage, so every process of a multi-process site counts in one place: five wrong passwords
  spread over two processes lock the account. One ``INSERT … ON CONFLICT`` per failure, autocommit.
  The address window is fixed (it starts at the first failure and ends ``block_minutes`` later).
* **Memory** of the process otherwise (FileStorage: one process), the address window sliding.

If PostgreSQL cannot be reached the counters fall back to memory for that call (logged): a database
failure must not open or close every account.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import deque

logger = logging.getLogger("dongthap.qlvb.accounts")

clock = time.time  # tests replace it
_PROCESS_KEY = secrets.token_bytes(32)  # digests without a site (no keyring)


class MemoryCounters:
    """The counters of this process."""

    kind = "memory"

    def __init__(self):
        self._lock = threading.Lock()
        self._by_login: dict[str, int] = {}
        self._by_address: dict[str, deque] = {}
        self._blocked_until: dict[str, float] = {}
        self._locked_logins: dict[str, float] = {}  # logins naming no account, "locked" like a real one
        self._last_wrong: dict[str, str] = {}

    def reset_all(self):
        with self._lock:
            self._by_login.clear()
            self._by_address.clear()
            self._blocked_until.clear()
            self._locked_logins.clear()
            self._last_wrong.clear()

    def address_blocked(self, address, now):
        with self._lock:
            until = self._blocked_until.get(address)
            if until is None:
                return False
            if until > now:
                return True
            del self._blocked_until[address]
            self._by_address.pop(address, None)
            return False

    def failure(self, login, address, now, address_max, window, digest):
        with self._lock:
            if digest and self._last_wrong.get(login) == digest:
                return self._by_login.get(login, 0), False
            self._last_wrong[login] = digest
            count = self._by_login[login] = self._by_login.get(login, 0) + 1
            if address:
                times = self._by_address.setdefault(address, deque())
                times.append(now)
                while times and times[0] < now - window:
                    times.popleft()
                if len(times) >= address_max:
                    self._blocked_until[address] = now + window
        return count, True

    def success(self, login):
        with self._lock:
            self._by_login.pop(login, None)
            self._last_wrong.pop(login, None)

    def unknown_locked(self, login):
        with self._lock:
            return login in self._locked_logins

    def lock_unknown(self, login, now):
        with self._lock:
            self._locked_logins[login] = now

    def forget(self, login):
        with self._lock:
            self._by_login.pop(login, None)
            self._locked_logins.pop(login, None)
            self._last_wrong.pop(login, None)


_SCHEMA = """
CREATE TABLE IF NOT EXISTS qlvb_login_failures (
    kind text NOT NULL,              -- 'login' | 'address' | 'unknown' (a login naming no account, locked)
    key text NOT NULL,
    count integer NOT NULL DEFAULT 0,
    since double precision NOT NULL, -- start of the address window; time of the lock of an unknown login
    until double precision,          -- an address is refused until then
    last text,                       -- keyed digest of the last wrong password of a login (never it)
    PRIMARY KEY (kind, key)
);
"""


class PgCounters:
    """The counters in a table of the site's PostgreSQL database, shared by every process."""

    kind = "postgresql"

    def __init__(self, dsn):
        self.dsn = dsn
        self._local = threading.local()
        self._schema_ready = False

    def _cursor(self):
        import psycopg2

        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = psycopg2.connect(self.dsn)
            conn.autocommit = True
        if not self._schema_ready:
            with conn.cursor() as cur:
                cur.execute(_SCHEMA)
            self._schema_ready = True
        return conn.cursor()

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def reset_all(self):
        with self._cursor() as cur:
            cur.execute("DELETE FROM qlvb_login_failures")

    def address_blocked(self, address, now):
        with self._cursor() as cur:
            cur.execute("SELECT until FROM qlvb_login_failures WHERE kind = 'address' AND key = %s",
                        (address,))
            row = cur.fetchone()
            if row is None or row[0] is None:
                return False
            if row[0] > now:
                return True
            cur.execute("DELETE FROM qlvb_login_failures WHERE kind = 'address' AND key = %s AND until <= %s",
                        (address, now))
            return False

    def failure(self, login, address, now, address_max, window, digest):
        with self._cursor() as cur:
            cur.execute(
                "WITH old AS (SELECT last FROM qlvb_login_failures WHERE kind = 'login' AND key = %(key)s) "
                "INSERT INTO qlvb_login_failures AS f (kind, key, count, since, last) "
                "VALUES ('login', %(key)s, 1, %(now)s, %(last)s) "
                "ON CONFLICT (kind, key) DO UPDATE SET "
                " count = CASE WHEN f.last = %(last)s THEN f.count ELSE f.count + 1 END, last = %(last)s "
                "RETURNING count, (SELECT last FROM old)", {"key": login, "now": now, "last": digest})
            count, before = cur.fetchone()
            if digest and before == digest:
                return count, False
            if address:
                params = {"key": address, "now": now, "window": window, "max": address_max}
                cur.execute(
                    "INSERT INTO qlvb_login_failures AS f (kind, key, count, since, until) "
                    "VALUES ('address', %(key)s, 1, %(now)s, "
                    "        CASE WHEN 1 >= %(max)s THEN %(now)s + %(window)s END) "
                    "ON CONFLICT (kind, key) DO UPDATE SET "
                    " count = CASE WHEN f.since < %(now)s - %(window)s THEN 1 ELSE f.count + 1 END, "
                    " since = CASE WHEN f.since < %(now)s - %(window)s THEN %(now)s ELSE f.since END, "
                    " until = CASE WHEN (CASE WHEN f.since < %(now)s - %(window)s THEN 1"
                    "                         ELSE f.count + 1 END)"
                    "              >= %(max)s THEN %(now)s + %(window)s ELSE f.until END", params)
        return count, True

    def success(self, login):
        with self._cursor() as cur:
            cur.execute("DELETE FROM qlvb_login_failures WHERE kind = 'login' AND key = %s", (login,))

    def unknown_locked(self, login):
        with self._cursor() as cur:
            cur.execute("SELECT 1 FROM qlvb_login_failures WHERE kind = 'unknown' AND key = %s", (login,))
            return cur.fetchone() is not None

    def lock_unknown(self, login, now):
        with self._cursor() as cur:
            cur.execute("INSERT INTO qlvb_login_failures (kind, key, count, since) "
                        "VALUES ('unknown', %s, 0, %s) "
                        "ON CONFLICT (kind, key) DO NOTHING", (login, now))

    def forget(self, login):
        with self._cursor() as cur:
            cur.execute("DELETE FROM qlvb_login_failures WHERE kind IN ('login', 'unknown') AND key = %s",
                        (login,))


_memory = MemoryCounters()
_pg: dict[str, PgCounters] = {}
_forced = None  # tests choose a backend


def use(counters):
    """Count in ``counters`` from now on (None: chosen from the settings again). For tests."""
    global _forced
    _forced = counters


def counters():
    """The backend of this call: PostgreSQL when the site has a database, else this process' memory."""
    if _forced is not None:
        return _forced
    from dongthap.qlvb.audit import settings as audit_settings

    dsn = audit_settings.dsn()
    if not dsn:
        return _memory
    backend = _pg.get(dsn)
    if backend is None:
        backend = _pg[dsn] = PgCounters(dsn)
    return backend


def _call(name, *args):
    backend = counters()
    try:
        return getattr(backend, name)(*args)
    except Exception:
        if backend is _memory:
            raise
        logger.exception("login failure counters: PostgreSQL unreachable, counting in memory")
        return getattr(_memory, name)(*args)


def reset_all():
    _call("reset_all")


def address_blocked(address: str) -> bool:
    return bool(address) and _call("address_blocked", address, clock())


def failure(login: str, address: str, *, max_failures: int, address_max: int, block_minutes: int,
            digest: str = "") -> tuple[int, bool]:
    """Count one failure; returns the account's consecutive failures and whether this one counted
    (not when ``digest``, of the login, password and code, is the one of the last failure)."""
    return _call("failure", login, address, clock(), address_max, block_minutes * 60, digest)


def digest(login: str, password: str, code: str = "") -> str:
    """A keyed digest of a wrong login (site keyring secret, never stored with the password)."""
    import hashlib
    import hmac

    try:
        from plone.keyring.interfaces import IKeyManager
        from zope.component import getUtility

        key = getUtility(IKeyManager).secret().encode("utf-8")
    except Exception:
        key = _PROCESS_KEY
    message = "\x00".join((login or "", password or "", code or "")).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()



def success(login: str):
    _call("success", login)


def unknown_locked(login: str) -> bool:
    return _call("unknown_locked", login)


def lock_unknown(login: str):
    _call("lock_unknown", login, clock())


def forget(login: str):
    _call("forget", login)
