"""Benchmark: building the year registers' rows (the code of ``@registers`` and of the background
export jobs) on a generated site, cold and warm ZODB cache, against plain Plone in the same run.

    QLVB_CLAMD_ENABLED=0 .venv/bin/zconsole run <instance>/etc/zope.conf \
        bench/bench_register_build.py [--agencies 3] [--repeat 3] [--upgrade]

The site is one filled by ``scripts/generate_data.py`` (``bench/bench_scale.py`` makes one, or
``--documents 400 --agencies 3`` for a few agencies with many documents each). For each of the
first agencies (most documents first) it builds Sổ đăng ký văn bản đến (``register_rows``),
Sổ theo dõi giải quyết (``tracking_rows``) and Sổ đăng ký văn bản đi (outgoing
``register_rows``) for the whole period:

* **cold**: the connection's object cache emptied first (``cacheMinimize``: documents, catalog
  buckets and users are read again from the storage; the file is in the OS cache);
* **warm**: the same build right after.

Baseline (plain Plone, same run, same brains): the catalog query of the same documents reading
five metadata columns of each brain (``Title``, ``review_state``, ``modified``, ``getId``,
``UID``) — what any listing costs — and the same query waking each document
(``getObject().title``) — what a listing that reads the objects costs.

Also printed: how many documents of the register the build woke (non-ghost after a cold build)
and how many times ``plone.api.user.get`` was called.

``--upgrade`` first runs the upgrade step ``v1008_register_columns`` (when the site lacks the
``qlvb_register_values`` column) and commits: the measured copy of the data is changed.
"""

from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.utils.deployment import SETTINGS
from plone import api
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import argparse
import sys
import time
import transaction

parser = argparse.ArgumentParser(prog="bench_register_build.py")
parser.add_argument("--agencies", type=int, default=3)
parser.add_argument("--repeat", type=int, default=3)
parser.add_argument("--upgrade", action="store_true")
parser.add_argument("--dump", help="write every row built to this JSON file (to compare two runs)")
script_at = max(i for i, a in enumerate(sys.argv) if a.endswith("bench_register_build.py"))
args = parser.parse_args(sys.argv[script_at + 1:])

app = makerequest(app)  # noqa: F821 - ``app`` is given by zconsole
admin = app.acl_users.getUserById(SETTINGS.value("QLVB_ADMIN_USER"))
newSecurityManager(None, admin.__of__(app.acl_users))
site = app[SETTINGS.value("QLVB_SITE_ID")]
setSite(site)
conn = app._p_jar
catalog = api.portal.get_tool("portal_catalog")

if args.upgrade and "qlvb_register_values" not in catalog.schema():
    from dongthap.qlvb.upgrades import v1008_register_columns

    started = time.perf_counter()
    v1008_register_columns.register_columns(site)
    transaction.commit()
    print(f"upgrade v1008_register_columns: {time.perf_counter() - started:.1f} s")

from dongthap.qlvb.incoming import queries as incoming  # noqa: E402
from dongthap.qlvb.incoming.api import incoming_root  # noqa: E402
from dongthap.qlvb.outgoing import queries as outgoing  # noqa: E402
from dongthap.qlvb.outgoing.api import outgoing_root  # noqa: E402

user_calls = [0]
_user_get = api.user.get


def counting_user_get(*a, **kw):
    user_calls[0] += 1
    return _user_get(*a, **kw)


api.user.get = counting_user_get


def cold():
    transaction.abort()
    conn.cacheMinimize()


def woken(oids):
    """Documents among ``oids`` that are not ghosts now."""
    count = 0
    for oid in oids:
        obj = conn._cache.get(oid)
        if obj is not None and obj._p_changed is not None:
            count += 1
    return count


def measure(name, build, oids):
    """(ms/row cold, ms/row warm, rows, woken, user look-ups) — best of ``repeat`` each."""
    colds, warms = [], []
    for _ in range(args.repeat):
        cold()
        user_calls[0] = 0
        start = time.perf_counter()
        rows = build()
        colds.append(time.perf_counter() - start)
        awake, users = woken(oids), user_calls[0]
        start = time.perf_counter()
        build()
        warms.append(time.perf_counter() - start)
    n = max(len(rows), 1)
    print(f"  {name:<34} {len(rows):>6} {min(colds) * 1000 / n:>9.3f} {min(warms) * 1000 / n:>9.3f} "
          f"{awake:>7} {users:>7}")
    return min(colds) / n, min(warms) / n


def plain(query, wake):
    def run():
        brains = catalog.unrestrictedSearchResults(**query)
        if wake:
            return [b._unrestrictedGetObject().title for b in brains]
        return [(b.Title, b.review_state, b.modified, b.getId, b.UID) for b in brains]
    return run


dumped = {}
paths = [b.getPath() for b in catalog.unrestrictedSearchResults(portal_type="Agency")]
counted = sorted(((len(catalog.unrestrictedSearchResults(portal_type="IncomingDocument", path=p)), p)
                  for p in paths), reverse=True)
print(f"catalog: {len(catalog)} objects; column qlvb_register_values: "
      f"{'qlvb_register_values' in catalog.schema()}; best of {args.repeat}")
print(f"  {'what':<34} {'rows':>6} {'cold ms':>9} {'warm ms':>9} {'woken':>7} {'users':>7}")
for _count, path in counted[:args.agencies]:
    agency = site.unrestrictedTraverse(path)
    print(f"{agency.title} ({path})")
    for kind, root_of, builds in (
            ("IncomingDocument", incoming_root, (("Sổ đăng ký văn bản đến", incoming.register_rows),
                                                 ("Sổ theo dõi giải quyết", incoming.tracking_rows))),
            ("OutgoingDocument", outgoing_root, (("Sổ đăng ký văn bản đi", outgoing.register_rows),))):
        root = root_of(agency)
        if root is None:
            continue
        query = {"path": "/".join(root.getPhysicalPath()), "portal_type": kind}
        if kind == "IncomingDocument":
            query["qlvb_arrival_number"] = {"query": 1, "range": "min"}
        else:
            query["review_state"] = list(outgoing.ISSUED_STATES)
        oids = [b._unrestrictedGetObject()._p_oid for b in catalog.unrestrictedSearchResults(**query)]
        for title, build in builds:
            measure(title, lambda build=build, agency=agency: build(agency, None, None), oids)
            dumped[f"{path} {title}"] = build(agency, None, None)
        measure("plain: brains' metadata", plain(query, wake=False), oids)
        measure("plain: brains woken (getObject)", plain(query, wake=True), oids)
transaction.abort()
if args.dump:
    import json

    with open(args.dump, "w") as out:
        json.dump(dumped, out, ensure_ascii=False, indent=1, default=str, sort_keys=True)
