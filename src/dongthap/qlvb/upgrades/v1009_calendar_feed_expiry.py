"""1008 → 1009: iCal subscription addresses of the work calendar expire.

Adds the registry record ``dongthap.qlvb.workcalendar.feed_token_days`` (default 365) and dates
every existing token as made now: the addresses already subscribed keep working for the
configured number of days from the upgrade, then answer 410 "expired" until their owner makes
new ones (or revokes them) on the calendar page. It may run again (dated tokens keep their date).
"""

from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import logging
import time

logger = logging.getLogger("dongthap.qlvb.upgrades")


def calendar_feed_expiry(context=None):
    from BTrees.OOBTree import OOBTree
    from dongthap.qlvb.workcalendar import api as cal
    from dongthap.qlvb.workcalendar.settings import IWorkCalendarSettings
    from dongthap.qlvb.workcalendar.settings import PREFIX
    from zope.annotation.interfaces import IAnnotations

    getUtility(IRegistry).registerInterface(IWorkCalendarSettings, prefix=PREFIX)
    tokens = IAnnotations(api.portal.get()).get(cal.TOKENS_KEY)
    dated = 0
    if tokens is not None:
        if "issued" not in tokens:
            tokens["issued"] = OOBTree()
        now = time.time()
        for token in tokens["by_token"].keys():
            if token not in tokens["issued"]:
                tokens["issued"][token] = now
                dated += 1
    logger.info("1009 (calendar feed expiry): %d existing iCal tokens dated", dated)
    return dated
