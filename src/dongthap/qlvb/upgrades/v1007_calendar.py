"""1006 → 1007 (work calendar): the permissions and the navigation tab of the weekly work calendar.

* imports the rolemap: "View work calendar" (every agency role), "Draft work calendar"
  (QlvbClerk), "Approve work calendar" (QlvbLeader);
* imports the actions: the tab "Lịch công tác".

No content is created: an agency's calendar (an annotation of the agency) is made by its first
event, so every existing agency has its calendar at once. The step may run again.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")


def calendar(context):
    setup = api.portal.get_tool("portal_setup")
    for step in ("rolemap", "actions"):
        setup.runImportStepFromProfile("profile-dongthap.qlvb:default", step, run_dependencies=False)
    logger.info("work calendar: permissions and navigation tab imported")
