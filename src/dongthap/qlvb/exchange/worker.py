"""The exchange worker in a Plone site: one round = send the outbox, poll the inbox, send again.

It runs outside web requests (``scripts/exchange_worker.py``), as the system
user ``qlvb-exchange`` (a Zope-level user with the Manager role, never a
person), with its own transactions (see :mod:`.engine`).

Two ways to run it:

* **direct** — ``zconsole run <zope.conf> scripts/exchange_worker.py``: the
  worker opens the database itself (RelStorage or ZEO shared with the web
  processes, or a FileStorage no web process holds);
* **tick** — ``python scripts/exchange_worker.py --url http://localhost:8080/qlvb``:
  for a FileStorage held by the running web process (``make start``), the
  worker process triggers each round with ``POST @@exchange-worker-tick``,
  authenticated by a random token in a file outside the ZODB
  (``<clienthome>/exchange-worker.token``, mode 0600).
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from AccessControl.SecurityManagement import getSecurityManager, newSecurityManager, setSecurityManager
from AccessControl.users import UnrestrictedUser

from . import settings
from .engine import Engine
from .inbox import Inbox
from .storage import get_store

logger = logging.getLogger("dongthap.qlvb.exchange")

SYSTEM_USER = "qlvb-exchange"
TOKEN_HEADER = "X-Qlvb-Worker-Token"


@contextmanager
def system_user(site):
    """Act as the exchange's system user (Manager) inside ``site``."""
    old = getSecurityManager()
    user = UnrestrictedUser(SYSTEM_USER, "", ["Manager"], [])
    acl = site.getPhysicalRoot().acl_users
    newSecurityManager(None, user.__of__(acl))
    try:
        yield user
    finally:
        setSecurityManager(old)


def engine_for(site, transport, *, name=None, config=None):
    config = config or settings.values()
    inbox = Inbox(site, source="axis" if config.get("transport") != "directory" else "directory")
    # inbox.prepare: parse, scan and verify before the (small, retried) transaction of inbox.process
    return Engine(transport=transport, store=lambda: get_store(site), handler=inbox,
                  prepare=inbox.prepare, refuse=inbox.refuse_unhandled,
                  name=name or config.get("transport") or "axis",
                  policy=settings.policy(config))


def run_once(site, *, transport=None) -> dict:
    """One round of the worker in ``site`` (commits its own transactions).

    The exchange round (when a transport is configured), then the other
    background work of the system: a batch of the signature re-verification
    (:mod:`dongthap.qlvb.signing.reverify`).
    """
    from dongthap.qlvb.utils.singleton import exclusive

    config = settings.values()
    transport = transport or settings.get_transport(config)
    # once across every thread and every process sharing the database (PostgreSQL advisory
    # lock with RelStorage): two workers, or two ticks on two instances, never run one job twice
    with exclusive("worker-round") as mine:
        if not mine:
            return {"busy": True}
        with system_user(site):
            result = {"configured": transport is not None}
            if transport is not None:
                result.update(engine_for(site, transport, config=config).run_once())
            result["reverified"] = _reverify_batch()
            result["notifications"] = _notifications_round(site)
            result["export_jobs"] = _export_jobs(site)
            return result


def _reverify_batch() -> int:
    """One batch of a pending signature re-verification, in its own transaction."""
    import transaction
    from ZODB.POSException import ConflictError

    from dongthap.qlvb.signing import reverify

    try:
        count = reverify.run_batch()
        if count:
            transaction.commit()
        return count
    except ConflictError:
        transaction.abort()
        logger.info("re-verification batch conflicted; retried next round")
        return 0


def _notifications_round(site) -> dict:
    """Queued notification e-mail, and the daily reminders (:mod:`dongthap.qlvb.notifications`)."""
    from dongthap.qlvb.notifications import reminders

    try:
        return reminders.worker_round(site)
    except Exception:  # noqa: BLE001 - the exchange keeps running whatever happens here
        import transaction

        transaction.abort()
        logger.exception("notifications round failed")
        return {"error": True}


def _export_jobs(site) -> dict:
    """The background exports waiting (:mod:`dongthap.qlvb.reports.jobs`), each in its own
    transactions; a failure here never stops the worker."""
    import transaction

    from dongthap.qlvb.reports import jobs

    try:
        return jobs.run_pending(site)
    except Exception:  # noqa: BLE001 - keep the worker alive
        transaction.abort()
        logger.exception("background exports: round failed")
        return {"error": True}


# -- the token of the tick mode ------------------------------------------------
def token_path() -> Path:
    explicit = settings.SETTINGS.value("QLVB_EXCHANGE_TOKEN_FILE")
    if explicit:
        return Path(explicit)
    from App.config import getConfiguration

    return Path(getConfiguration().clienthome) / "exchange-worker.token"


def ensure_token(path: Path) -> str:
    """Read the token, creating it (0600) when missing."""
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        token = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(token)
        return token


def token_matches(given: str) -> bool:
    try:
        expected = token_path().read_text(encoding="ascii").strip()
    except OSError:
        return False
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given.strip())
