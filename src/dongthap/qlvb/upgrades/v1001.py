"""1000 → 1001: departments get members groups; the review index holds departments.

* every existing ``Department`` gets its members group (empty: the agency
  admins then put their staff in departments on the "Cán bộ" page);
* ``outgoing_review_role`` becomes a KeywordIndex holding
  ``QlvbDepartmentHead:<department>`` keys, and is rebuilt for the outgoing
  documents. Drafts already under review keep being reviewable by every
  department head of their agency (they have no stored review departments).
"""

from dongthap.qlvb.agencies.departments import ensure_members_group
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

OLD_INDEX = "outgoing_review_role"


def department_groups(context):
    count = 0
    for brain in api.content.find(portal_type="Department", unrestricted=True):
        ensure_members_group(brain._unrestrictedGetObject())
        count += 1
    logger.info("members groups ensured for %d departments", count)


def review_index(context):
    from dongthap.qlvb.catalog import current_index

    catalog = api.portal.get_tool("portal_catalog")
    index = current_index(catalog, OLD_INDEX)  # qlvb_outgoing_review_role since 1005
    if index in catalog.indexes() and catalog._catalog.getIndex(index).meta_type != "KeywordIndex":
        catalog.delIndex(index)
    if index not in catalog.indexes():
        catalog.addIndex(index, "KeywordIndex", extra={"indexed_attrs": index})
    brains = api.content.find(portal_type="OutgoingDocument", unrestricted=True)
    for brain in brains:
        brain._unrestrictedGetObject().reindexObject(idxs=[index])
    logger.info("%s rebuilt for %d outgoing documents", index, len(brains))
