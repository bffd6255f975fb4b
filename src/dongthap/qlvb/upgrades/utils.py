"""Helpers of the upgrade steps: a catalog index or metadata column added when missing, and the
objects of some portal types catalogued again, in batches, with progress in the log.

The usual shape of a step that adds an index or a column (it may run again)::

    from dongthap.qlvb.upgrades.utils import add_column, add_index, reindex

    def my_step(context):
        add_index("qlvb_my_index", "FieldIndex")
        add_column("qlvb_my_index")
        count = reindex("IncomingDocument", idxs=["qlvb_my_index"], metadata=True,
                        review_state=("assigned", "in_progress"))
        logger.info("my step: %d documents indexed", count)
"""

from plone import api

import logging
import transaction

logger = logging.getLogger("dongthap.qlvb.upgrades")

#: objects catalogued between two savepoints (and two progress lines in the log)
BATCH = 500


def add_column(name):
    """Add the catalog metadata column ``name`` unless it is there; True when it was added."""
    catalog = api.portal.get_tool("portal_catalog")
    if name in catalog.schema():
        return False
    catalog.addColumn(name)
    return True


def add_index(name, meta_type="FieldIndex", extra=None):
    """Add the catalog index ``name`` of ``meta_type`` (``FieldIndex``, ``KeywordIndex``…) unless it
    is there; ``extra`` goes to ``catalog.addIndex`` (e.g. ``{"indexed_attrs": name}``). True when
    it was added. The objects are not indexed here: :func:`reindex` does that."""
    catalog = api.portal.get_tool("portal_catalog")
    if name in catalog.indexes():
        return False
    catalog.addIndex(name, meta_type, extra=extra)
    return True


def reindex(portal_type, idxs=(), metadata=False, only=None, batch=BATCH, **query):
    """Catalog again every object of ``portal_type`` (a name or a list) that the catalog query
    ``query`` finds (unrestricted: the step runs as whoever runs the upgrade), and answer how many.

    ``idxs``: the indexes to fill (none: only the metadata); ``metadata``: refresh the metadata
    columns too; ``only(obj)``: leave the objects for which it answers false. A savepoint (and a
    progress line in the log) every ``batch`` objects keeps the memory of a large site in bounds;
    the transaction is the upgrade's: nothing is committed here.
    """
    if not idxs and not metadata:
        raise ValueError("reindex: name the indexes, or ask for the metadata")
    catalog = api.portal.get_tool("portal_catalog")
    # an empty list of indexes would mean all of them: one cheap index when only the metadata is asked
    idxs = list(idxs) or ["getId"]
    brains = catalog.unrestrictedSearchResults(portal_type=portal_type, **query)
    total = len(brains)
    count = 0
    for seen, brain in enumerate(brains, 1):
        obj = brain._unrestrictedGetObject()
        if only is None or only(obj):
            catalog.catalog_object(obj, brain.getPath(), idxs=idxs, update_metadata=metadata)
            count += 1
        if seen % batch == 0:
            transaction.savepoint(optimistic=True)
            logger.info("reindex %s: %d of %d objects seen, %d catalogued", portal_type, seen, total, count)
    return count
