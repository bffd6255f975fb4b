"""1005 → 1006 (issue 22, gaps): documents signed by hand reach the clerk; copies legal by their own seal.

* catalog: the index ``qlvb_sign_by_hand`` (``True`` on an approved outgoing document whose signer
  signs it on paper, ``outgoing/paper.py``: the clerk's "chờ phát hành" list), filled;
* every copy (``DocumentCopy``) is verified again: an issued electronic copy is marked sealed
  (``qlvb_sealed_at``, its issue date) and is legal by its own seal only; the others, which
  showed the original's embedded signatures as "legal", become ``reference``;
* every copy is listed on its original (``qlvb_copies``), also those still prepared or signed
  (before, an original listed its copies only once issued).

The steps may run again.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
INDEX = "qlvb_sign_by_hand"


def upgrade(context=None):
    sign_by_hand_index()
    copies()


def sign_by_hand_index(context=None):
    catalog = api.portal.get_tool("portal_catalog")
    if INDEX not in catalog.indexes():
        catalog.addIndex(INDEX, "FieldIndex", extra={"indexed_attrs": INDEX})
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument", review_state="approved"):
        catalog.catalog_object(brain._unrestrictedGetObject(), brain.getPath(), idxs=[INDEX],
                               update_metadata=False)
        count += 1
    logger.info("1006 (sign by hand): index %s, %d approved documents indexed", INDEX, count)


def copies(context=None):
    from dongthap.qlvb.copies.api import record_on_original
    from dongthap.qlvb.signing import api as signing

    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="DocumentCopy"):
        copy = brain._unrestrictedGetObject()
        sealed = (api.content.get_state(copy) == "issued" and copy.copy_medium == "electronic"
                  and copy.register_date is not None)
        if sealed and not getattr(copy, "qlvb_sealed_at", None):
            copy.qlvb_sealed_at = copy.register_date.isoformat()
        signing.verify(document=copy)
        record_on_original(copy)
        count += 1
    logger.info("1006 (sign by hand): %d copies verified again", count)
