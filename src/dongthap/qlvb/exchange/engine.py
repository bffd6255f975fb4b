"""The exchange engine: send the outbox and drain the inbox, exactly once (ZODB only, no Plone).

**Sending one entry** takes two commits around the network call::

    T1  state := sending, attempts += 1, sending_since := now     (commit)
        transport.send(package)  → axis DocId
    T2  state := sent, axis_doc_id                                 (commit)

A worker that dies between the send and T2 leaves the entry ``sending``.
The next run treats it as *in doubt*: it asks the transport which packages
were sent (``getSentEdocList``) and matches ours by sha256 of the package, or
by DocumentId + recipient (+ status code); a match is recorded as sent
without sending again.  Only when the transport reports no such package is it
sent again — and then the relay deduplicates identical packages, and every
receiver deduplicates on DocumentId, so nothing is registered twice.
Failures back off exponentially (:class:`~.queue.BackoffPolicy`).

**Receiving one package**::

    list → get → prepare(data)                                  (read-only, no write kept)
    T3  handler(data) → record decision                         (commit; retried on conflicts)
        transport.update_status(DocId, done|fail)
    T4  record "acknowledged"                                   (commit)

``prepare`` (the inbox's :meth:`~.inbox.Inbox.prepare`: parse, virus scan,
signature verification — seconds for a large package) runs once, before
T3, so T3 stays small; a ``ConflictError`` in T3 (a clerk writing in the
same agency meanwhile) aborts and runs the handler again in a fresh
transaction, reusing what ``prepare`` found, up to ``conflict_attempts``
times (then the package is left for the next poll, as before).

The decision record is keyed by the axis DocId: if the worker dies after T3,
the next poll sees the record and only acknowledges again — the document is
never created twice; if it dies before T3 nothing was committed and the
package is processed again.  The handler deduplicates on DocumentId as well
(the same package sent twice under two axis ids).  A handler may ask to
retry later (:class:`RetryLater`: clamd unreachable, conflict); any other
exception is contained, counted, and after ``max_inbox_errors`` the package
is refused — hostile input never stops the loop.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field

import transaction as transaction_module
from ZODB.POSException import ConflictError

from .queue import FAILED, QUEUED, SENDING, SENT, BackoffPolicy, now_iso
from .transports.base import AxisError, TransportError

logger = logging.getLogger("dongthap.qlvb.exchange")


class RetryLater(Exception):
    """The handler cannot decide now (e.g. virus scanner unreachable); do not acknowledge."""


@dataclass
class Outcome:
    """What the inbox handler decided for one package."""

    ack: str = "done"  # done | fail
    result: str = "created"  # created, duplicate, status, recalled, updated, refused, ignored
    reason: str = ""
    documents: list = field(default_factory=list)
    warnings: list = field(default_factory=list)  # what was noticed and tolerated (Vietnamese)


def _pick(raw, *names):
    if not isinstance(raw, dict):
        return ""
    lowered = {str(k).lower(): v for k, v in raw.items()}
    for name in names:
        value = lowered.get(name.lower())
        if value not in (None, ""):
            return str(value)
    return ""


class Engine:
    """Run the outbox and the inbox of one store over one transport.

    ``store`` is a callable returning the :class:`~.queue.ExchangeStore` in
    the current connection; ``handler(data, item)`` returns an
    :class:`Outcome` (it runs inside the transaction that records it);
    ``refuse(data, item, reason)`` is called (inside a transaction) when a
    package failed ``max_inbox_errors`` times.  ``prepare(data)`` (default:
    the handler's ``prepare`` method, when it has one) does the slow
    read-only work before the handler's transaction; it may raise
    :class:`RetryLater` (the package is deferred, not acknowledged).
    """

    #: The handler's transaction is tried this often on conflicts (then: next poll).
    conflict_attempts = 30  # as numbering.retry.run_in_transaction (the hand import)
    conflict_base_delay = 0.004
    conflict_max_delay = 0.25


    def __init__(self, *, transport, store, handler=None, refuse=None, name="axis",
                 policy: BackoffPolicy | None = None, transaction_manager=None,
                 clock=time.time, max_inbox_errors: int = 3, prepare=None):
        self.transport = transport
        self.store = store
        self.handler = handler
        self.prepare = prepare if prepare is not None else getattr(handler, "prepare", None)
        self.refuse = refuse
        self.name = name
        self.policy = policy or BackoffPolicy()
        self.tm = transaction_manager or transaction_module.manager
        self.clock = clock
        self.max_inbox_errors = max_inbox_errors

    # -- helpers ---------------------------------------------------------------
    def _commit(self, note):
        txn = self.tm.get()
        txn.note(note)
        self.tm.commit()

    # -- outbox ----------------------------------------------------------------
    def send_due(self, limit: int = 100) -> dict:
        """Send every entry whose time has come; returns counters."""
        counts = {"sent": 0, "recovered": 0, "retry": 0, "failed": 0}
        self.tm.begin()
        due = self.store().due(self.clock(), limit)
        self.tm.abort()
        for entry_id in due:
            try:
                counts[self._send_one(entry_id)] += 1
            except ConflictError:
                self.tm.abort()
                logger.info("exchange: conflict on entry %s, next round", entry_id)
            except KeyError:
                self.tm.abort()
        return counts

    def _send_one(self, entry_id) -> str:
        self.tm.begin()
        store = self.store()
        entry = store.entries.get(entry_id)
        if entry is None or entry.state not in (QUEUED, SENDING):
            self.tm.abort()
            raise KeyError(entry_id)
        if entry.state == SENDING:
            try:
                found = self.find_sent(entry)
            except TransportError as exc:
                self._later(entry, exc, axis=False, doubt=True)
                self._commit("exchange: send in doubt, transport unreachable")
                return "retry"
            if found:
                store.mark_sent(entry, found, "recovered after an interrupted send")
                self._commit("exchange: interrupted send recovered")
                logger.info("exchange: %r was already sent as %s", entry, found)
                return "recovered"
            entry.event("resend", "the transport does not know the package: sending again")
        entry.state = SENDING
        entry.attempts += 1
        entry.sending_since = now_iso()
        data = entry.package
        messagetype = entry.messagetype
        self._commit("exchange: sending")
        try:
            axis_doc_id = self.transport.send(data, messagetype)
        except TransportError as exc:
            self.tm.begin()
            entry = self.store().entries[entry_id]
            state = self._later(entry, exc, axis=isinstance(exc, AxisError))
            self._commit("exchange: send failed")
            return "failed" if state == FAILED else "retry"
        self.tm.begin()
        store = self.store()
        store.mark_sent(store.entries[entry_id], axis_doc_id)
        self._commit("exchange: sent")
        return "sent"

    def _later(self, entry, exc, *, axis, doubt=False):
        reason = f"{type(exc).__name__}: {exc}"[:500]
        entry.last_error = reason
        if axis:
            entry.axis_errors += 1
        if entry.attempts >= self.policy.max_attempts or entry.axis_errors >= self.policy.max_axis_errors:
            entry.state = FAILED
            entry.sending_since = None
            entry.event("failed", reason)
            store = self.store()
            if entry.id in store.pending:
                store.pending.remove(entry.id)
            logger.error("exchange: giving up %r: %s", entry, reason)
            return FAILED
        # A refused/unreachable send did not reach the peer: back to queued.
        # A send that may have reached the peer stays "sending" (checked before resending).
        in_doubt = entry.state == SENDING and not axis and (doubt or _in_doubt(exc))
        entry.state = SENDING if in_doubt else QUEUED
        entry.next_attempt = self.clock() + self.policy.delay(max(1, entry.attempts))
        entry.event("retry", reason)
        logger.warning("exchange: %r failed (%s), next attempt in %.0f s", entry, reason,
                       entry.next_attempt - self.clock())
        return entry.state

    def find_sent(self, entry) -> str | None:
        """The axis DocId of ``entry`` if the transport already has it (in-doubt recovery)."""
        for item in self.transport.list_sent():
            raw = item.raw or {}
            if _pick(raw, "Sha256") == entry.sha256:
                return item.doc_id
            if (_pick(raw, "DocumentId") == entry.document_id and entry.document_id
                    and (item.messagetype or "edoc") == entry.messagetype
                    and entry.recipient in item.recipients
                    and (entry.messagetype != "status" or _pick(raw, "StatusCode") == entry.status_code)
                    and _pick(raw, "BussinessDocType", "BusinessDocType") in ("", str(entry.business_type))):
                return item.doc_id
        return None

    # -- inbox -----------------------------------------------------------------
    def poll(self) -> dict:
        """List, fetch, handle, acknowledge; returns counters."""
        counts = {"received": 0, "acknowledged": 0, "deferred": 0, "errors": 0}
        try:
            items = self.transport.list_received()
        except TransportError as exc:
            logger.warning("exchange: cannot list received packages: %s", exc)
            counts["errors"] += 1
            return counts
        for item in items:
            try:
                counts[self._receive_one(item)] += 1
            except ConflictError:
                self.tm.abort()
                counts["deferred"] += 1
        return counts

    def _key(self, item):
        return f"{self.name}:{item.doc_id}"

    def _receive_one(self, item) -> str:
        key = self._key(item)
        self.tm.begin()
        record = self.store().received.get(key)
        decided = dict(record) if record is not None and record.get("final") else None
        self.tm.abort()
        if decided is None:
            try:
                data = self.transport.get(item.doc_id)
            except TransportError as exc:
                logger.warning("exchange: cannot fetch %s: %s", item.doc_id, exc)
                return "errors"
            decided = self._decide(item, key, data)
            if decided is None:
                return "deferred"
            counts_as = "received"
        else:
            counts_as = "acknowledged"
        if decided.get("acked"):
            return counts_as
        try:
            self.transport.update_status(item.doc_id, decided["ack"])
        except TransportError as exc:
            logger.warning("exchange: cannot acknowledge %s: %s", item.doc_id, exc)
            return counts_as
        self.tm.begin()
        store = self.store()
        store.received[key] = dict(store.received[key], acked=True, acked_at=now_iso())
        self._commit("exchange: acknowledged")
        return counts_as

    def _decide(self, item, key, data):
        if not self._prepare(item, data):
            return None
        for attempt in range(1, self.conflict_attempts + 1):
            self.tm.begin()
            try:
                outcome = self.handler(data, item)
            except RetryLater as exc:
                self.tm.abort()
                logger.info("exchange: %s deferred: %s", item.doc_id, exc)
                return None
            except ConflictError:
                self.tm.abort()
                if self._conflicted(item, attempt):
                    return None
                continue
            except Exception as exc:  # noqa: BLE001 - hostile input never stops the inbox
                self.tm.abort()
                logger.exception("exchange: handling %s failed", item.doc_id)
                return self._count_error(item, key, data, exc)
            record = {"final": True, "ack": outcome.ack, "result": outcome.result,
                      "reason": outcome.reason, "documents": list(outcome.documents),
                      "sender": item.sender, "messagetype": item.messagetype,
                      "at": now_iso(), "acked": False}
            try:
                self.store().received[key] = record
                self._commit(f"exchange: received {item.doc_id} ({outcome.result})")
            except ConflictError:
                self.tm.abort()
                if self._conflicted(item, attempt):
                    return None
                continue
            return record
        return None  # pragma: no cover - the loop returns

    def _prepare(self, item, data) -> bool:
        """Run ``prepare(data)`` before the handler's transaction; False: defer the package."""
        if self.prepare is None:
            return True
        self.tm.begin()  # a fresh view of the database (agencies, settings)
        try:
            self.prepare(data)
        except RetryLater as exc:
            self.tm.abort()
            logger.info("exchange: %s deferred: %s", item.doc_id, exc)
            return False
        except ConflictError:
            self.tm.abort()
            logger.info("exchange: %s deferred: conflict while preparing", item.doc_id)
            return False
        except Exception:  # noqa: BLE001 - the handler meets the problem again and answers it
            logger.exception("exchange: preparing %s failed", item.doc_id)
        self.tm.abort()  # read-only: nothing of it is kept in the database
        return True

    def _conflicted(self, item, attempt) -> bool:
        """After a conflict: wait a growing random delay; True when the attempts are used up."""
        if attempt >= self.conflict_attempts:
            logger.warning("exchange: %s conflicted %d times, left for the next poll",
                           item.doc_id, attempt)
            return True
        logger.info("exchange: conflict receiving %s (attempt %d), retrying", item.doc_id, attempt)
        time.sleep(random.uniform(0, min(self.conflict_max_delay,
                                         self.conflict_base_delay * 2 ** min(attempt, 8))))
        return False

    def _count_error(self, item, key, data, exc):
        self.tm.begin()
        store = self.store()
        record = dict(store.received.get(key) or {})
        errors = record.get("errors", 0) + 1
        record.update(errors=errors, last_error=f"{type(exc).__name__}: {exc}"[:500], at=now_iso())
        if errors >= self.max_inbox_errors:
            reason = "Hệ thống không xử lý được gói tin."
            record.update(final=True, ack="fail", result="refused", reason=reason, acked=False)
            if self.refuse is not None:
                try:
                    self.refuse(data, item, reason)
                except Exception:  # noqa: BLE001
                    logger.exception("exchange: refusing %s failed", item.doc_id)
        store.received[key] = record
        self._commit("exchange: handling error recorded")
        return record if record.get("final") else None

    def run_once(self) -> dict:
        """One round: send, receive, send what receiving produced (statuses)."""
        result = {"send": self.send_due(), "receive": self.poll()}
        result["send_after"] = self.send_due()
        return result


def _in_doubt(exc) -> bool:
    """A read timeout after the request left: the peer may have the package."""
    text = str(exc)
    return "ReadTimeout" in text or "ChunkedEncodingError" in text


__all__ = ["Engine", "Outcome", "RetryLater", "SENT"]
