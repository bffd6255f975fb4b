"""1006 → 1007 (issue #21, found by the data generator): "Nơi nhận" knows the internal recipients.

The text index ``qlvb_recipient_text`` looked the internal recipients up by agency code while
documents store their UIDs, so it held only the external recipients: the search filter
"Nơi nhận" never found a document by an agency of the system. The indexer now reads UIDs
(``search/indexers.py``); this step refills the index for every outgoing document with internal
recipients (the index only, no metadata, in batches committed as they go). It may run again.
"""

from plone import api

import logging
import transaction

logger = logging.getLogger("dongthap.qlvb.upgrades")
INDEX = "qlvb_recipient_text"
BATCH = 500


def recipient_text(context=None, commit=True):
    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument"):
        doc = brain._unrestrictedGetObject()
        if not getattr(doc, "internal_recipients", None):
            continue
        catalog.catalog_object(doc, brain.getPath(), idxs=[INDEX], update_metadata=False)
        count += 1
        if commit and count % BATCH == 0:
            transaction.savepoint(optimistic=True)
    logger.info("1007 (recipient text): %d outgoing documents reindexed", count)
    return count
