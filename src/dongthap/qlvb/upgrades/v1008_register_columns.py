"""1007 → 1008 (issue #21 item 4): the year registers are built from the catalog.

Adds the metadata column ``qlvb_register_values`` (the registers' columns that were read from
the documents: recipients, transfer date, deadline, last progress, reply of an incoming
document; sort key, notation, signer, recipients, copies, note of an outgoing one — see
``register_values`` in incoming/indexers.py and outgoing/indexers.py) and fills it for the
registered incoming and the issued outgoing documents: only the metadata record is rewritten
(with the cheap index ``getId``), in batches (a savepoint each, the documents ghosted again),
with a progress line per batch. Until a document has it the registers read that document as
before, so the step may run while the site serves, and again.
"""

from plone import api

import logging
import transaction

logger = logging.getLogger("dongthap.qlvb.upgrades")
COLUMN = "qlvb_register_values"
BATCH = 500
ISSUED = ("issued", "archived", "recalled")


def _documents(catalog):
    yield from catalog.unrestrictedSearchResults(portal_type="IncomingDocument",
                                                 qlvb_arrival_number={"query": 1, "range": "min"})
    yield from catalog.unrestrictedSearchResults(portal_type="OutgoingDocument", review_state=ISSUED)


def register_columns(context=None, commit=True):
    catalog = api.portal.get_tool("portal_catalog")
    if COLUMN not in catalog.schema():
        catalog.addColumn(COLUMN)
    brains = list(_documents(catalog))
    count = 0
    for brain in brains:
        doc = brain._unrestrictedGetObject()
        catalog.catalog_object(doc, brain.getPath(), idxs=["getId"], update_metadata=True)
        doc._p_deactivate()
        count += 1
        if count % BATCH == 0:
            if commit:
                transaction.savepoint(optimistic=True)
            logger.info("1008 (register columns): %d of %d documents", count, len(brains))
    logger.info("1008 (register columns): column %s filled for %d documents", COLUMN, count)
    return count
