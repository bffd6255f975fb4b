"""The daily reminder job over many open assignments, against a plain catalog query (same run).

Catalog-only synthetic data (no Plone site): a ZCatalog with the indexes and metadata the job
reads (``portal_type``, ``review_state``, ``qlvb_deadline``; ``UID``, ``Title``,
``qlvb_open_assignments``), N incoming documents in handling with one lead entry each (deadlines
spread over -30…+30 days, 400 assignees, 20 departments), and a site stand-in holding the
notification boxes. Measured, each with time and peak memory (tracemalloc):

* baseline — the plain catalog query the job starts from (same filter), reading the metadata
  of every brain;
* job — ``reminders.run``: the same query, the rules, the idempotency keys, a notification
  stored in the person's box for every reminder (escalations too);
* job again — the second run the same day (everything skipped).

    .venv/bin/python bench/bench_reminders.py [--n 100000]
"""

from __future__ import annotations

import argparse
import datetime
import random
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


from Products.ZCatalog.ZCatalog import ZCatalog  # noqa: E402


class Catalog(ZCatalog):
    """A bare ZCatalog answering the job's unrestricted query."""

    def unrestrictedSearchResults(self, **query):
        return self.searchResults(**query)


class Doc:
    """What the catalog indexes of one incoming document in handling."""


def build_catalog(n, today, seed=17):
    from Products.PluginIndexes.FieldIndex.FieldIndex import FieldIndex

    from ZODB import DB
    from ZODB.MappingStorage import MappingStorage
    import transaction

    conn = DB(MappingStorage()).open()
    conn.root()["catalog"] = Catalog("portal_catalog")
    catalog = conn.root()["catalog"]
    for name in ("portal_type", "review_state", "qlvb_deadline"):
        catalog.addIndex(name, FieldIndex(name))
    for column in ("UID", "Title", "qlvb_open_assignments"):
        catalog.addColumn(column)

    rnd = random.Random(seed)
    for i in range(n):
        doc = Doc()
        deadline = today + datetime.timedelta(days=rnd.randint(-30, 30))
        doc.portal_type = "IncomingDocument"
        doc.review_state = rnd.choice(("assigned", "in_progress"))
        doc.qlvb_deadline = deadline
        doc.UID = f"uid{i:07d}"
        doc.Title = f"Văn bản đến số {i}"
        user = f"cv{rnd.randrange(400):03d}"
        dept = f"p{rnd.randrange(20):02d}"
        doc.qlvb_open_assignments = ((f"e{i:07d}", "lead", user, dept, deadline.isoformat(),
                                      f"tp{dept}", "lanhdao"),)
        catalog.catalog_object(doc, f"/qlvb/so-{i % 10}/van-ban-den/2026/vbd-{i:07d}")
        if i % 5000 == 4999:
            transaction.commit()
    transaction.commit()
    return catalog


def measure(label, make):
    """Time one run (no tracing), then the peak memory of a second, traced run on fresh state."""
    func = make()
    start = time.perf_counter()
    result = func()
    elapsed = time.perf_counter() - start
    func = make()
    tracemalloc.start()
    func()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {elapsed:8.2f} s   peak {peak / 1e6:8.1f} MB   {result}")
    return elapsed, peak


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    args = parser.parse_args(argv)

    from dongthap.qlvb.notifications import reminders
    from dongthap.qlvb.notifications import settings
    from dongthap.qlvb.notifications import store
    from persistent import Persistent
    from zope.annotation.attribute import AttributeAnnotations
    from zope.annotation.interfaces import IAttributeAnnotatable
    from zope.interface import implementer
    import zope.component

    zope.component.provideAdapter(AttributeAnnotations)

    @implementer(IAttributeAnnotatable)
    class Site(Persistent):
        def getPhysicalPath(self):
            return ("", "qlvb")

    now = datetime.datetime(2026, 12, 7, 8, tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    today = now.date()
    soon = settings.due_soon_days()
    t0 = time.perf_counter()
    catalog = build_catalog(args.n, today)
    print(f"catalog of {args.n} open assignments built in {time.perf_counter() - t0:.1f} s")
    sites = []

    def baseline():
        limit = today + datetime.timedelta(days=soon)
        rows = 0
        for brain in catalog.unrestrictedSearchResults(
                portal_type="IncomingDocument", review_state=("assigned", "in_progress"),
                qlvb_deadline={"query": limit, "range": "max"}):
            brain.getPath(), brain.UID, brain.Title, brain.qlvb_open_assignments  # noqa: B018
            rows += 1
        return f"{rows} brains read"

    def deliver(users, kind, target, mapping):
        site = sites[-1]
        for user in users:
            store.add(site, user, {"kind": kind, "title": target[2], "path": target[1],
                                   "uid": target[0], "mapping": mapping})

    def job():
        counts = reminders.run(sites[-1], now, rows=reminders.catalog_rows(catalog, today, soon),
                               heads=lambda agency, dept: f"tp{dept}", commit=False,
                               deliver=deliver, extras=False, fullname=str)
        return {k: v for k, v in counts.items() if v}

    def fresh_job():
        sites.append(Site())
        return job

    def same_site_job():
        if not sites:
            sites.append(Site())
        return job

    base_t, base_m = measure("baseline: plain catalog query", lambda: baseline)
    job_t, job_m = measure("reminder job (first run today)", fresh_job)
    again_t, _m = measure("reminder job (again, same day)", same_site_job)
    print(f"job / baseline: time x{job_t / base_t:.1f}, peak memory x{job_m / max(base_m, 1):.1f}; "
          f"second run x{again_t / base_t:.1f} of the baseline")
    boxes = store.boxes(sites[-1])
    print(f"boxes: {len(boxes)} people, largest {max(len(b.items) for b in boxes.values())} "
          f"notifications (trimmed to {store.MAX_ITEMS} past {store.MAX_ITEMS + store.SLACK})")


if __name__ == "__main__":
    main()
