"""1001 → 1002: the outgoing register folders block the navigation portlets too.

Incoming register folders always did; outgoing ones were created without it
before both used :mod:`dongthap.qlvb.documents.storage`.
"""

from dongthap.qlvb.documents.storage import block_portlets
from dongthap.qlvb.outgoing.api import outgoing_root
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")


def outgoing_portlets(context):
    count = 0
    for brain in api.content.find(portal_type="Agency", unrestricted=True):
        root = outgoing_root(brain._unrestrictedGetObject())
        if root is None:
            continue
        years = [obj for obj in root.objectValues() if obj.portal_type == "OutgoingFolder"]
        for folder in [root, *years]:
            block_portlets(folder)
            count += 1
    logger.info("navigation portlets blocked on %d outgoing register folders", count)
