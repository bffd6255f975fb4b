#!/usr/bin/env python3
"""CPU cost of cataloguing per workflow transition and per generator step, in-process.

Run: nice -n 5 .venv/bin/python bench/bench_reindex.py [--chains 8] [--incoming 8] [--steps 30]
     [--profile FILE]

No server: the demo test layer (``QLVB_DEMO_INTEGRATION``, never committed) in this process,
scanning off (``QLVB_CLAMD_ENABLED=0``), keys and the test PKI in a temporary directory.
It measures, with ``time.process_time`` (CPU of this process, so the machine's load matters
less than for wall time):

* ``--chains`` outgoing documents of Sở TT&TT, each draft → submit → forward → approve →
  sign (the leader's server-held key: pyHanko) → issue (number, agency signature, one received
  copy in Sở Nội vụ): CPU ms per transition, and inside it the CPU spent cataloguing (the
  indexing queue processed at the end of each transition, ``catalog_object`` timed);
* ``--incoming`` paper documents registered by the clerk, then assigned by the leader to a
  specialist (phiếu giải quyết), the same figures;
* ``--steps`` steps of the data generator (``demo/generator.py``, two new agencies);
* the baseline in the same run: ``reindexObject()`` of a plain Plone Document.

``--profile FILE`` writes a cProfile of the chains (``python -m pstats FILE``) and prints the
functions with the largest cumulative time under ``catalog_object``.
"""

from contextlib import contextmanager
from pathlib import Path

import argparse
import os
import statistics
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

TIMES = {"catalog_ms": 0.0, "calls": 0, "full": 0, "partial": 0}


def _env():
    base = tempfile.mkdtemp(prefix="bench-reindex-")
    os.environ.setdefault("QLVB_KEYS_DIR", os.path.join(base, "keys"))
    os.environ.setdefault("QLVB_AUDIT_DIR", os.path.join(base, "audit"))
    os.environ.setdefault("QLVB_TEST_PKI_URL", "http://127.0.0.1:9/pki")
    os.environ["QLVB_CLAMD_ENABLED"] = "0"
    os.environ.setdefault("zope_i18n_compile_mo_files", "true")


def _instrument():
    """Time every ``catalog_object`` (CPU) and count full and partial ones."""
    from Products.CMFPlone.CatalogTool import CatalogTool

    original = CatalogTool.catalog_object

    def timed(self, obj, uid=None, idxs=None, update_metadata=1, pghandler=None):
        start = time.process_time()
        try:
            return original(self, obj, uid, idxs, update_metadata, pghandler)
        finally:
            TIMES["catalog_ms"] += (time.process_time() - start) * 1000
            TIMES["calls"] += 1
            TIMES["full" if not idxs else "partial"] += 1

    CatalogTool.catalog_object = timed


@contextmanager
def measured(rows, name):
    """CPU ms of the block (the indexing queue processed inside it) and of its cataloguing."""
    from Products.CMFCore.indexing import processQueue

    before = dict(TIMES)
    start = time.process_time()
    yield
    processQueue()
    cpu = (time.process_time() - start) * 1000
    rows.setdefault(name, []).append({
        "cpu": cpu, "catalog": TIMES["catalog_ms"] - before["catalog_ms"],
        "full": TIMES["full"] - before["full"], "partial": TIMES["partial"] - before["partial"]})


def report(rows, title):
    print(title)
    print(f"  {'what':<28} {'n':>3} {'CPU ms (median)':>16} {'catalog ms':>11} {'full/partial':>13}")
    for name, samples in rows.items():
        cpu = statistics.median(s["cpu"] for s in samples)
        cat = statistics.median(s["catalog"] for s in samples)
        full = sum(s["full"] for s in samples) / len(samples)
        part = sum(s["partial"] for s in samples) / len(samples)
        print(f"  {name:<28} {len(samples):>3} {cpu:>16.1f} {cat:>11.1f} {full:>6.1f}/{part:<6.1f}")


def setup_layer(layer, done):
    for base in layer.__bases__:
        setup_layer(base, done)
    if layer not in done:
        layer.setUp()
        done.append(layer)


def outgoing_chains(portal, count, rows):
    from dongthap.qlvb.outgoing import api as outgoing
    from plone import api
    from tests.outgoing.helpers import draft

    steps = [("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
             ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign"), ("stttt.vanthu", "issue")]
    for n in range(count + 1):
        target = rows if n else {}  # the first chain warms the caches up
        with measured(target, "outgoing: create draft"):
            doc = draft(portal, title=f"V/v đo chi phí lập chỉ mục {n}")
        for user, name in steps:
            with measured(target, f"outgoing: {name}"), api.env.adopt_user(username=user):
                outgoing.transition(doc, name)
        assert api.content.get_state(doc) == "issued"


def incoming_registrations(portal, count, rows):
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming import handling
    from plone import api
    from tests.incoming.helpers import form_values

    agency = portal.unrestrictedTraverse("so-tttt")
    deadline = (incoming.now().date()).strftime("%d/%m/%Y")
    for n in range(count + 1):
        target = rows if n else {}
        with measured(target, "incoming: register"), api.env.adopt_user(username="stttt.vanthu"):
            values = incoming.clean(form_values(title=f"Văn bản đến đo {n}",
                                                code_number=str(100 + n)), agency=agency)
            result = incoming.create(agency, values, register=True)
        doc = portal.unrestrictedTraverse(result["path"])
        with measured(target, "incoming: assign"), api.env.adopt_user(username="stttt.lanhdao"):
            handling.assign(doc, {"lead": {"user": "stttt.chuyenvien", "deadline": deadline},
                                  "direction": "Đề nghị nghiên cứu, tham mưu."})


def generator_steps(portal, steps, rows):
    import hashlib

    from dongthap.qlvb.demo import generator
    from dongthap.qlvb.demo.incoming import make_pdf

    pdf = make_pdf(["VĂN BẢN MẪU"])
    generator.presigned_pdf = lambda: (pdf, {"legal_validity": "reference",
                                             "sha256": hashlib.sha256(pdf).hexdigest(),
                                             "signatures": []})
    generator.generate(portal, documents=0, agencies=2, batch=10, commit=False, log=lambda _l: None)
    with measured(rows, f"generator: {steps} steps"):
        generator.generate(portal, documents=steps, agencies=2, batch=10, commit=False,
                           log=lambda _l: None)
    sample = rows.pop(f"generator: {steps} steps")[0]
    rows["generator: per step"] = [{k: (v / steps if k in ("cpu", "catalog") else v / steps)
                                     for k, v in sample.items()}]


def baseline(portal, count, rows):
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(container=portal, type="Folder", id="bench-baseline",
                                    title="Baseline")
        docs = [api.content.create(container=folder, type="Document", id=f"trang-{i}",
                                   title=f"Trang {i}")
                for i in range(count)]
    from Products.CMFCore.indexing import processQueue

    processQueue()
    for i, doc in enumerate(docs):
        with measured(rows if i else {}, "plain Plone Document: reindexObject()"):
            doc.reindexObject()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chains", type=int, default=8)
    parser.add_argument("--incoming", type=int, default=8)
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--profile", default="")
    args = parser.parse_args(argv)
    _env()
    import logging

    logging.basicConfig(level=logging.ERROR)

    from dongthap.qlvb.numbering import retry
    from dongthap.qlvb.testing import QLVB_DEMO_INTEGRATION
    from zope.component.hooks import setSite

    done = []
    print("setting up the demo test site ...", flush=True)
    setup_layer(QLVB_DEMO_INTEGRATION, done)
    QLVB_DEMO_INTEGRATION.testSetUp()
    _instrument()
    portal = QLVB_DEMO_INTEGRATION["portal"]
    setSite(portal)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    rows = {}
    try:
        with retry.savepoints_only():
            baseline(portal, 21, rows)
            if args.profile:
                import cProfile

                profiler = cProfile.Profile()
                profiler.enable()
            outgoing_chains(portal, args.chains, rows)
            if args.profile:
                profiler.disable()
                profiler.dump_stats(args.profile)
            incoming_registrations(portal, args.incoming, rows)
            if args.steps:
                generator_steps(portal, args.steps, rows)
    finally:
        QLVB_DEMO_INTEGRATION.testTearDown()
    report(rows, f"bench_reindex: CPU per action (median; {args.chains} chains, {args.incoming} "
                 f"registrations, {args.steps} generator steps); load average "
                 f"{os.getloadavg()[0]:.1f}")
    if args.profile:
        import pstats

        print(f"\ncProfile of the chains: {args.profile}; the largest under catalog_object:")
        stats = pstats.Stats(args.profile)
        stats.sort_stats("cumulative").print_callees("catalog_object")
        stats.sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
