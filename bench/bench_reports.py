"""Benchmark: the province's quarterly QĐ 595 report (and an agency's processing report and
12-month trend) computed from the catalog's indexes, against a plain catalog count in the same run.

Run: ``.venv/bin/python bench/bench_reports.py [sizes...]`` (default ``100000 1000000``).

A catalog-only synthetic set-up (no Plone site, no documents): a ZCatalog ``Catalog`` with the
indexes the reports read (FieldIndex / KeywordIndex, the same classes as portal_catalog) filled
in bulk with ``size`` document entries spread over 150 agencies and two years (half incoming,
half outgoing; sources, signatures, types, urgencies, states, completion days, deadlines and
handlers drawn at random with a fixed seed). The reports run the very code of
``dongthap.qlvb.reports.stats`` on it.

Baseline: ``len(Catalog.search(...))`` of the incoming documents of the quarter — the plain
catalog count a hand-written report would start from, once per agency it would run 150 times.
Prints seconds (best of 3), the peak memory the report allocates (tracemalloc) and the ratio.
"""

from __future__ import annotations

import datetime
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from BTrees.IIBTree import IITreeSet  # noqa: E402
from BTrees.IOBTree import IOBTree  # noqa: E402
from BTrees.OOBTree import OOBTree  # noqa: E402
from Products.PluginIndexes.FieldIndex.FieldIndex import FieldIndex  # noqa: E402
from Products.PluginIndexes.KeywordIndex.KeywordIndex import KeywordIndex  # noqa: E402
from Products.ZCatalog.Catalog import Catalog  # noqa: E402

from dongthap.qlvb.reports import stats  # noqa: E402

AGENCIES = [f"agency-{i:03d}" for i in range(150)]
TYPES = ["cong_van"] * 10 + ["quyet_dinh", "ke_hoach", "bao_cao", "to_trinh", "thong_bao", "giay_moi"]
URGENCIES = ["thuong"] * 7 + ["khan", "thuong_khan", "hoa_toc"]
SOURCES = ["axis", "axis", "internal", "internal", "email", "paper"]
FIRST = datetime.date(2025, 1, 1)
QUARTER = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
TODAY = datetime.date(2026, 7, 15)


def synthetic(size, seed=18):
    """The values of ``size`` documents: rid → {index: value}."""
    rnd = random.Random(seed)
    cols = {name: {} for name in ("portal_type", "review_state", "qlvb_report_agency", "qlvb_report_day",
                                  "qlvb_medium", "qlvb_legal_validity", "qlvb_document_type", "qlvb_urgency",
                                  "qlvb_completed_day", "qlvb_on_time", "qlvb_report_deadline",
                                  "qlvb_channel", "qlvb_report_handlers")}
    for rid in range(1, size + 1):
        incoming = rid % 2 == 0
        day = FIRST + datetime.timedelta(days=rnd.randrange(730))
        cols["portal_type"][rid] = "IncomingDocument" if incoming else "OutgoingDocument"
        cols["qlvb_report_agency"][rid] = rnd.choice(AGENCIES)
        cols["qlvb_document_type"][rid] = rnd.choice(TYPES)
        cols["qlvb_urgency"][rid] = rnd.choice(URGENCIES)
        cols["qlvb_legal_validity"][rid] = rnd.choice(("legal", "legal", "reference", "unsigned"))
        cols["qlvb_report_day"][rid] = day
        deadline = day + datetime.timedelta(days=rnd.randrange(3, 30))
        cols["qlvb_report_deadline"][rid] = deadline
        if incoming:
            source = rnd.choice(SOURCES)
            cols["qlvb_channel"][rid] = [source]
            cols["qlvb_medium"][rid] = "paper" if source == "paper" else "electronic"
            done = rnd.random() < 0.8
            cols["review_state"][rid] = "completed" if done else rnd.choice(("registered", "assigned",
                                                                              "in_progress", "refused"))
            cols["qlvb_report_handlers"][rid] = [f"u:{rnd.randrange(400)}", f"d:{rnd.randrange(6)}"]
        else:
            channels = rnd.choice((["internal"], ["axis"], ["internal", "axis"], ["paper"]))
            cols["qlvb_channel"][rid] = channels
            cols["qlvb_medium"][rid] = "paper" if channels == ["paper"] else "electronic"
            done = True
            cols["review_state"][rid] = "issued"
        if done:
            finished = day + datetime.timedelta(days=rnd.randrange(0, 40))
            cols["qlvb_completed_day"][rid] = finished
            cols["qlvb_on_time"][rid] = finished <= deadline
    return cols


def build_catalog(cols):
    """A Catalog whose indexes hold ``cols`` (forward and reverse maps, as index_object leaves them)."""
    catalog = Catalog()
    for name, values in cols.items():
        keyword = name in ("qlvb_channel", "qlvb_report_handlers")
        index = KeywordIndex(name) if keyword else FieldIndex(name)
        forward = {}
        for rid, value in values.items():
            for v in (value if keyword else (value,)):
                forward.setdefault(v, []).append(rid)
        index._index = OOBTree({v: IITreeSet(rids) for v, rids in forward.items()})
        index._unindex = IOBTree({rid: (list(v) if keyword else v) for rid, v in values.items()})
        index._length.set(len(values))
        catalog.addIndex(name, index)
    return catalog


def best(fn, repeat=3):
    times, result = [], None
    for _i in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def peak(fn):
    tracemalloc.start()
    fn()
    _current, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top


def run(size):
    t0 = time.perf_counter()
    catalog = build_catalog(synthetic(size))
    setup = time.perf_counter() - t0
    query = {"portal_type": "IncomingDocument",
             "qlvb_report_day": {"query": QUARTER, "range": "min:max"}}
    base_t, base_n = best(lambda: len(catalog.search(query)))
    per_agency_t, _ = best(lambda: [len(catalog.search(dict(query, qlvb_report_agency=a)))
                                    for a in AGENCIES], 1)
    edoc_t, (rows, totals) = best(lambda: stats.edoc_report(catalog, AGENCIES, *QUARTER, details=True))
    edoc_mem = peak(lambda: stats.edoc_report(catalog, AGENCIES, *QUARTER, details=True))
    docs = stats.processing_base(catalog, "incoming", AGENCIES[0], *QUARTER)
    proc_t, buckets = best(lambda: stats.processing(catalog, stats.processing_base(
        catalog, "incoming", AGENCIES[0], *QUARTER), QUARTER[1]))
    trend_t, _ = best(lambda: stats.trend(catalog, AGENCIES[0], TODAY))
    work_t, _ = best(lambda: stats.workload(catalog, AGENCIES[0], TODAY, "u:"))
    assert totals["received"]["total"] == sum(r["received"]["total"] for r in rows.values())
    print(f"\n{size:,} catalog entries (set-up {setup:.1f} s, max RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")
    print(f"  baseline: plain catalog count, incoming of the quarter  {base_t * 1000:9.1f} ms  "
          f"({base_n:,} documents)")
    print(f"  same count per agency, 150 catalog searches              {per_agency_t * 1000:9.1f} ms")
    print(f"  QĐ 595 province report, 150 rows + type/urgency totals   {edoc_t * 1000:9.1f} ms  "
          f"(×{edoc_t / base_t:.1f} the baseline; peak {edoc_mem / 1e6:.1f} MB allocated; "
          f"{totals['received']['total']:,} received, {totals['sent']['total']:,} sent)")
    print(f"  processing report of one agency (quarter, 5 buckets)     {proc_t * 1000:9.1f} ms  "
          f"({len(docs):,} documents, {len(buckets['overdue']):,} overdue)")
    print(f"  12-month trend of one agency                             {trend_t * 1000:9.1f} ms")
    print(f"  workload per person of one agency                        {work_t * 1000:9.1f} ms")


if __name__ == "__main__":
    for size in [int(a) for a in sys.argv[1:]] or [100_000, 1_000_000]:
        run(size)
