"""1008 → 1009: the lead (chủ trì) of each task in the catalog, for the column of the task lists.

Adds the metadata column ``qlvb_task_lead`` (``"user:<id>"`` or ``"department:<id>"``,
:func:`dongthap.qlvb.tasks.indexers.qlvb_task_lead`) and catalogs the existing tasks' metadata
again, in batches; no index changes. Until a task is reached its "Chủ trì" cell is empty. May run
again.
"""

from dongthap.qlvb.upgrades.utils import add_column
from dongthap.qlvb.upgrades.utils import reindex

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
COLUMN = "qlvb_task_lead"


def task_lead(context=None):
    add_column(COLUMN)
    count = reindex("Task", metadata=True)
    logger.info("task lead: column %s, %d task(s) catalogued", COLUMN, count)
    return count
