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
empties the cache every batch.
"""

from dongthap.qlvb.transfer import audittrail
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


def import_site(portal, directory, *, batch=BATCH, progress=None):
    """:func:`_import_site` as a Manager (collective.exportimport finds parents by catalog search)."""
    with api.env.adopt_roles(["Manager"]):
        return _import_site(portal, directory, batch=batch, progress=progress)


def _import_in_batches(portal, path, handler, batch, key=None):
    """Feed the items of ``path`` to one of collective.exportimport's import methods, ``batch``
    items a call (never cutting a run of items with the same ``key``), committing and emptying
    the cache after each; returns how many items."""
    if not os.path.exists(path):
        return 0
    count = 0
    for chunk in streams.batched(streams.iter_json_array(path), batch, key=key):
        handler(chunk)
        count += len(chunk)
        transaction.commit()
        _minimize(portal)
    return count


def _import_site(portal, directory, *, batch=BATCH, progress=None):
    """Read an export of :func:`export_site` into ``portal``; committed every ``batch`` items.

    Existing objects (same path) are updated, not duplicated: importing twice
    leaves the site as the first import did.
    """
    from collective.exportimport.import_content import filesystem_walker
    from collective.exportimport.import_other import ImportMembers
    from collective.exportimport.import_other import ImportOrdering
    from collective.exportimport.import_other import ImportPortlets

    started = time.monotonic()
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.exists(manifest_path):
        raise ValueError(f"{directory}: no manifest.json (not an export, or an unfinished one)")
    manifest = _read(manifest_path)
    request = _request()

    # The trail first, while this import has not logged anything yet (an empty store of a
    # new deployment then takes the exported chain as it is: see audittrail).
    trail = audittrail.import_trail(directory, batch=batch)
    _note(progress, "audit", **trail)

    members = _read(os.path.join(directory, "members.json"))
    view = ImportMembers(portal, request)
    view.import_groups(members["groups"])
    view.import_members(members["members"])
    transaction.commit()
    _note(progress, "members", users=len(members["members"]))

    groups_before = {g.getId() for g in api.group.get_groups()}
    exported_groups = {g["groupid"] for g in members["groups"]}
    del members
    request.form["form.submitted"] = True
    request.form["handle_existing_content"] = 2  # update in place
    request.form["commit"] = batch
    importer = hooks.QlvbImportContent(portal, request)
    importer.limit = None
    importer.commit = batch
    importer.import_to_current_folder = False
    importer.handle_existing_content = 2
    importer.import_old_revisions = False
    importer.portal = portal
    importer.start()
    added = 0
    # c.ei keeps the URL of every object it added: one call per batch keeps that list short.
    for chunk in streams.batched(filesystem_walker(os.path.join(directory, "content")), batch):
        added += len(importer.import_new_content(chunk))
        transaction.commit()
        _minimize(portal)
        _note(progress, "content", items=added)
    # The added events of the import (an agency's groups, made before its state is restored)
    # may have made groups the export does not have: they are not part of the site.
    made = {g.getId() for g in api.group.get_groups()} - groups_before - exported_groups
    for gid in sorted(made):
        api.group.delete(groupname=gid)
    transaction.commit()
    _note(progress, "content", items=added, extra_groups_removed=len(made))

    _import_in_batches(portal, os.path.join(directory, "localroles.json"),
                       hooks.QlvbImportLocalRoles(portal, request).import_localroles, batch)
    _import_in_batches(portal, os.path.join(directory, "relations.json"),
                       hooks.QlvbImportRelations(portal, request).import_relations, batch,
                       key=lambda item: item.get("from_uuid"))
    _import_in_batches(portal, os.path.join(directory, "ordering.json"),
                       ImportOrdering(portal, request).import_ordering, batch)
    _import_in_batches(portal, os.path.join(directory, "portlets.json"),
                       ImportPortlets(portal, request).import_portlets, batch)
    state.load(portal, _read(os.path.join(directory, "site.json")))
    transaction.commit()
    _note(progress, "done", items=added)
    return {"items": added, "expected": manifest["items"], "audit": trail,
            "seconds": round(time.monotonic() - started, 2)}
