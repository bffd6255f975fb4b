"""1004 → 1005 (naming): catalog names prefixed ``qlvb_``, Vietnamese page names (docs/naming.md).

* **Catalog**: every index and metadata column of the add-on is renamed
  ``qlvb_<old name>`` (:data:`dongthap.qlvb.catalog.RENAMED_INDEXES`,
  :data:`~dongthap.qlvb.catalog.RENAMED_COLUMNS`): the new ones are added, filled
  for the agencies and documents, and the old ones removed. Queries give the
  same documents under the new names.
* **Pages**: the views users see got Vietnamese names (:data:`RENAMED_VIEWS`);
  the types' default views and choosable views, and the layouts stored on
  objects (the site's start page), follow.

The step may run again: what is already renamed is left as it is.
"""

from Acquisition import aq_base
from dongthap.qlvb.catalog import RENAMED_COLUMNS
from dongthap.qlvb.catalog import RENAMED_INDEXES
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

#: Page (browser view) names before 1005 → today's.
RENAMED_VIEWS = {
    "incoming-dashboard": "van-ban-den",
    "incoming-view": "xem-van-ban-den",
    "outgoing-view": "xem-van-ban-di",
    "outgoing-version": "phien-ban-du-thao",
    "agency-view": "co-quan",
    "exchange-problems": "su-co-lien-thong",
    "qlvb-home": "trang-chu",
    "signatures": "chu-ky-so",
}

#: The types whose objects carry the renamed catalog values.
CATALOGUED_TYPES = ("Agency", "IncomingDocument", "OutgoingDocument")
#: The types whose objects may have a stored layout (besides the site).
LAYOUT_TYPES = ("Agency", "Department", "IncomingFolder", "IncomingDocument", "OutgoingFolder",
                "OutgoingDocument")


def rename_catalog(context):
    catalog = api.portal.get_tool("portal_catalog")
    added = []
    for old, new in RENAMED_INDEXES.items():
        if new not in catalog.indexes():
            meta_type = (catalog._catalog.getIndex(old).meta_type if old in catalog.indexes()
                         else "FieldIndex")
            catalog.addIndex(new, meta_type, extra={"indexed_attrs": new})
            added.append(new)
    new_columns = [new for old, new in RENAMED_COLUMNS.items() if new not in catalog.schema()]
    for new in new_columns:
        catalog.addColumn(new)
    # New names that an earlier step (the catalog profile import of the document base) already
    # created empty are filled too, as long as the old name still holds the values.
    added += [new for old, new in RENAMED_INDEXES.items() if old in catalog.indexes() and new not in added]
    new_columns += [new for old, new in RENAMED_COLUMNS.items()
                    if old in catalog.schema() and new not in new_columns]
    if added or new_columns:
        from dongthap.qlvb.signing.behaviors import ISignedDocumentMarker

        seen = set()
        for query in ({"portal_type": list(CATALOGUED_TYPES)},
                      {"object_provides": ISignedDocumentMarker.__identifier__}):
            for brain in catalog.unrestrictedSearchResults(**query):
                path = brain.getPath()
                if path in seen:
                    continue
                seen.add(path)
                obj = brain._unrestrictedGetObject()
                catalog.catalog_object(obj, path, idxs=added or ["getId"], update_metadata=True)
        logger.info("1005: indexes %s and columns %s filled for %d objects", added, new_columns, len(seen))
    for old in RENAMED_INDEXES:
        if old in catalog.indexes():
            catalog.delIndex(old)
    for old in RENAMED_COLUMNS:
        if old in catalog.schema():
            catalog.delColumn(old)


def rename_views(context):
    types = api.portal.get_tool("portal_types")
    for fti in types.objectValues():
        default_view = getattr(fti, "default_view", None)
        methods = tuple(getattr(fti, "view_methods", ()) or ())
        if default_view in RENAMED_VIEWS:
            fti._updateProperty("default_view", RENAMED_VIEWS[default_view])
        if any(m in RENAMED_VIEWS for m in methods):
            renamed = []
            for method in methods:
                method = RENAMED_VIEWS.get(method, method)
                if method not in renamed:
                    renamed.append(method)
            fti._updateProperty("view_methods", tuple(renamed))
    portal = api.portal.get()
    count = _rename_layout(portal)
    catalog = api.portal.get_tool("portal_catalog")
    for brain in catalog.unrestrictedSearchResults(portal_type=list(LAYOUT_TYPES)):
        count += _rename_layout(brain._unrestrictedGetObject())
    logger.info("1005: %d stored layouts renamed", count)


def _rename_layout(obj):
    layout = getattr(aq_base(obj), "layout", None)
    if layout in RENAMED_VIEWS:
        obj.setLayout(RENAMED_VIEWS[layout])
        return 1
    return 0
