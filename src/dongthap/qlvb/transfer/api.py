"""Full export and import of a site, in batches, through collective.exportimport.

Layout of an export directory (collective.exportimport's own files)::

    members.json      groups (agency groups included) and users, password hashes
    content/<n>/<m>.json   one item per file, 1,000 per folder, parents first
    localroles.json   relations.json   portlets.json   ordering.json
    site.json         the site's own add-on state (annotations dongthap.qlvb.*)
    audit.jsonl  audit.json   the audit trail (:mod:`.audittrail`)
    manifest.json     counts, written last (an export without it is incomplete)

Memory stays bounded (flat in the number of documents): the content is
walked one folder's children at a time without keeping catalog brains
(:func:`.streams.walk`); local roles, portlets and ordering are taken from
each object in the same pass and, like the relations and the audit trail,
written item by item (:class:`.streams.JsonArrayWriter`: still JSON arrays
that collective.exportimport's own import views read); the ZODB cache is
emptied every batch. The import reads one item at a time and commits and
empties the cache every batch; it records its progress in the target site with each batch
(:mod:`.checkpoint`), so it can stop after a number of objects and go on in a fresh process —
the memory of one process is then bounded by the chunk it imports, whatever N.
"""

from dongthap.qlvb.transfer import audittrail
from dongthap.qlvb.transfer import checkpoint
from dongthap.qlvb.transfer import hooks
from dongthap.qlvb.transfer import state
from dongthap.qlvb.transfer import streams
from plone import api
from zope.globalrequest import getRequest

import json
import os
import time
import transaction

BATCH = 1000
FORMAT = "dongthap.qlvb/1"


def _request():
    from dongthap.qlvb.interfaces import IQlvbLayer
    from zope.interface import alsoProvides

    request = getRequest()
    alsoProvides(request, IQlvbLayer)
    return request


def _write(path, data):
    with open(path, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, sort_keys=True)


def _read(path):
    with open(path, encoding="utf-8") as src:
        return json.load(src)


def _note(progress, message, **figures):
    if progress is not None:
        progress(message, figures)


def content_paths(portal):
    """Catalog brains of every content object below the site, parents first (streamed)."""
    catalog = api.portal.get_tool("portal_catalog")
    return streams.walk(catalog, "/".join(portal.getPhysicalPath()))


def _release_idle_connections(db):
    """Close the connections waiting in ``db``'s pool (reopened fresh when next needed).

    Every commit hands the oids it wrote to each other connection of the database, which keeps
    them (one ``bytes`` each, in its MVCC adapter's invalidations) until it is next opened. A
    connection opened once and returned to the pool — the antivirus incident log's own, Zope's
    start-up one — is not opened again while one process imports: it kept every oid the import
    wrote (≈ 14 per document). Shrinking the pool to nothing and back releases them (ZODB's own
    API; connections in use are not touched — in a server, a thread opening one in between only
    gets ZODB's warning about the pool size).
    """
    size = db.getPoolSize()
    db.setPoolSize(0)
    db.setPoolSize(size)


def _minimize(portal):
    """Between batches: forget the request's per-object caches, then empty the ZODB cache.

    The whole export or import runs in one request, and plone.dexterity keeps on it one
    behavior assignable per object it looked at (``get_assignable``, keyed by oid): the entries
    keep every imported object alive as a ghost (≈ 30 Python allocations each), which grew
    the import's memory with the number of documents. ZCatalog's query plan, too: in a new
    site it takes the UID index (fewer than 10 values then) for one whose values matter, once
    per process, and keeps a benchmark for every UID looked up; cleared, it decides again. And
    the idle connections of the pool (:func:`_release_idle_connections`).
    """
    from plone.dexterity.content import ASSIGNABLE_CACHE_KEY
    from Products.ZCatalog.plan import PriorityMap

    request = getRequest()
    if request is not None:
        request.__dict__.pop(ASSIGNABLE_CACHE_KEY, None)
    PriorityMap.clear()
    portal._p_jar.cacheMinimize()
    _release_idle_connections(portal._p_jar.db())


def _drain(collect, obj, uid, results, writer):
    """Run one of collective.exportimport's per-object collectors and stream what it found."""
    collect(obj, uid)
    for item in results:
        writer.add(item)
    results.clear()


def _ordering(obj):
    """collective.exportimport's ordering items of the children of ``obj`` (ordered folders only),
    ascending by position as its import needs."""
    from Acquisition import aq_base
    from plone.folder.interfaces import IExplicitOrdering
    from plone.uuid.interfaces import IUUID

    get = getattr(aq_base(obj), "getOrdering", None)
    if get is None:
        return
    ordering = obj.getOrdering()
    if not IExplicitOrdering.providedBy(ordering):
        return  # unordered BTree folders (registers, years of documents): nothing to keep
    for position, child_id in enumerate(ordering.idsInOrder()):
        uid = IUUID(obj._getOb(child_id, None), None)
        if uid:
            yield {"uuid": uid, "order": position}


def export_site(portal, directory, *, batch=BATCH, progress=None):
    """Write the whole site to ``directory`` (created); returns the manifest."""
    from collective.exportimport.export_other import ExportMembers
    from collective.exportimport.export_other import ExportPortlets
    from collective.exportimport.export_other import PORTAL_PLACEHOLDER
    from collective.exportimport.interfaces import IRawRichTextMarker
    from zope.interface import alsoProvides

    started = time.monotonic()
    request = _request()
    os.makedirs(directory, exist_ok=True)
    manifest_path = os.path.join(directory, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)

    members = ExportMembers(portal, request)
    groups = members.export_groups()
    users = list(members.export_members())
    _write(os.path.join(directory, "members.json"), {"groups": groups, "members": users})
    _note(progress, "members", groups=len(groups), users=len(users))
    user_count, group_count = len(users), len(groups)
    del users, groups

    view = hooks.QlvbExportContent(portal, request)
    view.include_blobs = 0   # files travel in qlvb_state; plone.restapi writes only their URL
    view.include_revisions = False
    view.migration = False
    view.errors = []
    view.path = "/".join(portal.getPhysicalPath())
    view.portal_type = []
    localroles_view = hooks.QlvbExportLocalRoles(portal, request)
    localroles_view.results = []
    portlets_view = ExportPortlets(portal, request)
    portlets_view.results = []
    relations_view = hooks.QlvbExportRelations(portal, request)
    content_dir = os.path.join(directory, "content")
    os.makedirs(content_dir, exist_ok=True)
    count = 0
    size = 0
    errors = []
    alsoProvides(request, IRawRichTextMarker)
    with streams.JsonArrayWriter(os.path.join(directory, "localroles.json")) as localroles, \
            streams.JsonArrayWriter(os.path.join(directory, "portlets.json")) as portlets, \
            streams.JsonArrayWriter(os.path.join(directory, "ordering.json")) as ordering, \
            streams.JsonArrayWriter(os.path.join(directory, "relations.json")) as relations:
        _drain(localroles_view._get_localroles, portal, PORTAL_PLACEHOLDER, localroles_view.results,
               localroles)
        _drain(portlets_view._get_portlets, portal, PORTAL_PLACEHOLDER, portlets_view.results, portlets)
        for item in _ordering(portal):
            ordering.add(item)
        seen = 0
        for brain in content_paths(portal):
            seen += 1
            obj = brain._unrestrictedGetObject()
            uid = brain.UID
            _drain(localroles_view._get_localroles, obj, uid, localroles_view.results, localroles)
            _drain(portlets_view._get_portlets, obj, uid, portlets_view.results, portlets)
            if brain.is_folderish:
                for item in _ordering(obj):
                    ordering.add(item)
            for item in relations_view.references_from(obj, uid):
                relations.add(item)
            try:
                item = view.serialize(obj)
            except Exception as error:  # noqa: BLE001 - reported, the export goes on
                errors.append({"path": brain.getPath(), "error": repr(error)})
                item = None
            if item is not None:
                count += 1
                folder = os.path.join(content_dir, str((count - 1) // batch + 1))
                if (count - 1) % batch == 0:
                    os.makedirs(folder, exist_ok=True)
                path = os.path.join(folder, f"{count}.json")
                _write(path, item)
                size += os.path.getsize(path)
                del item
            del obj
            if seen % batch == 0:
                _minimize(portal)
                _note(progress, "content", items=count)
        localroles_count, portlets_count = localroles.count, portlets.count
        relations_count = relations.count
    _note(progress, "content", items=count)
    _minimize(portal)
    _write(os.path.join(directory, "site.json"), state.dump(portal))
    trail = audittrail.export_trail(directory)
    _note(progress, "audit", records=trail["records"])

    manifest = {
        "format": FORMAT, "items": count, "bytes": size, "users": user_count,
        "groups": group_count, "localroles": localroles_count,
        "relations": relations_count, "portlets": portlets_count, "audit": trail["records"],
        "errors": errors, "seconds": round(time.monotonic() - started, 2),
    }
    _write(manifest_path, manifest)
    _note(progress, "done", items=count)
    return manifest


def import_site(portal, directory, *, batch=BATCH, progress=None, max_objects=None, restart=False):
    """:func:`_import_site` as a Manager (collective.exportimport finds parents by catalog search)."""
    with api.env.adopt_roles(["Manager"]):
        return _import_site(portal, directory, batch=batch, progress=progress, max_objects=max_objects,
                            restart=restart)


class _Budget:
    """How many more objects this run may import (``None``: all)."""

    def __init__(self, limit):
        self.limit = limit
        self.used = 0

    def size(self, batch):
        """The size of the next batch: ``batch``, less when the budget is nearly spent, 0 when spent."""
        if self.limit is None:
            return batch
        return max(min(batch, self.limit - self.used), 0)

    @property
    def spent(self):
        return self.limit is not None and self.used >= self.limit


def _import_items(portal, record, items, handler, *, batch, budget, key=None, progress=None):
    """Feed ``items`` (the current phase's, from ``record["position"]`` on) to one of
    collective.exportimport's import methods a batch at a time (never cutting a run of items with
    the same ``key``), each batch committed together with the progress it makes, the cache emptied
    after it; the phase is marked complete when its items are. False when the budget stopped it."""
    batches = streams.Batches(items, lambda: budget.size(batch), key=key)
    phase = record["phase"]
    for chunk in batches:
        handler(chunk)
        budget.used += len(chunk)
        checkpoint.advance(record, len(chunk))
        transaction.commit()
        _minimize(portal)
        _note(progress, phase, items=record["position"])
        del chunk  # released before the next batch is read (Batches drops its own reference too)
    if not batches.complete:
        return False
    checkpoint.next_phase(record)
    transaction.commit()
    return True


def _totals(directory, manifest):
    ordering = os.path.join(directory, "ordering.json")
    return {"content": manifest["items"], "localroles": manifest.get("localroles", 0),
            "relations": manifest.get("relations", 0), "portlets": manifest.get("portlets", 0),
            "ordering": streams.count_items(ordering) if os.path.exists(ordering) else 0}


def _result(record, manifest, started, budget, already=False):
    total = checkpoint.total(record)
    return {"items": record["added"], "expected": manifest["items"], "audit": record["audit"],
            "seconds": round(time.monotonic() - started, 2), "finished": checkpoint.finished(record),
            "phase": record["phase"], "position": record["position"], "objects": budget.used,
            "done": min(record["done"], total), "total": total, "left": max(total - record["done"], 0),
            "already": already}


def _import_site(portal, directory, *, batch=BATCH, progress=None, max_objects=None, restart=False):  # noqa: C901
    """Read an export of :func:`export_site` into ``portal``; committed every ``batch`` items.

    Existing objects (same path) are updated, not duplicated: importing twice
    leaves the site as the first import did.

    Resumable (:mod:`.checkpoint`): the site records, with every batch, which phase and item
    of this export are done; a run goes on from there. With ``max_objects`` it stops at the
    first batch boundary after about that many objects (``finished`` false in the result, ``left``
    the objects still to import); the next run goes on. A finished import run again does nothing
    in the site (``already``: it only lets the audit trail check it is in the store); ``restart``
    forgets the record and imports everything again (updating in place).
    """
    from collective.exportimport.import_other import ImportMembers
    from collective.exportimport.import_other import ImportOrdering
    from collective.exportimport.import_other import ImportPortlets

    started = time.monotonic()
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.exists(manifest_path):
        raise ValueError(f"{directory}: no manifest.json (not an export, or an unfinished one)")
    if max_objects is not None and max_objects < 1:
        raise ValueError("max_objects must be 1 or more")
    manifest = _read(manifest_path)
    request = _request()
    budget = _Budget(max_objects)
    key = checkpoint.export_key(directory)
    if restart:
        checkpoint.forget(portal, key)
    record = checkpoint.find(portal, key)
    if checkpoint.finished(record):
        # nothing to do in the site; the audit store is not the ZODB (another store may be
        # configured now): the trail import is run again, writing only what the store lacks
        trail = audittrail.import_trail(directory, batch=batch)
        transaction.abort()
        _note(progress, "done", items=record["added"], already=1)
        return dict(_result(record, manifest, started, budget, already=True), audit=trail)
    if record is None:
        record = checkpoint.start(portal, key, directory, _totals(directory, manifest))
    record["runs"] += 1
    _note(progress, "start", phase=record["phase"], position=record["position"], done=record["done"],
          total=checkpoint.total(record))

    def stop():
        transaction.commit()  # the record's run count
        return _result(record, manifest, started, budget)

    if record["phase"] == "audit":
        # The trail first, while this import has not logged anything yet (an empty store of a
        # new deployment then takes the exported chain as it is: see audittrail).
        trail = audittrail.import_trail(directory, batch=batch)
        record["audit"] = dict(trail)
        checkpoint.next_phase(record)
        transaction.commit()
        _note(progress, "audit", **trail)

    if record["phase"] == "members":
        members = _read(os.path.join(directory, "members.json"))
        view = ImportMembers(portal, request)
        view.import_groups(members["groups"])
        view.import_members(members["members"])
        # the groups the content's own events may make and the export does not have are removed
        # after the content: those that exist now are kept
        record["groups_before"].extend(sorted(g.getId() for g in api.group.get_groups()))
        checkpoint.next_phase(record)
        transaction.commit()
        _note(progress, "members", users=len(members["members"]))
        del members

    if record["phase"] == "content":
        if budget.spent:
            return stop()
        request.form["form.submitted"] = True
        request.form["handle_existing_content"] = 2  # update in place
        request.form["commit"] = batch
        importer = hooks.QlvbImportContent(portal, request)
        importer.limit = None
        importer.commit = None  # c.ei commits nothing itself: each batch commits with its progress
        importer.import_to_current_folder = False
        importer.handle_existing_content = 2
        importer.import_old_revisions = False
        importer.portal = portal
        importer.start()

        def import_content(chunk):
            # c.ei keeps the URL of every object it added: one call per batch keeps that list short.
            added = importer.import_new_content([item for item in chunk if item.get("@id")])
            record["added"] += len(added)

        if not _import_items(portal, record, streams.content_items(os.path.join(directory, "content"),
                                                                   record["position"]),
                             import_content, batch=batch, budget=budget, progress=progress):
            return stop()

    if record["phase"] == "groups":
        if budget.spent:
            return stop()
        # The added events of the import (an agency's groups, made before its state is restored)
        # may have made groups the export does not have: they are not part of the site.
        members = _read(os.path.join(directory, "members.json"))
        exported_groups = {g["groupid"] for g in members["groups"]}
        del members
        made = ({g.getId() for g in api.group.get_groups()} - set(record["groups_before"])
                - exported_groups)
        for gid in sorted(made):
            api.group.delete(groupname=gid)
        checkpoint.next_phase(record)
        transaction.commit()
        _note(progress, "content", items=record["added"], extra_groups_removed=len(made))

    item_phases = (
        ("localroles", hooks.QlvbImportLocalRoles(portal, request).import_localroles, None),
        ("relations", hooks.QlvbImportRelations(portal, request).import_relations,
         lambda item: item.get("from_uuid")),
        ("ordering", ImportOrdering(portal, request).import_ordering, None),
        ("portlets", ImportPortlets(portal, request).import_portlets, None),
    )
    for phase, handler, key_of in item_phases:
        if record["phase"] != phase:
            continue
        if budget.spent:
            return stop()
        path = os.path.join(directory, f"{phase}.json")
        items = streams.iter_json_array(path, record["position"]) if os.path.exists(path) else ()
        if not _import_items(portal, record, items, handler, batch=batch, budget=budget, key=key_of,
                             progress=progress):
            return stop()

    if record["phase"] == "site":
        if budget.spent:
            return stop()
        state.load(portal, _read(os.path.join(directory, "site.json")))
        checkpoint.next_phase(record)
        transaction.commit()
    _note(progress, "done", items=record["added"])
    return _result(record, manifest, started, budget)
