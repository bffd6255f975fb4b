"""1003 → 1004 (xsec): duplicate keys in the one normal form; the axis wire settings.

**Exchange settings**: the wire details of the axis (header names, string to
sign, signature encoding, extra headers, time and response limits) became
registry records of ``IExchangeSettings``; the missing records are added,
the existing values kept (:func:`axis_wire_records`).

**Duplicate keys**:
``incoming_duplicate_key`` (số | ký hiệu | issuing agency) is now built with
:func:`dongthap.qlvb.utils.text.fold` (NFC, case-folded): a document whose
issuer or notation was typed in decomposed Unicode (Unikey "Unicode tổ hợp")
had a key no NFC-typed duplicate could match.  The index is rebuilt for the
incoming documents only (keys of NFC-typed documents do not change).
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

OLD_INDEX = "incoming_duplicate_key"
INDEX = "qlvb_incoming_duplicate_key"  # its name since 1005


def reindex_duplicate_keys(context):
    from dongthap.qlvb.catalog import current_index

    catalog = api.portal.get_tool("portal_catalog")
    index = current_index(catalog, OLD_INDEX)  # qlvb_incoming_duplicate_key since 1005
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="IncomingDocument"):
        obj = brain._unrestrictedGetObject()
        catalog.catalog_object(obj, brain.getPath(), idxs=[index], update_metadata=False)
        count += 1
    logger.info("1004 (xsec): duplicate keys of %s incoming documents rebuilt", count)


def axis_wire_records(context):
    from dongthap.qlvb.exchange.settings import IExchangeSettings, PREFIX
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    kept = {name: registry.records[f"{PREFIX}.{name}"].value for name in IExchangeSettings.names()
            if f"{PREFIX}.{name}" in registry.records}
    registry.registerInterface(IExchangeSettings, prefix=PREFIX)
    for name, value in kept.items():
        registry.records[f"{PREFIX}.{name}"].value = value
    logger.info("1004 (xsec): exchange settings records: %s", ", ".join(sorted(IExchangeSettings.names())))
