"""1003 → 1004 (docs): incoming documents added without an arrival date get one.

Before every path went through :mod:`dongthap.qlvb.incoming.factory`, Plone's
generic add form created incoming documents without ``arrival_date``; the
register listed them badly (and broke). They arrived when they were created:
their creation time becomes their arrival date.
"""

from dongthap.qlvb.incoming.factory import stamp
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")


def incoming_arrival_dates(context):
    from dongthap.qlvb.catalog import current_column
    from dongthap.qlvb.catalog import current_index

    catalog = api.portal.get_tool("portal_catalog")
    column = current_column(catalog, "arrival_day")  # qlvb_arrival_day since 1005
    index = current_index(catalog, "arrival_day")
    fixed = 0
    for brain in api.content.find(portal_type="IncomingDocument", unrestricted=True):
        if getattr(brain, column, None) is not None:
            continue
        doc = brain._unrestrictedGetObject()
        if getattr(doc, "arrival_date", None) is not None:
            doc.reindexObject(idxs=[index])
            continue
        stamp(doc, doc.created().asdatetime())
        doc.reindexObject(idxs=[index])
        fixed += 1
    logger.info("arrival date set on %d incoming documents from their creation time", fixed)
