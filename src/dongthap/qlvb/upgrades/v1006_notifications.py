"""1005 → 1006 (notifications, issue 17).

* rolemap: ``dongthap.qlvb: View own notifications`` for every logged-in person;
* the catalog metadata column ``qlvb_open_assignments`` (read by the reminder job,
  :mod:`dongthap.qlvb.notifications.indexers`), filled for incoming documents in handling.

The step may run again.
"""

from dongthap.qlvb.upgrades.utils import add_column
from dongthap.qlvb.upgrades.utils import reindex
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

COLUMN = "qlvb_open_assignments"


def notifications(context):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "rolemap", run_dependencies=False)
    add_column(COLUMN)
    count = reindex("IncomingDocument", metadata=True, review_state=("assigned", "in_progress"))
    logger.info("notifications: column %s, %d documents in handling refreshed", COLUMN, count)
