"""1005 → 1006 (issue 20): a checksum of every file of every existing document.

From 1006 a document stores the SHA-256 of its files when they are added or changed
(``qlvb_checksums``, :mod:`dongthap.qlvb.transfer.checksums`), which the integrity check
compares with what the storage returns. Documents from before get theirs here, from the files
as they are now; in batches (the ZODB cache is trimmed after each). A fresh site has no
document: nothing to do.
"""

from dongthap.qlvb.transfer import checksums
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")


def record_checksums(context=None, batch=500):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        object_provides="dongthap.qlvb.documents.interfaces.IQlvbDocument")
    done = 0
    for index, brain in enumerate(brains, start=1):
        doc = brain._unrestrictedGetObject()
        if getattr(doc, checksums.CHECKSUMS_ATTR, None) is None:
            checksums.record(doc)
            done += 1
        if index % batch == 0:
            api.portal.get()._p_jar.cacheGC()
    logger.info("checksums recorded for %s documents", done)
    return done
