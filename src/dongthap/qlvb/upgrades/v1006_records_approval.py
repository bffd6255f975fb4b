"""1005 → 1006 (issue 14, the records side finished): the leader approves transfers; the desk
counts dossiers due for transfer.

* the permission ``dongthap.qlvb: Approve transfer`` (QlvbLeader) from ``rolemap.xml``;
* the catalog index ``qlvb_transfer_due`` (the day a dossier is due in the archive), filled
  for every dossier;
* transfers stored before (state ``submitted``: handed over, never approved) await the
  leader's approval (``proposed``), with an empty history.

The step may run again.
"""

from persistent.list import PersistentList
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
PROFILE = "profile-dongthap.qlvb:default"
INDEX = "qlvb_transfer_due"


def records_approval(context=None):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(PROFILE, "rolemap", run_dependencies=False)
    catalog = api.portal.get_tool("portal_catalog")
    if INDEX not in catalog.indexes():
        catalog.addIndex(INDEX, "FieldIndex")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="Dossier"):
        catalog.catalog_object(brain._unrestrictedGetObject(), brain.getPath(), idxs=[INDEX],
                               update_metadata=False)
        count += 1
    moved = 0
    from dongthap.qlvb.archive import api as archive

    for brain in catalog.unrestrictedSearchResults(portal_type="Agency"):
        store = archive._store(brain._unrestrictedGetObject())
        if store is None:
            continue
        for transfer in store["transfers"].values():
            if "history" not in transfer:
                transfer["history"] = PersistentList()
            transfer.setdefault("approved_by", None)
            transfer.setdefault("approved_at", None)
            transfer.setdefault("returned_by", None)
            if transfer["state"] == "submitted":
                transfer["state"] = archive.PROPOSED
                moved += 1
    logger.info("records approval: %d dossiers indexed, %d transfers await the leader's approval",
                count, moved)
