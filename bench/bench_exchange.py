"""End-to-end exchange through the axis relay: queue in A → received (stored) in B.

Not a test: run ``python bench/bench_exchange.py [--n 30] [--size-kb 2048]``.

Two systems, each with its own ZODB FileStorage and its own engine
(:mod:`dongthap.qlvb.exchange.engine`), talk HTTP to the relay test peer
(``tests/exchange/axis_relay.py``), with the real HMAC transport.  A queues a
document package (one attachment of ``--size-kb``), its worker round sends
it, B's worker round lists/gets/handles/acknowledges it and answers 03, A's
next round applies the 03.  Measured per document: queue→stored-in-B and
queue→03-seen-in-A, with worker rounds back to back (the configured poll
interval adds to this in production).  B's handler here is the Plone-free
dedup handler: the Plone inbox adds clamd scanning and document creation
(see bench_incoming / bench_antivirus for those costs).  Build+parse
throughput of packages: ``bench/bench_edxml.py``.
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests" / "exchange"))

import transaction  # noqa: E402
import ZODB  # noqa: E402
from axis_relay import AxisRelay, start_in_thread  # noqa: E402
from ZODB.FileStorage import FileStorage  # noqa: E402

from dongthap.qlvb.exchange import edxml  # noqa: E402
from dongthap.qlvb.exchange.engine import Engine, Outcome  # noqa: E402
from dongthap.qlvb.exchange.queue import KIND_DOCUMENT, KIND_STATUS, ExchangeStore, OutboxEntry  # noqa: E402
from dongthap.qlvb.exchange.transports import AxisHttpTransport  # noqa: E402

A, B = "000.00.14.H20", "000.00.00.G22"
VN = edxml.constants.VN_TZ


class System:
    def __init__(self, path, organ, url, secret):
        os.makedirs(path, exist_ok=True)
        self.db = ZODB.DB(FileStorage(f"{path}/Data.fs", blob_dir=f"{path}/blobs"))
        self.tm = transaction.TransactionManager()
        self.conn = self.db.open(self.tm)
        self.conn.root()["x"] = ExchangeStore()
        self.tm.commit()
        self.organ = organ
        self.stored = {}
        self.engine = Engine(transport=AxisHttpTransport(url, organ, secret), store=self.store,
                             handler=self.handle, transaction_manager=self.tm)

    def store(self):
        return self.conn.root()["x"]

    def handle(self, data, item):
        pkg = edxml.parse(data)
        store = self.store()
        if isinstance(pkg, edxml.StatusPackage):
            mh = pkg.message_header
            for entry in store.entries_of(document_id=mh.response_for.document_id):
                entry.add_business_status(mh.status_code, mh.description, mh.timestamp.isoformat())
            return Outcome(result="status")
        mh = pkg.message_header
        if mh.document_id in store.documents:
            return Outcome(result="duplicate")
        store.documents[mh.document_id] = item.doc_id
        self.stored[mh.document_id] = time.perf_counter()
        status = edxml.StatusPackage(edxml.StatusHeader(
            from_=edxml.Organization(self.organ), response_for=edxml.ResponseFor(
                mh.from_.organ_id, mh.code.code_number, mh.promulgation_info.promulgation_date,
                mh.document_id),
            status_code="03", description="Đã vào sổ",
            timestamp=datetime.datetime.now(VN).replace(microsecond=0)))
        store.add(OutboxEntry(kind=KIND_STATUS, recipient=mh.from_.organ_id,
                              package=edxml.build_status(status), status_code="03"))
        return Outcome(result="created")


def package(number, size):
    date = datetime.datetime.now(VN).date()
    doc_id = edxml.make_document_id(A, date, str(number), "STTTT-VP")
    mh = edxml.MessageHeader(
        from_=edxml.Organization(A, organ_name="Sở TT&TT"), to=[edxml.Organization(B)],
        document_id=doc_id, code=edxml.Code(str(number), "STTTT-VP"),
        promulgation_info=edxml.PromulgationInfo("Đồng Tháp", date), subject="Bench liên thông")
    trace = edxml.TraceHeaderList([edxml.TraceHeader(A, datetime.datetime.now(VN))],
                                  edxml.Bussiness(doc_id, 0))
    data = b"%PDF-1.7\n" + os.urandom(size)
    return edxml.DocumentPackage(mh, trace, [edxml.Attachment("a1", "vb.pdf", "", "application/pdf", data)])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=30)
    parser.add_argument("--size-kb", type=int, default=2048)
    args = parser.parse_args()
    systems = {"sys-a": ("sa", A), "sys-b": ("sb", B)}
    agencies = [{"OrganId": A, "Name": "Sở TT&TT"}, {"OrganId": B, "Name": "VPCP"}]
    with tempfile.TemporaryDirectory() as tmp:
        relay = AxisRelay(systems, agencies, f"{tmp}/relay")
        server, url = start_in_thread(relay)
        a = System(f"{tmp}/a", A, url, "sa")
        a.engine.transport.system_id = "sys-a"
        b = System(f"{tmp}/b", B, url, "sb")
        b.engine.transport.system_id = "sys-b"
        to_b, to_03, builds = [], [], []
        for i in range(args.n):
            t0 = time.perf_counter()
            pkg = package(i + 1, args.size_kb * 1024)
            data = edxml.build_document(pkg)
            builds.append(time.perf_counter() - t0)
            entry = a.store().add(OutboxEntry(kind=KIND_DOCUMENT, recipient=B, package=data,
                                              document_id=pkg.message_header.document_id, sender=A))
            a.tm.commit()
            a.engine.send_due()
            b.engine.run_once()
            to_b.append(b.stored[pkg.message_header.document_id] - t0)
            a.engine.poll()
            a.tm.begin()
            assert a.store().entries[entry.id].business_status == "03"
            to_03.append(time.perf_counter() - t0)
        server.shutdown()

    def ms(values):
        values = sorted(values)
        return (f"p50 {statistics.median(values) * 1000:.0f} ms, "
                f"p95 {values[int(0.95 * (len(values) - 1))] * 1000:.0f} ms")

    print(f"exchange through the relay, {args.n} documents with a {args.size_kb} KB attachment:")
    print(f"  build package          {ms(builds)}")
    print(f"  queue → stored in B    {ms(to_b)}")
    print(f"  queue → 03 seen in A   {ms(to_03)}")
    print(f"  throughput (sequential) {args.n / sum(to_03):.1f} documents/s end to end")


if __name__ == "__main__":
    main()
