"""Full export and import of a site, in batches, through collective.exportimport.

Layout of an export directory (collective.exportimport's own files)::

    members.json      groups (agency groups included) and users, password hashes
    content/<n>/<m>.json   one item per file, 1,000 per folder, parents first
    localroles.json   relations.json   portlets.json   ordering.json
    site.json         the site's own add-on state (annotations dongthap.qlvb.*)
    manifest.json     counts, written last (an export without it is incomplete)

Memory stays bounded: items are written one by one and the ZODB cache is
trimmed after every batch; the import reads one file at a time (c.ei's
``filesystem_walker``) and commits every batch.
"""

from dongthap.qlvb.transfer import hooks
from dongthap.qlvb.transfer import state
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
    """Catalog brains of every content object below the site, parents first."""
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(
        path={"query": "/".join(portal.getPhysicalPath())}, sort_on="path")


def export_site(portal, directory, *, batch=BATCH, progress=None):
    """Write the whole site to ``directory`` (created); returns the manifest."""
    from collective.exportimport.export_other import ExportLocalRoles
    from collective.exportimport.export_other import ExportMembers
    from collective.exportimport.export_other import ExportOrdering
    from collective.exportimport.export_other import ExportPortlets
    from collective.exportimport.export_other import ExportRelations

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

    view = hooks.QlvbExportContent(portal, request)
    view.include_blobs = 0   # files travel in qlvb_state; plone.restapi writes only their URL
    view.include_revisions = False
    view.migration = False
    view.errors = []
    view.path = "/".join(portal.getPhysicalPath())
    view.portal_type = []
    content_dir = os.path.join(directory, "content")
    os.makedirs(content_dir, exist_ok=True)
    count = 0
    size = 0
    errors = []
    from collective.exportimport.interfaces import IRawRichTextMarker
    from zope.interface import alsoProvides

    alsoProvides(request, IRawRichTextMarker)
    for brain in content_paths(portal):
        obj = brain._unrestrictedGetObject()
        try:
            item = view.serialize(obj)
        except Exception as error:  # noqa: BLE001 - reported, the export goes on
            errors.append({"path": brain.getPath(), "error": repr(error)})
            continue
        if item is None:
            continue
        count += 1
        folder = os.path.join(content_dir, str((count - 1) // batch + 1))
        if (count - 1) % batch == 0:
            os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{count}.json")
        _write(path, item)
        size += os.path.getsize(path)
        if count % batch == 0:
            portal._p_jar.cacheGC()
            _note(progress, "content", items=count)
    _note(progress, "content", items=count)

    localroles = ExportLocalRoles(portal, request).all_localroles()
    _write(os.path.join(directory, "localroles.json"), localroles)
    relations = ExportRelations(portal, request).get_all_references()
    _write(os.path.join(directory, "relations.json"), relations)
    ordering = ExportOrdering(portal, request).all_orders()
    _write(os.path.join(directory, "ordering.json"), ordering)
    portlets = ExportPortlets(portal, request).all_portlets()
    _write(os.path.join(directory, "portlets.json"), portlets)
    _write(os.path.join(directory, "site.json"), state.dump(portal))

    manifest = {
        "format": FORMAT, "items": count, "bytes": size, "users": len(users), "groups": len(groups),
        "localroles": len(localroles), "relations": len(relations), "errors": errors,
        "seconds": round(time.monotonic() - started, 2),
    }
    _write(manifest_path, manifest)
    _note(progress, "done", items=count)
    return manifest


def import_site(portal, directory, *, batch=BATCH, progress=None):
    """:func:`_import_site` as a Manager (collective.exportimport finds parents by catalog search)."""
    with api.env.adopt_roles(["Manager"]):
        return _import_site(portal, directory, batch=batch, progress=progress)


def _import_site(portal, directory, *, batch=BATCH, progress=None):
    """Read an export of :func:`export_site` into ``portal``; committed every ``batch`` items.

    Existing objects (same path) are updated, not duplicated: importing twice
    leaves the site as the first import did.
    """
    from collective.exportimport.import_content import filesystem_walker
    from collective.exportimport.import_other import ImportMembers
    from collective.exportimport.import_other import ImportOrdering
    from collective.exportimport.import_other import ImportPortlets
    from collective.exportimport.import_other import ImportRelations

    started = time.monotonic()
    manifest_path = os.path.join(directory, "manifest.json")
    if not os.path.exists(manifest_path):
        raise ValueError(f"{directory}: no manifest.json (not an export, or an unfinished one)")
    manifest = _read(manifest_path)
    request = _request()

    members = _read(os.path.join(directory, "members.json"))
    view = ImportMembers(portal, request)
    view.import_groups(members["groups"])
    view.import_members(members["members"])
    transaction.commit()
    _note(progress, "members", users=len(members["members"]))

    groups_before = {g.getId() for g in api.group.get_groups()}
    exported_groups = {g["groupid"] for g in members["groups"]}
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
    added = importer.import_new_content(filesystem_walker(os.path.join(directory, "content")))
    # The added events of the import (an agency's groups, made before its state is restored)
    # may have made groups the export does not have: they are not part of the site.
    made = {g.getId() for g in api.group.get_groups()} - groups_before - exported_groups
    for gid in sorted(made):
        api.group.delete(groupname=gid)
    transaction.commit()
    _note(progress, "content", items=len(added), extra_groups_removed=len(made))

    hooks.QlvbImportLocalRoles(portal, request).import_localroles(
        _read(os.path.join(directory, "localroles.json")))
    ImportRelations(portal, request).import_relations(_read(os.path.join(directory, "relations.json")))
    ImportOrdering(portal, request).import_ordering(_read(os.path.join(directory, "ordering.json")))
    ImportPortlets(portal, request).import_portlets(_read(os.path.join(directory, "portlets.json")))
    state.load(portal, _read(os.path.join(directory, "site.json")))
    transaction.commit()
    _note(progress, "done", items=len(added))
    return {"items": len(added), "expected": manifest["items"],
            "seconds": round(time.monotonic() - started, 2)}
