"""A large edXML import while clerks write in the same agency (issue 12, item 10).

Parsing, scanning and verifying the package happen once, before the
transaction; the transaction that creates the document is small and retried
on conflicts, so the import succeeds (no HTTP 500 ``ConflictError``).
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.signing import api as signing
from plone_support import STTTT, external_package, pdf

from tests.helpers import session
from tests.incoming.helpers import payload as incoming_payload


@pytest.fixture
def url(demo_server, request):
    request.getfixturevalue("av_env")
    request.getfixturevalue("clamd")
    return demo_server["url"]




def big_package(size):
    """A package with the document and a ``size`` bytes PDF annex (incompressible filler)."""
    annex = pdf("Phụ lục số liệu") + b"%" + os.urandom(size).hex().encode()[:size]
    return annex, edxml.build_document(external_package(
        to=(STTTT,), number="77", notation="VPCP-TH",
        attachments=[edxml.Attachment("cid:vb1", "vanban.pdf", "Văn bản", "application/pdf", pdf()),
                     edxml.Attachment("vb2", "phuluc.pdf", "Phụ lục", "application/pdf", annex)]))


@pytest.mark.stress
def test_large_import_under_concurrent_writes_succeeds(url, monkeypatch):
    annex, data = big_package(2 * 1024 * 1024)  # the test clamd takes up to 3 MB
    verified = []
    real = signing.verify_bytes

    ours = {pdf(), annex}

    def slow_verify(data, **kwargs):
        if data not in ours:  # the clerk's registrations are verified too
            return real(data, **kwargs)
        verified.append(len(data))
        time.sleep(0.5)  # revocation and time-stamp checks over the network take this long
        return real(data, **kwargs)

    monkeypatch.setattr(signing, "verify_bytes", slow_verify)
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
            started = time.perf_counter()
            r = session("stttt.vanthu").post(f"{url}/so-tttt/@edxml-import", data=data,
                                             headers={"Content-Type": "application/xml"},
                                             timeout=600)
            elapsed = time.perf_counter() - started
        finally:
            stop.set()
        writer.result()
    assert r.status_code == 201, r.text[:1000]
    assert len(written) >= 2  # the clerk really registered documents meanwhile
    [doc] = r.json()["documents"]
    assert doc["state"] == "received"
    # each PDF verified once, before the transaction; never again on a conflict retry
    assert len(verified) == 2, verified
    # the reports made before the transaction are the stored ones (nothing verified again)
    got = session("stttt.vanthu").get(f"{doc['@id']}/@signatures")
    assert got.status_code == 200, got.text
    assert got.json()["report"]["sha256"] and len(got.json()["attachments"]) == 1
    assert len(verified) == 2
    assert elapsed < 120
