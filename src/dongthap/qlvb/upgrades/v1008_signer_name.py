"""1007 → 1008 (issue #21, a hot spot of the data generator): the signer's name on the document.

Outgoing documents now keep the full name of the person who signs them
(``outgoing.api.SIGNER_NAME_ATTR``: the signer, or the delegate who signed for him), stored
when the signer is chosen or changed and at signing; the index ``qlvb_signer_text`` and the
lists read it instead of asking PAS on every reindex. This step stores it on every existing
outgoing document (the value indexed does not change, so nothing is reindexed). Documents it
has not reached yet still work: :func:`outgoing.api.signer_name` asks PAS when the stored name
is missing. It may run again.
"""

from plone import api

import logging
import transaction

logger = logging.getLogger("dongthap.qlvb.upgrades")
BATCH = 500


def signer_name(context=None, commit=True):
    from dongthap.qlvb.outgoing.api import remember_signer_name

    catalog = api.portal.get_tool("portal_catalog")
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="OutgoingDocument"):
        remember_signer_name(brain._unrestrictedGetObject())
        count += 1
        if commit and count % BATCH == 0:
            transaction.savepoint(optimistic=True)
    logger.info("1008 (signer name): stored on %d outgoing documents", count)
    return count
