"""1005 → 1006 (issue 22 items 3, 4, 6): recall that destroys, duplicates before registration,
reply deadlines.

* ``rolemap``: the permission "dongthap.qlvb: Destroy recalled document" (Manager, Site
  Administrator, QlvbClerk);
* catalog: the indexes ``qlvb_exchange_document_id`` (duplicates by exchange DocumentId) and
  ``qlvb_reply_due`` (+ column: the earliest reply deadline still awaited), filled; the duplicate
  keys rebuilt (diacritics no longer count) and ``qlvb_recall_pending`` recomputed;
* a registered copy that carried the old recall notice (``qlvb_recall_notice``, acknowledged or
  not) is frozen like a new recall: its clerk now destroys it (``recall/api.py``).

The steps may run again.
"""

from persistent.mapping import PersistentMapping
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
PROFILE = "profile-dongthap.qlvb:default"
INDEXES = {"qlvb_exchange_document_id": "IncomingDocument", "qlvb_reply_due": "OutgoingDocument"}
COLUMNS = ("qlvb_reply_due",)


def permissions(context=None):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(PROFILE, "rolemap", run_dependencies=False)
    logger.info("1006 (recall): rolemap imported (Destroy recalled document)")


def catalog(context=None):
    catalog = api.portal.get_tool("portal_catalog")
    for name in INDEXES:
        if name not in catalog.indexes():
            catalog.addIndex(name, "FieldIndex", extra={"indexed_attrs": name})
    for name in COLUMNS:
        if name not in catalog.schema():
            catalog.addColumn(name)
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="IncomingDocument"):
        obj = brain._unrestrictedGetObject()
        catalog.catalog_object(obj, brain.getPath(), idxs=[
            "qlvb_exchange_document_id", "qlvb_incoming_duplicate_key", "qlvb_recall_pending"],
            update_metadata=False)
        count += 1
    for brain in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument"):
        obj = brain._unrestrictedGetObject()
        catalog.catalog_object(obj, brain.getPath(), idxs=["qlvb_reply_due"], update_metadata=True)
        count += 1
    logger.info("1006 (recall): catalog indexes %s, %d documents indexed", sorted(INDEXES), count)


def recall_notices(context=None):
    """Old recall notices on registered copies become freezes waiting for destruction."""
    from dongthap.qlvb.recall.api import FROZEN_ATTR

    catalog = api.portal.get_tool("portal_catalog")
    moved = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="IncomingDocument"):
        obj = brain._unrestrictedGetObject()
        notice = obj.__dict__.get("qlvb_recall_notice")
        if not notice or getattr(obj, FROZEN_ATTR, None) is not None:
            continue
        setattr(obj, FROZEN_ATTR, PersistentMapping(
            at=notice.get("at", ""), reason=notice.get("reason", ""), sender=notice.get("sender", ""),
            sender_name=notice.get("sender", ""), notation=notice.get("notation", ""), origin="internal",
            document_id="", source_uid=getattr(obj, "qlvb_source_outgoing", "") or "", replaced_by="",
            pending_destruction=True))
        del obj.qlvb_recall_notice
        obj.reindexObject(idxs=["qlvb_recall_pending"])
        moved += 1
    logger.info("1006 (recall): %d recall notices became freezes waiting for destruction", moved)


def upgrade(context=None):
    permissions(context)
    catalog(context)
    recall_notices(context)
