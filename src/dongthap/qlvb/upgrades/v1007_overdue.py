"""1006 → 1007 (issue 17 item 6): the catalog column ``qlvb_handling_outcomes`` (on time / late per
handling entry of a completed incoming document, ``reports/punctuality.py``), filled for the
completed and archived incoming documents. The step may run again."""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

COLUMN = "qlvb_handling_outcomes"


def overdue(context):
    catalog = api.portal.get_tool("portal_catalog")
    if COLUMN not in catalog.schema():
        catalog.addColumn(COLUMN)
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="IncomingDocument",
                                                   review_state=("completed", "archived")):
        obj = brain._unrestrictedGetObject()
        catalog.catalog_object(obj, brain.getPath(), idxs=["getId"], update_metadata=True)
        count += 1
    logger.info("overdue accounting: column %s filled for %d completed documents", COLUMN, count)
