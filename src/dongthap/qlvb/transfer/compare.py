"""A fingerprint of a site: what an export, an import or a restore must keep.

Plain JSON (compared by the tests and printed by ``scripts/transfer.py
fingerprint``): per content object (by path below the site) its type, UID,
review state, workflow history, local roles, the add-on's state digest
(trail, assignments, deliveries, counters, signing history… see :mod:`.state`)
and file checksums; the users and groups with their members.
"""

from dongthap.qlvb.transfer import checksums
from dongthap.qlvb.transfer import state
from plone import api

import hashlib
import json


def _digest(value):
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()


def _history(obj):
    history = getattr(obj, "workflow_history", None) or {}
    return {wf: [{k: str(v) for k, v in entry.items()} for entry in entries]
            for wf, entries in history.items()}


def fingerprint(portal):
    from Acquisition import aq_base
    from plone.base.interfaces import IPloneSiteRoot

    catalog = api.portal.get_tool("portal_catalog")
    root = "/".join(portal.getPhysicalPath())
    objects = {}
    for brain in catalog.unrestrictedSearchResults(path={"query": root}, sort_on="path"):
        obj = brain._unrestrictedGetObject()
        if IPloneSiteRoot.providedBy(obj):
            continue
        rel = brain.getPath()[len(root):]
        roles = {k: sorted(v) for k, v in (getattr(aq_base(obj), "__ac_local_roles__", None) or {}).items()}
        data = state.dump(obj)
        entry = {
            "type": obj.portal_type, "uid": brain.UID, "state": api.content.get_state(obj, default=None),
            "title": obj.Title(), "history": _history(obj), "local_roles": roles,
            "block": bool(getattr(aq_base(obj), "__ac_local_roles_block__", False)),
            "stored": {f"{part}:{name}": _digest(value) for part in ("attributes", "annotations")
                      for name, value in data[part].items()},
            "files": {k: checksums.sha256_of(v) for k, v in checksums.files_of(obj)},
        }
        for name in ("arrival_number", "register_number", "code_number", "code_notation",
                     "legal_validity", "file_code"):
            value = getattr(aq_base(obj), name, None)
            if value is not None:
                entry[name] = str(value)
        objects[rel] = entry
    users = {}
    for user in api.user.get_users():
        users[user.getId()] = {
            "groups": sorted(g.getId() for g in api.group.get_groups(user=user)
                             if g.getId() != "AuthenticatedUsers"),
            "fullname": user.getProperty("fullname"),
        }
    groups = {g.getId(): sorted(g.getGroupMemberIds()) for g in api.group.get_groups()
              if g.getId() != "AuthenticatedUsers"}
    return {"objects": objects, "users": users, "groups": groups,
            "site_state": _digest(state.dump(portal))}


def differences(before, after, limit=50):
    """Human-readable differences of two fingerprints (empty when equal)."""
    found = []
    for key in ("users", "groups"):
        for name in sorted(set(before[key]) | set(after[key])):
            if before[key].get(name) != after[key].get(name):
                found.append(f"{key} {name}: {before[key].get(name)!r} != {after[key].get(name)!r}")
    for path in sorted(set(before["objects"]) | set(after["objects"])):
        a, b = before["objects"].get(path), after["objects"].get(path)
        if a is None or b is None:
            found.append(f"{path}: only in {'after' if a is None else 'before'}")
            continue
        for field in sorted(set(a) | set(b)):
            if field == "stored":
                for key in sorted(set(a[field]) | set(b[field])):
                    if a[field].get(key) != b[field].get(key):
                        found.append(f"{path} {key} differs")
            elif a.get(field) != b.get(field):
                found.append(f"{path} {field}: {a.get(field)!r} != {b.get(field)!r}")
    if before["site_state"] != after["site_state"]:
        found.append("site state differs")
    return found[:limit]
