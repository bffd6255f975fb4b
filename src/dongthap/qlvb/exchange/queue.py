"""The durable exchange store: outbox entries, inbox records, indexes (ZODB only, no Plone).

Everything the exchange must not forget lives here, in persistent objects
committed with the business change that caused it:

* ``entries`` — one :class:`OutboxEntry` per package to send (a document to
  one recipient, or one status package), with its transport state
  (``queued`` → ``sending`` → ``sent`` | ``failed``), attempts, back-off and
  the business statuses the recipient sent back;
* ``pending`` — ids of the entries still to send (``queued``/``sending``);
* ``by_document`` — our document UID → entry ids; ``by_edxml`` — edXML
  DocumentId → entry ids (to match incoming status packages);
* ``received`` — ``<transport>:<axis DocId>`` → what the inbox decided and
  whether the acknowledgement reached the axis (crash between commit and
  acknowledgement: the next poll only acknowledges again);
* ``documents`` — dedup index of received documents:
  ``<DocumentId>|<our OrganId>`` → UID of the incoming document (or a
  tombstone for a recalled/refused one);
* ``statuses_seen`` — keys of status packages already applied;
* ``directory`` — the external agencies imported from ``getAgenciesList``;
* ``log`` — the audit log of the exchange (recalls, refusals, imports).

BTrees resolve concurrent inserts of different keys, so the web process
(queueing at issue time) and the worker (sending, receiving) rarely conflict.
Packages are kept in ZODB blobs, not in the pickles.
"""

from __future__ import annotations

import datetime
import hashlib
import random
import time
import uuid
from dataclasses import dataclass

from BTrees.LOBTree import LOBTree
from BTrees.OOBTree import OOBTree, OOTreeSet
from persistent import Persistent
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from ZODB.blob import Blob

VN_TZ = datetime.timezone(datetime.timedelta(hours=7))

QUEUED = "queued"
SENDING = "sending"
SENT = "sent"
FAILED = "failed"
TRANSPORT_STATES = (QUEUED, SENDING, SENT, FAILED)

KIND_DOCUMENT = "edoc"
KIND_STATUS = "status"


def now_iso() -> str:
    return datetime.datetime.now(VN_TZ).isoformat(timespec="seconds")


@dataclass
class BackoffPolicy:
    """Exponential back-off: ``base * 2**(attempt-1)`` seconds, capped, with ±10 % jitter.

    ``max_attempts`` transport failures (network, HTTP) or ``max_axis_errors``
    refusals by the axis (``status: FAIL``) turn an entry ``failed``; an
    administrator may queue it again (:meth:`ExchangeStore.retry`).
    """

    base: float = 30.0
    maximum: float = 3600.0
    max_attempts: int = 60
    max_axis_errors: int = 5
    jitter: float = 0.1

    def delay(self, attempts: int) -> float:
        raw = min(self.maximum, self.base * 2 ** max(0, attempts - 1))
        return raw * random.uniform(1 - self.jitter, 1 + self.jitter)


class OutboxEntry(Persistent):
    """One package to one recipient, and everything known about its fate."""

    def __init__(self, *, kind, recipient, recipient_name="", document_id="",
                 document_uid="", package: bytes, business_type=0, status_code="",
                 sender="", title=""):
        self.id = uuid.uuid4().hex
        self.kind = kind
        self.messagetype = KIND_STATUS if kind == KIND_STATUS else KIND_DOCUMENT
        self.recipient = recipient
        self.recipient_name = recipient_name
        self.sender = sender
        self.title = title
        self.document_id = document_id  # edXML DocumentId
        self.document_uid = document_uid  # our document
        self.business_type = business_type
        self.status_code = status_code
        self.sha256 = hashlib.sha256(package).hexdigest()
        self.size = len(package)
        self._blob = Blob()
        with self._blob.open("w") as fh:
            fh.write(package)
        self.state = QUEUED
        self.attempts = 0
        self.axis_errors = 0
        self.next_attempt = 0.0
        self.last_error = ""
        self.axis_doc_id = ""
        self.created = now_iso()
        self.queued_ns = time.time_ns()  # order of queueing (``created`` has 1 s resolution)
        self.sending_since = None
        self.sent_at = None
        self.history = PersistentList()
        self.business = PersistentList()  # status packages received for this entry
        self.business_status = ""
        self.business_description = ""
        self.business_at = ""
        self.event("queued")

    @property
    def package(self) -> bytes:
        with self._blob.open("r") as fh:
            return fh.read()

    def event(self, what, detail=""):
        self.history.append({"at": now_iso(), "event": what, "detail": detail[:500]})

    def add_business_status(self, code, description="", timestamp="", staff="", source_key=""):
        record = {"code": code, "description": description[:2000], "timestamp": timestamp,
                  "staff": staff, "received_at": now_iso(), "key": source_key}
        self.business.append(record)
        # the latest by the sender's timestamp wins (packages may arrive out of order); the
        # timestamps have one-second resolution, so within the same second the later arrival wins
        _index, latest = max(enumerate(self.business),
                             key=lambda ir: (ir[1].get("timestamp") or "", ir[1]["received_at"], ir[0]))
        self.business_status = latest["code"]
        self.business_description = latest["description"]
        self.business_at = latest.get("timestamp") or latest["received_at"]

    def __repr__(self):
        return f"<OutboxEntry {self.kind} {self.document_id!r} → {self.recipient} {self.state}>"


class ExchangeStore(Persistent):
    """Root of the exchange data of one site (see the module docstring)."""

    def __init__(self):
        self.entries = OOBTree()
        self.pending = OOTreeSet()
        self.by_document = OOBTree()
        self.by_edxml = OOBTree()
        self.received = OOBTree()
        self.documents = OOBTree()
        self.statuses_seen = OOTreeSet()
        self.directory = OOBTree()
        self.log = LOBTree()

    # -- outbox ----------------------------------------------------------------
    def add(self, entry: OutboxEntry) -> OutboxEntry:
        self.entries[entry.id] = entry
        self.pending.insert(entry.id)
        for index, key in ((self.by_document, entry.document_uid), (self.by_edxml, entry.document_id)):
            if not key:
                continue
            ids = index.get(key)
            if ids is None:
                ids = index[key] = OOTreeSet()
            ids.insert(entry.id)
        return entry

    def entries_of(self, *, document_uid=None, document_id=None):
        index, key = (self.by_document, document_uid) if document_uid else (self.by_edxml, document_id)
        return [self.entries[i] for i in index.get(key, ()) if i in self.entries]

    def due(self, now: float, limit: int = 100):
        """Ids of the entries to send now, in the order they were queued (01 before 03…)."""
        out = []
        for entry_id in self.pending:
            entry = self.entries.get(entry_id)
            if entry is not None and entry.next_attempt <= now:
                out.append((getattr(entry, "queued_ns", 0), entry_id))
        return [entry_id for _ns, entry_id in sorted(out)[:limit]]

    def mark_sent(self, entry: OutboxEntry, axis_doc_id: str, detail=""):
        entry.state = SENT
        entry.axis_doc_id = axis_doc_id
        entry.sent_at = now_iso()
        entry.sending_since = None
        entry.last_error = ""
        entry.event("sent", detail or axis_doc_id)
        if entry.id in self.pending:
            self.pending.remove(entry.id)

    def retry(self, entry_id: str):
        """Queue a failed entry again (administrator action)."""
        entry = self.entries[entry_id]
        if entry.state != FAILED:
            return entry
        entry.state = QUEUED
        entry.attempts = 0
        entry.axis_errors = 0
        entry.next_attempt = 0.0
        entry.event("requeued")
        self.pending.insert(entry.id)
        return entry

    # -- audit log -------------------------------------------------------------
    def record(self, action, **values):
        key = int(time.time() * 1_000_000)
        while key in self.log:
            key += 1
        item = PersistentMapping(at=now_iso(), action=action)
        item.update({k: v for k, v in values.items() if v is not None})
        self.log[key] = item
        return item


def document_key(document_id: str, organ_id: str) -> str:
    """Dedup key of a received document for one of our agencies."""
    return f"{(document_id or '').strip()}|{(organ_id or '').strip()}"
