"""``zconsole run`` helper of ``bench_transfer.py``: one measured step per process.

    transfer_site.py setup FROM TO    TO-FROM more incoming documents in so-tttt + as many plain
                                      Files in /plain of the site ``plainsrc`` (not in the exported site)
    transfer_site.py noop             the process alone (baseline memory)
    transfer_site.py qlvb-export DIR  the add-on's full export (dongthap.qlvb.transfer.api)
    transfer_site.py qlvb-import DIR SITE [BATCH]
    transfer_site.py plain-export DIR collective.exportimport's export of the plain Files (base64 blobs)
    transfer_site.py plain-import DIR SITE
    transfer_site.py compare A B [FOLDER]  objects per type and per review state in site A and site B
                                      (below FOLDER in both when given), from their catalogs

Prints one JSON line: seconds, items, bytes, peak RSS (MB) of the process and, with
``QLVB_BENCH_TRACEMALLOC=1``, the peak of Python's own allocations (tracemalloc, MB).

With ``QLVB_BENCH_PROGRESS=1``, ``qlvb-import`` also prints to stderr one JSON line per step of
the import (each content batch): objects so far, current RSS, Python's allocated blocks, the
ZODB cache (objects, non-ghosts), the request's large attributes and the audit writer's queue;
with tracemalloc on, the 15 sources of allocation that grew most between the first content
batch and the end of the content. More diagnostics, each by its environment variable set to 1:
``QLVB_BENCH_GC`` (``gc.collect()`` first: live objects only), ``QLVB_BENCH_TYPES`` (the
gc-tracked object types that grew most since the previous batch), ``QLVB_BENCH_REFERRERS``
(who refers to the ghosts kept in the ZODB cache), ``QLVB_BENCH_HOLDERS`` (the containers —
untracked dicts and tuples too — that grew most since the previous batch, and who holds them:
what keeps strings, bytes and numbers alive, which the gc does not track). Each line also gives
the ZODB caches of the database's other connections (``other_caches``). ``QLVB_BENCH_BATCH=N``:
the import's batch size; with tracemalloc, ``QLVB_BENCH_TRACE_FRAMES`` (default 1: cheap; more
also prints the growth by traceback) and ``QLVB_BENCH_TRACE_FROM`` (the content batch after which
the first snapshot is taken, default 1). ``QLVB_BENCH_TRIM=1``: glibc's ``malloc_trim(0)`` before
the RSS is read (``rss_untrimmed_mb`` the figure before it): what RSS keeps then is in use; with
pymalloc's arenas, the blocks in use in them and their free blocks (MB).
"""

import gc
import json
import os
import resource
import sys
import time
import tracemalloc

import transaction
from AccessControl.SecurityManagement import newSecurityManager
from zope.component.hooks import setSite

app = app  # noqa: F821 - ``app`` is given by zconsole
args = sys.argv[4:]
TRACE = os.environ.get("QLVB_BENCH_TRACEMALLOC") == "1"
#: frames kept per allocation (1: far cheaper; more for ``compare_to(..., "traceback")``)
TRACE_FRAMES = int(os.environ.get("QLVB_BENCH_TRACE_FRAMES") or 1)
#: the content batch after which the first snapshot is taken (the growth is measured from there)
TRACE_FROM = int(os.environ.get("QLVB_BENCH_TRACE_FROM") or 1)
#: the import's batch size (``import_site``'s default otherwise)
BATCH = int(os.environ.get("QLVB_BENCH_BATCH") or 0) or None
if TRACE:
    tracemalloc.start(TRACE_FRAMES)
admin = app.acl_users.getUserById(os.environ.get("QLVB_ADMIN_USER", "admin"))
newSecurityManager(None, admin.__of__(app.acl_users))


def site(site_id="qlvb", create=False):
    if site_id not in app.objectIds() and create:
        from Products.CMFPlone.factory import addPloneSite

        addPloneSite(app, site_id, setup_content=False, extension_ids=[
            "plone.app.contenttypes:default", "plonetheme.barceloneta:default", "plone.restapi:default",
            "dongthap.qlvb:default"])
        transaction.commit()
    s = app[site_id]
    setSite(s)
    return s


def size_of(directory):
    return sum(os.path.getsize(os.path.join(r, f)) for r, _d, fs in os.walk(directory) for f in fs)


def report(started, items, directory=None, **more):
    print(json.dumps({"seconds": round(time.monotonic() - started, 2), "items": items,
                      "bytes": size_of(directory) if directory else 0,
                      "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                      "py_peak_mb": round(tracemalloc.get_traced_memory()[1] / 2**20, 1) if TRACE else None,
                      **more}))


def current_rss_mb():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmRSS:"))
    return round(int(kb) / 1024, 1)


def malloc_trim():
    """glibc's ``malloc_trim(0)``: the freed memory malloc still holds goes back to the system (what
    RSS keeps then is live, or pymalloc's partly used arenas); 1 when some was released."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        return None


def pymalloc_figures():
    """From ``sys._debugmallocstats()``: MB of pymalloc's arenas, of the blocks in use in them, and
    of the free blocks they hold (arenas partly used stay: what RSS keeps of freed small objects)."""
    import tempfile

    with tempfile.TemporaryFile(mode="w+") as tmp:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(tmp.fileno(), 2)  # the statistics are written to the C stderr
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        tmp.seek(0)
        lines = tmp.read().splitlines()
    wanted = {"# bytes in allocated blocks": "pymalloc_used_mb",
              "# bytes in available blocks": "pymalloc_free_mb"}
    found = {}
    for line in lines:
        name, _, value = line.partition("=")
        if name.strip() in wanted:
            found[wanted[name.strip()]] = round(int(value.strip().replace(",", "")) / 2**20, 1)
        elif name.strip() == "Total" and "pymalloc_arenas_mb" not in found:
            found["pymalloc_arenas_mb"] = round(int(value.strip().replace(",", "")) / 2**20, 1)
    return found


def other_caches(jar):
    """``[objects, non-ghosts]`` of the ZODB caches of the database's other connections (the pool's:
    code that opens a connection of its own keeps its cache between uses) that hold anything."""
    return [[c["size"], c["ngsize"]] for c in jar.db().cacheDetailSize()
            if c["connection"] != repr(jar) and c["size"]]


def big_request_entries(least=50):
    """The request's attributes and annotations holding more than ``least`` entries (one request
    serves the whole step: a per-object cache on it grows with the number of objects)."""
    from zope.globalrequest import getRequest

    request = getRequest()
    found = {}
    for where, mapping in (("attr", vars(request)), ("annotation", getattr(request, "__annotations__", {}))):
        for key, value in list(mapping.items()):
            try:
                size = len(value)
            except TypeError:
                continue
            if size > least:
                found[f"{where} {key}"] = size
    return found


def show_growing_containers(previous, least=100, top=8):
    """Print (stderr) the gc-tracked containers (dict, list, set …) that grew most since the previous
    call, with who holds each: what keeps objects the gc does not track (str, bytes, int, atomic
    tuples) alive. ``previous`` (id → (len, type name)) is updated."""
    now = {}
    kinds = (dict, list, set, frozenset, tuple)
    for obj in gc.get_objects():
        # the untracked ones too (a dict of strings and numbers only is not tracked): through referents
        for item in (obj, *(ref for ref in gc.get_referents(obj)
                            if isinstance(ref, kinds) and not gc.is_tracked(ref))):
            if isinstance(item, kinds):
                size = len(item)
                if size >= least:
                    now[id(item)] = (size, type(item).__name__)
    if previous:
        grew = sorted(((size - previous.get(key, (0,))[0], key) for key, (size, _t) in now.items()),
                      reverse=True)[:top]
        by_id = {key for _d, key in grew if _d > 0}
        found = {}
        for obj in gc.get_objects():
            for item in (obj, *gc.get_referents(obj)):
                if id(item) in by_id:
                    found[id(item)] = item
        for delta, key in grew:
            if delta <= 0 or key not in found:
                continue
            obj = found[key]
            sample = [repr(k)[:50] for k in list(obj)[:3]]
            holders = [f"{type(ref).__name__}:" + (repr([repr(k)[:40] for k in list(ref)[:3]])
                                                    if isinstance(ref, dict) else repr(ref)[:80])
                       for ref in gc.get_referrers(obj)[:4] if type(ref).__name__ != "frame"]
            print(f"container +{delta}: {type(obj).__name__} len={len(obj)} {sample} held by {holders}",
                  file=sys.stderr, flush=True)
        del found
    previous.clear()
    previous.update(now)


def show_referrers(cache, depth=3):
    """Print (stderr) the types of the ghosts kept in the ZODB cache and, for one of the most
    common type, who refers to it (``depth`` levels): what keeps the imported objects alive."""
    from collections import Counter

    ghosts = [obj for _oid, obj in cache.items() if obj._p_changed is None]
    kinds = Counter(type(obj).__name__ for obj in ghosts)
    print("ghosts:", kinds.most_common(8), file=sys.stderr)
    if not ghosts:
        return
    name = kinds.most_common(1)[0][0]
    target = [obj for obj in ghosts if type(obj).__name__ == name][-1]
    skip = {id(ghosts), id(sys._getframe())}

    def walk(obj, level):
        refs = [ref for ref in gc.get_referrers(obj)
                if id(ref) not in skip and ref is not cache and type(ref).__name__ != "frame"]
        skip.add(id(refs))
        for ref in refs[:6]:
            text = (f"len={len(ref)} first={[repr(k)[:60] for k in list(ref)[:4]]}"
                    if isinstance(ref, (dict, list, tuple, set)) else repr(ref)[:120])
            print("  " * level, type(ref).__name__, text, file=sys.stderr)
            if level < depth:
                walk(ref, level + 1)

    walk(target, 1)
    del ghosts, target


def counts(site_id, folder=None):
    """``{"type portal_type": n, "state review_state": n}`` of the site's catalog (below ``folder``)."""
    from collections import Counter

    portal = site(site_id)
    root = "/".join(portal.getPhysicalPath()) + (f"/{folder}" if folder else "")
    found = Counter()
    for brain in portal.portal_catalog.unrestrictedSearchResults(path={"query": root}):
        if brain.getPath() == root:
            continue
        found[f"type {brain.portal_type}"] += 1
        found[f"state {brain.review_state or '-'}"] += 1
    return dict(found)


mode = args[0]
started = time.monotonic()
if mode == "noop":
    site()
    report(started, 0)
elif mode == "setup":
    sys.path.insert(0, os.getcwd())
    from plone import api
    from plone.namedfile.file import NamedBlobFile
    from tests.incoming.helpers import create_received
    from tests.incoming.helpers import TINY_PDF

    first, count = int(args[1]), int(args[2]) - int(args[1])
    portal = site()
    create_received(portal["so-tttt"], count, "stttt.vanthu", title="Văn bản đo hiệu năng")
    source = site("plainsrc", create=True)
    folder = source.get("plain") or api.content.create(container=source, type="Folder", id="plain",
                                                       title="Plain")
    for index in range(first, first + count):
        api.content.create(container=folder, type="File", id=f"f{index}", title=f"Tệp {index}",
                           file=NamedBlobFile(TINY_PDF, filename="tep.pdf", contentType="application/pdf"))
        if (index + 1) % 500 == 0:
            transaction.commit()
    transaction.commit()
    report(started, count)
elif mode == "qlvb-export":
    from dongthap.qlvb.transfer import api as transfer

    manifest = transfer.export_site(site(), args[1])
    report(started, manifest["items"], args[1])
elif mode == "qlvb-import":
    from dongthap.qlvb.transfer import api as transfer

    from dongthap.qlvb.audit import writer

    portal = site(args[2], create=True)
    progress = None
    if os.environ.get("QLVB_BENCH_PROGRESS") == "1":
        snapshots = []
        holder_sizes = {}  # id → (len, type) of the large containers at the previous batch
        type_counts = []  # gc-tracked objects by type at the previous batch (QLVB_BENCH_TYPES=1)

        def progress(message, figures):
            if os.environ.get("QLVB_BENCH_GC") == "1":  # live objects only (cyclic garbage collected)
                figures = dict(figures, gc_freed=gc.collect())
            if os.environ.get("QLVB_BENCH_TRIM") == "1":  # RSS without the free memory malloc keeps
                figures = dict(figures, rss_untrimmed_mb=current_rss_mb(), trimmed=malloc_trim(),
                               **pymalloc_figures())
            cache = portal._p_jar._cache
            print(json.dumps({"s": round(time.monotonic() - started, 1), "step": message,
                              **figures, "rss_mb": current_rss_mb(), "blocks": sys.getallocatedblocks(),
                              "cache": len(cache), "non_ghosts": cache.cache_non_ghost_count,
                              "other_caches": other_caches(portal._p_jar),
                              "request_big": big_request_entries(), "audit_queue": writer._queue.qsize(),
                              "audit_written": writer._stats["written"]}),
                  file=sys.stderr, flush=True)
            if os.environ.get("QLVB_BENCH_TYPES") == "1" and message == "content":
                from collections import Counter

                now = Counter(type(obj).__name__ for obj in gc.get_objects())
                if type_counts:
                    grew = (now - type_counts[0]).most_common(12)
                    print("grew:", grew, file=sys.stderr, flush=True)
                type_counts[:] = [now]
            if os.environ.get("QLVB_BENCH_HOLDERS") == "1" and message == "content":
                show_growing_containers(holder_sizes)
            if os.environ.get("QLVB_BENCH_REFERRERS") == "1" and message == "content":
                show_referrers(cache)
            if TRACE and message == "content":
                content_calls.append(1)
                if len(content_calls) >= TRACE_FROM:
                    snapshots[1:] = [tracemalloc.take_snapshot()] if snapshots else []
                    if not snapshots:
                        snapshots.append(tracemalloc.take_snapshot())

        content_calls = []

    batch = int(args[3]) if len(args) > 3 else (BATCH or transfer.BATCH)
    result = transfer.import_site(portal, args[1], progress=progress, batch=batch)
    if progress is not None and TRACE and len(snapshots) == 2:
        skip = (tracemalloc.Filter(False, tracemalloc.__file__),
                tracemalloc.Filter(False, "<frozen importlib._bootstrap*>"))
        old, new = (snapshot.filter_traces(skip) for snapshot in snapshots)
        for stat in new.compare_to(old, "lineno")[:25]:
            print(stat, file=sys.stderr)
        if TRACE_FRAMES > 1:
            for stat in new.compare_to(old, "traceback")[:8]:
                print(stat, file=sys.stderr)
                for line in stat.traceback.format():
                    print("   ", line, file=sys.stderr)
    report(started, result["items"])
elif mode == "plain-export":
    from collective.exportimport.export_content import ExportContent
    from collective.exportimport.interfaces import IBase64BlobsMarker
    from zope.globalrequest import getRequest
    from zope.interface import alsoProvides

    portal = site("plainsrc")
    request = getRequest()
    alsoProvides(request, IBase64BlobsMarker)
    view = ExportContent(portal, request)
    view.portal_type = ["File"]
    view.path = "/".join(portal.getPhysicalPath()) + "/plain"
    view.depth = -1
    view.include_blobs = 1
    view.include_revisions = False
    view.migration = False
    view.errors = []
    count = 0
    for item in view.export_content():
        count += 1
        folder = os.path.join(args[1], str((count - 1) // 1000 + 1))
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{count}.json"), "w", encoding="utf-8") as out:
            json.dump(item, out)
        if count % 1000 == 0:
            portal._p_jar.cacheGC()  # as c.ei's own export view does
    report(started, count, args[1])
elif mode == "plain-import":
    from collective.exportimport.import_content import filesystem_walker
    from collective.exportimport.import_content import ImportContent
    from plone import api
    from zope.globalrequest import getRequest

    portal = site(args[2], create=True)
    if "plain" not in portal.objectIds():
        api.content.create(container=portal, type="Folder", id="plain", title="Plain")
    request = getRequest()
    request.form["form.submitted"] = True
    view = ImportContent(portal["plain"], request)  # into the folder (the source site shares the ZODB)
    view.limit = None
    view.commit = 1000
    view.import_to_current_folder = True
    view.handle_existing_content = 2
    view.import_old_revisions = False
    view.portal = portal
    added = view.import_new_content(filesystem_walker(args[1]))
    transaction.commit()
    report(started, len(added))
elif mode == "compare":
    folder = args[3] if len(args) > 3 else None
    a, b = counts(args[1], folder), counts(args[2], folder)
    rows = {key: [a.get(key, 0), b.get(key, 0)] for key in sorted(set(a) | set(b))}
    report(started, sum(n for key, n in a.items() if key.startswith("type ")), counts=rows,
           differences=[key for key, (x, y) in rows.items() if x != y])
