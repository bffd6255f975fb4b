"""1005 → 1006 (reports): the catalog indexes the reports count on and their permissions.

* adds the indexes of :mod:`dongthap.qlvb.reports.indexers` (``qlvb_report_agency``,
  ``qlvb_report_day``, ``qlvb_channel``, ``qlvb_medium``, ``qlvb_completed_day``,
  ``qlvb_on_time``, ``qlvb_report_deadline``, ``qlvb_report_handlers``) and fills them for
  every document (the one time the objects are woken: the reports never do);
* imports the rolemap: "View province reports", "View agency reports", "View unit reports".

The step may run again.
"""

from dongthap.qlvb.reports.indexers import FIELD_INDEXES
from dongthap.qlvb.reports.indexers import KEYWORD_INDEXES
from dongthap.qlvb.reports.indexers import REPORT_INDEXES
from plone import api

import logging
import transaction

logger = logging.getLogger("dongthap.qlvb.upgrades")


class _Extra:
    def __init__(self, name):
        self.indexed_attrs = [name]


def add_report_indexes(catalog):
    added = []
    for names, meta_type in ((FIELD_INDEXES, "FieldIndex"), (KEYWORD_INDEXES, "KeywordIndex")):
        for name in names:
            if name not in catalog.indexes():
                catalog.addIndex(name, meta_type, extra=_Extra(name))
                added.append(name)
    return added


def reports(context):
    catalog = api.portal.get_tool("portal_catalog")
    added = add_report_indexes(catalog)
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=["IncomingDocument", "OutgoingDocument"]):
        obj = brain._unrestrictedGetObject()
        catalog.catalog_object(obj, brain.getPath(), idxs=list(REPORT_INDEXES), update_metadata=False)
        count += 1
        if count % 1000 == 0:
            transaction.savepoint(optimistic=True)
    logger.info("reports: indexes %s added, %d documents indexed", added, count)
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "rolemap", run_dependencies=False)
