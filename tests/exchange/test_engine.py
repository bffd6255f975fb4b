"""The outbox/inbox engine on a real ZODB (real commits), with a fake transport or the relay.

No Plone here: the store lives at the database root, the handler is a small
fake that deduplicates on DocumentId the way the Plone inbox does.
"""

from __future__ import annotations

import pytest
import transaction
import ZODB
from axis_relay import AxisRelay, start_in_thread
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.engine import Engine, Outcome, RetryLater
from dongthap.qlvb.exchange.queue import (
    FAILED,
    KIND_DOCUMENT,
    QUEUED,
    SENDING,
    SENT,
    BackoffPolicy,
    ExchangeStore,
    OutboxEntry,
)
from dongthap.qlvb.exchange.transports import AxisHttpTransport, TransportError
from exchange_samples import AGENCIES, FINANCE, PROVINCE, SENDER, SYSTEMS, make_document
from ZODB.FileStorage import FileStorage


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


class Killed(BaseException):
    """Stands for the worker process dying (not caught by the engine)."""


class DB:
    """A FileStorage database that can be closed and reopened (a worker restart)."""

    def __init__(self, path):
        self.path = path
        self.open()

    def open(self):
        storage = FileStorage(str(self.path / "Data.fs"), blob_dir=str(self.path / "blobs"))
        self.db = ZODB.DB(storage)
        self.tm = transaction.TransactionManager()
        self.conn = self.db.open(self.tm)
        root = self.conn.root()
        if "exchange" not in root:
            root["exchange"] = ExchangeStore()
            self.tm.commit()

    def store(self):
        return self.conn.root()["exchange"]

    def restart(self):
        self.tm.abort()
        self.conn.close()
        self.db.close()
        self.open()

    def close(self):
        self.tm.abort()
        self.conn.close()
        self.db.close()


@pytest.fixture
def zdb(tmp_path):
    db = DB(tmp_path)
    yield db
    db.close()


class DedupHandler:
    """Fake inbox: "creates" one record per DocumentId in ``store.documents``."""

    def __init__(self, db, fail_first=0, retry_first=0):
        self.db = db
        self.calls = 0
        self.fail_first = fail_first
        self.retry_first = retry_first

    def __call__(self, data, item):
        self.calls += 1
        if self.calls <= self.retry_first:
            raise RetryLater("scanner down")
        if self.calls <= self.fail_first:
            raise RuntimeError("boom")
        try:
            pkg = edxml.parse(data)
        except edxml.EdXMLError:
            return Outcome(ack="fail", result="refused")
        key = pkg.message_header.document_id if isinstance(pkg, edxml.DocumentPackage) else "status"
        store = self.db.store()
        if key in store.documents:
            return Outcome(result="duplicate")
        store.documents[key] = item.doc_id
        return Outcome(result="created")


def engine(db, transport, handler=None, clock=None, policy=None, **kw):
    return Engine(transport=transport, store=db.store, handler=handler or DedupHandler(db),
                  transaction_manager=db.tm, clock=clock or Clock(), name="axis",
                  policy=policy or BackoffPolicy(base=10, maximum=100, max_attempts=5, jitter=0), **kw)


def queue(db, pkg=None, recipient=PROVINCE):
    pkg = pkg or make_document()
    pkg.message_header.to = [edxml.Organization(recipient, organ_name="x")]
    entry = db.store().add(OutboxEntry(kind=KIND_DOCUMENT, recipient=recipient,
                                       document_id=pkg.message_header.document_id,
                                       document_uid="uid-1", package=edxml.build_document(pkg),
                                       sender=SENDER))
    db.tm.commit()
    return entry.id


@pytest.fixture
def relay_server(tmp_path):
    """A relay persisting to disk; ``restart()`` brings it back on the same port."""

    class Relay:
        def __init__(self):
            self.app = AxisRelay(SYSTEMS, AGENCIES, tmp_path / "relay")
            self.server, self.url = start_in_thread(self.app)
            self.port = self.server.server_port

        def stop(self):
            self.server.shutdown()
            self.server.server_close()

        def start(self):
            self.app = AxisRelay(SYSTEMS, AGENCIES, tmp_path / "relay")
            self.server, _url = start_in_thread(self.app, port=self.port)

    relay = Relay()
    yield relay
    relay.stop()


def client(url, system="sys-stttt"):
    secret, _organ = SYSTEMS[system]
    return AxisHttpTransport(url, system, secret, timeout=(2, 5))


# -- back-off and states ----------------------------------------------------------------


def test_backoff_is_exponential_and_capped():
    policy = BackoffPolicy(base=30, maximum=3600, jitter=0)
    assert [policy.delay(n) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert policy.delay(20) == 3600
    jittered = BackoffPolicy(base=100, jitter=0.1)
    assert all(90 <= jittered.delay(1) <= 110 for _i in range(50))


def test_send_with_relay_marks_sent_with_axis_id(zdb, relay_server):
    entry_id = queue(zdb)
    counts = engine(zdb, client(relay_server.url)).send_due()
    assert counts["sent"] == 1
    entry = zdb.store().entries[entry_id]
    assert entry.state == SENT and entry.axis_doc_id in relay_server.app.records
    assert entry_id not in zdb.store().pending


def test_relay_down_backs_off_then_delivers_exactly_once(zdb, relay_server):
    entry_id = queue(zdb)
    clock = Clock()
    url = relay_server.url
    relay_server.stop()
    eng = engine(zdb, client(url), clock=clock)
    assert eng.send_due()["retry"] == 1
    entry = zdb.store().entries[entry_id]
    assert entry.state == QUEUED and entry.attempts == 1 and "TransportError" in entry.last_error
    assert entry.next_attempt == clock.now + 10
    assert eng.send_due() == {"sent": 0, "recovered": 0, "retry": 0, "failed": 0}  # not due yet
    clock.now += 11
    assert eng.send_due()["retry"] == 1
    assert zdb.store().entries[entry_id].next_attempt == clock.now + 20  # doubled
    relay_server.start()
    clock.now += 21
    assert eng.send_due()["sent"] == 1
    clock.now += 1000
    assert eng.send_due()["sent"] == 0
    assert relay_server.app.packages_stored == 1
    inbox = client(url, "sys-ubnd").list_received()
    assert len(inbox) == 1


def test_gives_up_after_max_attempts_and_can_be_retried(zdb):
    from plone_support import MemoryTransport

    transport = MemoryTransport()
    transport.down = True
    entry_id = queue(zdb)
    clock = Clock()
    eng = engine(zdb, transport, clock=clock)
    for _i in range(5):
        eng.send_due()
        clock.now += 1000
    entry = zdb.store().entries[entry_id]
    assert entry.state == FAILED and entry_id not in zdb.store().pending
    zdb.store().retry(entry_id)
    zdb.tm.commit()
    transport.down = False
    assert eng.send_due()["sent"] == 1


def test_axis_refusal_fails_the_entry(zdb, relay_server):
    entry_id = queue(zdb, recipient="000.99.99.H99")  # unknown to the relay
    clock = Clock()
    eng = engine(zdb, client(relay_server.url), clock=clock,
                 policy=BackoffPolicy(base=1, max_axis_errors=2, jitter=0))
    eng.send_due()
    clock.now += 10
    eng.send_due()
    entry = zdb.store().entries[entry_id]
    assert entry.state == FAILED and "E_TO" in entry.last_error


# -- crash between send and commit --------------------------------------------------------


class KillAfterSend(AxisHttpTransport):
    kill = True

    def send(self, package, messagetype="edoc"):
        doc_id = super().send(package, messagetype)
        if self.kill:
            raise Killed("worker killed after the relay accepted the package")
        return doc_id


def test_worker_killed_after_send_recovers_without_resending(zdb, relay_server):
    entry_id = queue(zdb)
    secret, _ = SYSTEMS["sys-stttt"]
    transport = KillAfterSend(relay_server.url, "sys-stttt", secret)
    with pytest.raises(Killed):
        engine(zdb, transport).send_due()
    zdb.restart()  # a new worker process
    assert zdb.store().entries[entry_id].state == SENDING
    sends_before = relay_server.app.sends_seen
    counts = engine(zdb, client(relay_server.url)).send_due()
    assert counts["recovered"] == 1
    assert relay_server.app.sends_seen == sends_before  # found in getSentEdocList: not sent again
    entry = zdb.store().entries[entry_id]
    assert entry.state == SENT and entry.axis_doc_id in relay_server.app.records
    assert relay_server.app.packages_stored == 1


def test_resend_after_unknown_outcome_is_deduplicated_by_the_relay(zdb, relay_server):
    """Even when the sent list cannot tell, the same bytes never make a second package."""
    entry_id = queue(zdb)
    transport = client(relay_server.url)
    first = transport.send(zdb.store().entries[entry_id].package)
    assert transport.send(zdb.store().entries[entry_id].package) == first
    assert relay_server.app.packages_stored == 1


# -- inbox ------------------------------------------------------------------------------


def _send_from_stttt(url, pkg=None):
    pkg = pkg or make_document()
    return client(url).send(edxml.build_document(pkg))


def test_poll_creates_once_and_acknowledges(zdb, relay_server):
    _send_from_stttt(relay_server.url)
    handler = DedupHandler(zdb)
    eng = engine(zdb, client(relay_server.url, "sys-ubnd"), handler=handler)
    assert eng.poll()["received"] == 1
    assert len(zdb.store().documents) == 1
    assert client(relay_server.url, "sys-ubnd").list_received() == []
    assert eng.poll() == {"received": 0, "acknowledged": 0, "deferred": 0, "errors": 0}


def test_same_document_under_two_axis_ids_is_created_once(zdb, relay_server):
    pkg = make_document()
    _send_from_stttt(relay_server.url, pkg)
    pkg.trace_header_list.trace_headers[0].organ_id = SENDER  # other bytes, same DocumentId
    pkg.message_header.content += " (gửi lại)"
    _send_from_stttt(relay_server.url, pkg)
    eng = engine(zdb, client(relay_server.url, "sys-ubnd"))
    assert eng.poll()["received"] == 2
    assert len(zdb.store().documents) == 1
    results = sorted(r["result"] for r in zdb.store().received.values())
    assert results == ["created", "duplicate"]


class KillOnAck(AxisHttpTransport):
    kill = True

    def update_status(self, doc_id, status):
        if self.kill:
            raise Killed("worker killed before acknowledging")
        return super().update_status(doc_id, status)


def test_worker_killed_between_store_and_ack_no_duplicate_no_loss(zdb, relay_server):
    _send_from_stttt(relay_server.url)
    secret, _ = SYSTEMS["sys-ubnd"]
    handler = DedupHandler(zdb)
    with pytest.raises(Killed):
        engine(zdb, KillOnAck(relay_server.url, "sys-ubnd", secret), handler=handler).poll()
    zdb.restart()
    assert len(zdb.store().documents) == 1  # committed before the kill: not lost
    assert len(client(relay_server.url, "sys-ubnd").list_received()) == 1  # not acknowledged yet
    handler2 = DedupHandler(zdb)
    counts = engine(zdb, client(relay_server.url, "sys-ubnd"), handler=handler2).poll()
    assert counts["acknowledged"] == 1 and handler2.calls == 0  # decided before: only acknowledged
    assert len(zdb.store().documents) == 1
    assert client(relay_server.url, "sys-ubnd").list_received() == []


def test_worker_killed_while_handling_processes_again(zdb, relay_server):
    _send_from_stttt(relay_server.url)

    def dying(data, item):
        zdb.store().documents["half"] = "written"
        raise Killed("killed in the middle")

    with pytest.raises(Killed):
        engine(zdb, client(relay_server.url, "sys-ubnd"), handler=dying).poll()
    zdb.restart()
    assert "half" not in zdb.store().documents  # nothing half-committed
    engine(zdb, client(relay_server.url, "sys-ubnd")).poll()
    assert len(zdb.store().documents) == 1


def test_retry_later_leaves_the_package_unacknowledged(zdb, relay_server):
    _send_from_stttt(relay_server.url)
    handler = DedupHandler(zdb, retry_first=1)
    eng = engine(zdb, client(relay_server.url, "sys-ubnd"), handler=handler)
    assert eng.poll()["deferred"] == 1
    assert len(client(relay_server.url, "sys-ubnd").list_received()) == 1
    assert eng.poll()["received"] == 1
    assert len(zdb.store().documents) == 1


def test_handler_crashes_are_contained_then_refused(zdb, relay_server):
    _send_from_stttt(relay_server.url)
    refused = []
    handler = DedupHandler(zdb, fail_first=10)
    eng = engine(zdb, client(relay_server.url, "sys-ubnd"), handler=handler,
                 refuse=lambda data, item, reason: refused.append(item.doc_id), max_inbox_errors=3)
    for _i in range(3):
        eng.poll()
    assert len(refused) == 1
    [record] = zdb.store().received.values()
    assert record["ack"] == "fail" and record["acked"] and record["errors"] == 3
    assert client(relay_server.url, "sys-ubnd").list_received() == []


def test_list_failure_does_not_raise(zdb):
    from plone_support import MemoryTransport

    transport = MemoryTransport()
    transport.down = True
    assert engine(zdb, transport).poll()["errors"] == 1


def test_status_to_finance_goes_to_its_system(zdb, relay_server):
    from exchange_samples import make_status

    status = make_status("03")
    status.message_header.from_ = edxml.Organization(FINANCE)
    client(relay_server.url, "sys-stc").send(edxml.build_status(status), "status")
    assert [i.messagetype for i in client(relay_server.url).list_received()] == ["status"]
    with pytest.raises(TransportError):
        client(relay_server.url, "sys-ubnd").get("nope")


def test_business_status_same_second_later_arrival_wins():
    """A recall answered within the second the document arrived: 15 is the status, not 01."""
    entry = OutboxEntry(kind=KIND_DOCUMENT, recipient=PROVINCE, package=b"<x/>")
    stamp = "2026-11-26T05:07:25+07:00"
    entry.add_business_status("01", "Đã đến", stamp)
    entry.add_business_status("15", "Đã thu hồi", stamp)
    assert (entry.business_status, entry.business_description) == ("15", "Đã thu hồi")
    # an older status arriving late does not win over a newer one
    entry.add_business_status("03", "Đã vào sổ", "2026-11-26T05:07:20+07:00")
    assert entry.business_status == "15"


# -- long packages: prepared before the transaction, the transaction retried on conflicts ----------
class PreparingHandler(DedupHandler):
    """A handler with the inbox's ``prepare``: the slow work before the transaction."""

    def __init__(self, db, *, clerk_writes=0, down_first=0):
        super().__init__(db)
        self.events = []
        self.clerk_writes = clerk_writes  # a clerk commits in the same object meanwhile, this often
        self.down_first = down_first  # the scanner is unreachable during the first preparations
        self.prepared = None

    def prepare(self, data):
        self.events.append("prepare")
        if self.events.count("prepare") <= self.down_first:
            raise RetryLater("scanner down")
        self.prepared = data

    def __call__(self, data, item):
        self.events.append("handle")
        assert self.prepared is data  # the prepared results of this very package
        store = self.db.store()
        store.last_received = item.doc_id  # the object the clerk writes too
        if self.clerk_writes:
            self.clerk_writes -= 1
            clerk_tm = transaction.TransactionManager()
            conn = self.db.db.open(clerk_tm)
            try:
                conn.root()["exchange"].last_received = "clerk"
                clerk_tm.commit()
            finally:
                conn.close()
        return super().__call__(data, item)


def test_package_is_prepared_once_before_the_transaction_retried_on_conflicts(zdb):
    from plone_support import MemoryTransport

    transport = MemoryTransport()
    doc_id = transport.put(edxml.build_document(make_document()))
    handler = PreparingHandler(zdb, clerk_writes=2)
    eng = engine(zdb, transport, handler=handler)
    assert eng.poll() == {"received": 1, "acknowledged": 0, "deferred": 0, "errors": 0}
    # prepared once; the handler's transaction conflicted twice with the clerk and was run again
    assert handler.events == ["prepare", "handle", "handle", "handle"]
    assert transport.acks == {doc_id: "done"}  # acknowledged after the commit
    zdb.restart()
    assert len(zdb.store().documents) == 1 and zdb.store().last_received == doc_id
    assert zdb.store().received[f"axis:{doc_id}"]["result"] == "created"


def test_conflicts_without_end_leave_the_package_for_the_next_poll(zdb):
    from plone_support import MemoryTransport

    transport = MemoryTransport()
    doc_id = transport.put(edxml.build_document(make_document()))
    handler = PreparingHandler(zdb, clerk_writes=3)
    eng = engine(zdb, transport, handler=handler)
    eng.conflict_attempts = 3
    assert eng.poll()["deferred"] == 1
    assert transport.acks == {} and len(zdb.store().documents) == 0  # nothing kept, not acknowledged
    assert eng.poll()["received"] == 1
    assert transport.acks == {doc_id: "done"} and len(zdb.store().documents) == 1


def test_scanner_down_while_preparing_defers_without_a_transaction(zdb):
    from plone_support import MemoryTransport

    transport = MemoryTransport()
    doc_id = transport.put(edxml.build_document(make_document()))
    handler = PreparingHandler(zdb, down_first=1)
    eng = engine(zdb, transport, handler=handler)
    assert eng.poll()["deferred"] == 1
    assert handler.events == ["prepare"] and transport.acks == {}
    assert f"axis:{doc_id}" not in zdb.store().received  # no decision, no error counted
    assert eng.poll()["received"] == 1
    assert handler.events == ["prepare", "prepare", "handle"] and transport.acks == {doc_id: "done"}
