"""1006 → 1007 (issue 17 item 6): the catalog column ``qlvb_handling_outcomes`` (on time / late per
handling entry of a completed incoming document, ``reports/punctuality.py``), filled for the
completed and archived incoming documents. The step may run again."""

from dongthap.qlvb.upgrades.utils import add_column
from dongthap.qlvb.upgrades.utils import reindex

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

COLUMN = "qlvb_handling_outcomes"


def overdue(context):
    add_column(COLUMN)
    count = reindex("IncomingDocument", metadata=True, review_state=("completed", "archived"))
    logger.info("overdue accounting: column %s filled for %d completed documents", COLUMN, count)
