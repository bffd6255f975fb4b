"""1004 → 1005 (desk): the sort keys of the paged work lists and the top navigation.

* adds the catalog indexes ``qlvb_urgency_rank`` and ``qlvb_deadline``
  (:mod:`dongthap.qlvb.desk.indexers`) and fills them for every document;
* imports the ``actions`` step: the tabs "Bàn làm việc", "Văn bản đến", "Văn bản đi",
  "Hồ sơ", "Sổ, báo cáo", "Cán bộ" of the top navigation (shown by permission).

The step may run again.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

INDEXES = ("qlvb_urgency_rank", "qlvb_deadline")


def desk(context):
    catalog = api.portal.get_tool("portal_catalog")
    added = [name for name in INDEXES if name not in catalog.indexes()]
    for name in added:
        catalog.addIndex(name, "FieldIndex")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=["IncomingDocument", "OutgoingDocument"]):
        obj = brain._unrestrictedGetObject()
        catalog.catalog_object(obj, brain.getPath(), idxs=list(INDEXES), update_metadata=False)
        count += 1
    logger.info("desk: indexes %s added, %d documents indexed", added, count)
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "actions", run_dependencies=False)
