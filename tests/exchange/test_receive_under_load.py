"""Receiving through the exchange engine (worker: axis, drop folder) with long packages (issue 12, item 10).

The engine prepares each package — parse, virus scan, signature verification —
once, before the transaction that files it; that transaction is small and
retried on conflicts with a clerk writing in the same agency, reusing what was
prepared (nothing scanned or verified again).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
import transaction
from dongthap.qlvb.antivirus import api as antivirus
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import engine_for, system_user
from dongthap.qlvb.signing import api as signing
from plone import api
from plone_support import EXTERNAL, STTTT, MemoryTransport, external_package, pdf
from ZODB.POSException import ConflictError

from tests.helpers import session
from tests.incoming.helpers import payload as incoming_payload


class RecordingTM:
    """The engine's transactions on savepoints (the test never commits), written to ``events``.

    ``begin``/``abort`` roll back to the last "commit"; ``conflicts`` commits
    after the inbox processed a package fail with ``ConflictError`` first (a
    clerk committed in the same agency meanwhile).
    """

    def __init__(self, events, conflicts=0):
        self.events = events
        self.conflicts = conflicts
        self._base = transaction.savepoint()

    def get(self):
        return transaction.get()

    def begin(self):
        self.events.append("begin")
        self._base.rollback()

    def commit(self):
        since = self.events[len(self.events) - self.events[::-1].index("begin"):]
        if self.conflicts and "process" in since:
            self.conflicts -= 1
            self.events.append("conflict")
            raise ConflictError("a clerk wrote in the same agency (test)")
        self.events.append("commit")
        self._base = transaction.savepoint()

    def abort(self):
        self.events.append("abort")
        self._base.rollback()


def worker_engine(portal, transport, tm):
    """The engine as the worker builds it (``worker.engine_for``), on the test's transactions."""
    from dongthap.qlvb.exchange import settings

    engine = engine_for(portal, transport, config=dict(settings.values(), transport="axis"))
    engine.tm = tm
    return engine


def two_pdfs():
    annex = pdf("Phụ lục số liệu liên thông")
    return annex, external_package(
        to=(STTTT,), number="88", notation="VPCP-TH",
        attachments=[edxml.Attachment("cid:vb1", "vanban.pdf", "Văn bản", "application/pdf", pdf()),
                     edxml.Attachment("vb2", "phuluc.pdf", "Phụ lục", "application/pdf", annex)])


def counting(monkeypatch, events, ours):
    """Log the scans of the package's files and the verifications of its PDFs in ``events``."""
    real_verify, real_check = signing.verify_bytes, antivirus.check_file

    def verify_bytes(data, **kwargs):
        if data in ours:
            events.append("verify")
        return real_verify(data, **kwargs)

    def check_file(data, filename, **kwargs):
        content = data if isinstance(data, bytes) else getattr(data, "data", b"")
        if content in ours:
            events.append("scan")
        return real_check(data, filename, **kwargs)

    monkeypatch.setattr(signing, "verify_bytes", verify_bytes)
    monkeypatch.setattr(antivirus, "check_file", check_file)


def test_engine_scans_and_verifies_once_before_its_retried_transaction(portal, monkeypatch):
    annex, pkg = two_pdfs()
    events = []
    counting(monkeypatch, events, {pdf(), annex})
    transport = MemoryTransport()
    doc_id = transport.put(edxml.build_document(pkg), sender=EXTERNAL)
    with system_user(portal):
        engine = worker_engine(portal, transport, RecordingTM(events, conflicts=2))
        inbox = engine.handler
        real_process = inbox.process

        def process(data, **kwargs):
            events.append("process")
            return real_process(data, **kwargs)

        inbox.process = process
        counts = engine.poll()
    assert counts["received"] == 1, counts
    assert transport.acks == {doc_id: "done"}
    # both files scanned and both PDFs verified once, all before the transaction that files it;
    # that transaction conflicted twice and ran again without scanning or verifying anything
    first = events.index("process")
    before = sorted(e for e in events[:first] if e in ("scan", "verify"))
    assert before == ["scan", "scan", "verify", "verify"], events
    assert [e for e in events[first:] if e in ("scan", "verify", "process", "conflict")] == [
        "process", "conflict", "process", "conflict", "process"]
    # one document, carrying the reports made before the transaction
    store = get_store(portal)
    [record] = [r for k, r in store.received.items() if k.endswith(doc_id)]
    assert record["result"] == "created" and record["acked"]
    [path] = record["documents"]
    doc = portal.unrestrictedTraverse(path)
    assert api.content.get_state(doc) == "received" and doc.file.data == pdf()
    assert [a.data for a in doc.attachments] == [annex]
    assert doc.qlvb_exchange["legal_validity"]
    assert [code for _to, code, _d in transport.statuses_sent()] == []  # queued, sent by send_due
    assert len([e for e in store.log.values() if e["action"] == "received"
                and e.get("source_id") == doc_id]) == 1

    # the same package again (another axis id): a duplicate, neither scanned nor verified again
    del events[:]
    again = transport.put(edxml.build_document(pkg), sender=EXTERNAL)
    with system_user(portal):
        assert engine.poll()["received"] == 1
    assert transport.acks[again] == "done"
    assert "scan" not in events and "verify" not in events
    assert [r["result"] for k, r in get_store(portal).received.items() if k.endswith(again)] == ["duplicate"]


def test_engine_defers_the_package_when_the_scanner_is_down(portal, monkeypatch):
    from dongthap.qlvb.antivirus.scanner import NOT_SCANNED, ScanFailed, ScanResult

    events = []
    _annex, pkg = two_pdfs()
    transport = MemoryTransport()
    doc_id = transport.put(edxml.build_document(pkg), sender=EXTERNAL)
    real_check = antivirus.check_file

    def unreachable(data, filename, **kwargs):
        events.append("scan")
        raise ScanFailed(ScanResult(NOT_SCANNED, filename, -1, None, reason="error", detail="down (test)"))

    monkeypatch.setattr(antivirus, "check_file", unreachable)
    with system_user(portal):
        engine = worker_engine(portal, transport, RecordingTM(events))
        assert engine.poll()["deferred"] == 1
        assert transport.acks == {} and events.count("scan") == 1  # stopped while preparing
        assert not [k for k in get_store(portal).received.keys() if k.endswith(doc_id)]
        monkeypatch.setattr(antivirus, "check_file", real_check)  # the scanner is back
        assert engine.poll()["received"] == 1
    assert transport.acks == {doc_id: "done"}


# -- a real server: the worker (tick mode, drop folder) while a clerk registers ------------------


@pytest.mark.stress
def test_worker_receives_a_large_package_while_a_clerk_writes(demo_server, request, tmp_path, monkeypatch,
                                                               caplog):
    import logging

    from dongthap.qlvb.exchange import settings
    from dongthap.qlvb.exchange.worker import TOKEN_HEADER, ensure_token

    request.getfixturevalue("av_env")
    request.getfixturevalue("clamd")
    caplog.set_level(logging.INFO, logger="dongthap.qlvb")
    url = demo_server["url"]
    size = 2 * 1024 * 1024  # the test clamd takes up to 3 MB
    annex = pdf("Phụ lục số liệu") + b"%" + os.urandom(size).hex().encode()[:size]
    data = edxml.build_document(external_package(
        to=(STTTT,), number="79", notation="VPCP-TH", subject="V/v số liệu lớn goilon79",
        attachments=[edxml.Attachment("cid:vb1", "vanban.pdf", "Văn bản", "application/pdf", pdf()),
                     edxml.Attachment("vb2", "phuluc.pdf", "Phụ lục", "application/pdf", annex)]))
    folder = tmp_path / "exchange"
    monkeypatch.setenv(settings.ENV_TRANSPORT, "directory")
    monkeypatch.setenv(settings.ENV_DIR, str(folder))
    monkeypatch.setenv("QLVB_EXCHANGE_TOKEN_FILE", str(tmp_path / "token"))
    token = ensure_token(tmp_path / "token")
    (folder / "inbox").mkdir(parents=True)
    (folder / "inbox" / "pkg79.edoc.edxml").write_bytes(data)

    verified, real = [], signing.verify_bytes
    ours = {pdf(), annex}

    def slow_verify(content, **kwargs):
        if content in ours:
            verified.append(len(content))
            time.sleep(0.5)  # revocation and time-stamp checks over the network take this long
        return real(content, **kwargs)

    monkeypatch.setattr(signing, "verify_bytes", slow_verify)
    scanned, real_check = [], antivirus.check_file

    def check_file(content, filename, **kwargs):
        if (content if isinstance(content, bytes) else getattr(content, "data", b"")) in ours:
            scanned.append(filename)
        return real_check(content, filename, **kwargs)

    monkeypatch.setattr(antivirus, "check_file", check_file)
    stop, written = threading.Event(), []

    def clerk():
        s = session("stttt.vanthu")
        while not stop.is_set():
            r = s.post(f"{url}/so-tttt/@incoming", json=incoming_payload(register=True))
            assert r.status_code == 201, r.text
            written.append(r.json())
            time.sleep(0.05)

    with ThreadPoolExecutor(1) as pool:
        writer = pool.submit(clerk)
        try:
            time.sleep(0.3)
            r = requests.post(f"{url}/@@exchange-worker-tick", headers={TOKEN_HEADER: token}, timeout=600)
        finally:
            stop.set()
        writer.result()
    assert r.status_code == 200, r.text[:1000]
    caplog.set_level(logging.INFO, logger="dongthap.qlvb")
    assert r.json()["receive"]["received"] == 1, (r.json(), caplog.text[-3000:])
    assert len(written) >= 2  # the clerk really registered documents meanwhile
    assert (folder / "done" / "done" / "pkg79.edoc.edxml").exists()  # acknowledged "done"
    assert len(verified) == 2, verified  # each PDF once, before the transaction
    assert sorted(scanned) == ["phuluc.pdf", "vanban.pdf"], scanned  # each file once, however many conflicts
    found = session("stttt.vanthu").get(f"{url}/so-tttt/@search", params={
        "portal_type": "IncomingDocument", "SearchableText": "goilon79", "metadata_fields": "review_state"})
    assert found.status_code == 200, found.text
    [item] = [i for i in found.json()["items"] if i["review_state"] == "received"]
    got = session("stttt.vanthu").get(f"{item['@id']}/@signatures")
    assert got.status_code == 200 and len(got.json()["attachments"]) == 1
    assert len(verified) == 2
