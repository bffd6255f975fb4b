"""1004 (accounts): account ids may not start with the groups' prefix; demo seeding runs once."""

from dongthap.qlvb.agencies.api import is_reserved_id
from dongthap.qlvb.agencies.api import reserve_group_prefix
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")


def reserve_prefix(context):
    """Plone's registration tool refuses account ids starting with ``qlvb-``.

    Accounts made before hold such ids still: they are named in the log, for the
    administrator to delete (a role granted to a group of the same id reaches them).
    """
    reserve_group_prefix(api.portal.get())
    squatters = sorted(u.getId() for u in api.user.get_users() if is_reserved_id(u.getId()))
    for userid in squatters:
        logger.warning("account %r has an id reserved for the agencies' groups: delete it", userid)
    return squatters


def mark_demo_seeded(context):
    """A site that already has the demo data is marked seeded: it is never seeded again."""
    from dongthap.qlvb.demo import data as demo_data

    demo_data.mark_existing_site()
