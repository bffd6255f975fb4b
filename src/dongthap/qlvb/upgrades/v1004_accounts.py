"""1004 (accounts): account ids may not start with the groups' prefix; demo seeding runs once."""

from dongthap.qlvb.agencies.api import reserve_group_prefix
from plone import api


def reserve_prefix(context):
    """Plone's registration tool refuses account ids starting with ``qlvb-``."""
    reserve_group_prefix(api.portal.get())


def mark_demo_seeded(context):
    """A site that already has the demo data is marked seeded: it is never seeded again."""
    from dongthap.qlvb.demo import data as demo_data

    demo_data.mark_existing_site()
