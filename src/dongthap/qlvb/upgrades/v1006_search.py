"""1005 → 1006: Vietnamese search.

* the catalog's text indexes ``SearchableText``, ``Title`` and ``Description`` use the lexicon
  ``qlvb_lexicon`` (:mod:`dongthap.qlvb.search.lexicon`: every diacritic of every letter folded,
  đ = d, old and new tone placement alike, numbers without leading zeros): re-created with it
  and refilled for every catalogued object — which also puts each document's number
  ("Số 12/UBND-VP") into its searchable text;
* the text indexes of the filters ``qlvb_issuer_text``, ``qlvb_signer_text`` and
  ``qlvb_recipient_text`` (:mod:`dongthap.qlvb.search.indexers`) are added and filled;
* the index ``qlvb_fulltext_status`` is added and every document with a file is queued for
  the full-text worker (:mod:`dongthap.qlvb.search.fulltext`);
* the duplicate keys of incoming documents are recomputed (the issuer now compared by
  :func:`dongthap.qlvb.utils.text.search_key`).

A fresh install reaches the same state (``setuphandlers.post_install``). The step may run again.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")


def vietnamese_search(context):
    from dongthap.qlvb.search import lexicon

    catalog = api.portal.get_tool("portal_catalog")
    lexicon.ensure_lexicon(catalog)
    before = set(catalog.indexes())
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "catalog", run_dependencies=False)
    changed = lexicon.install(catalog, reindex=False) + sorted(set(catalog.indexes()) - before)
    names = [*changed, "qlvb_incoming_duplicate_key"]
    if "SearchableText" not in changed:
        names.append("SearchableText")  # the number phrase of documents
    count = 0
    for brain in lexicon.every_brain(catalog):
        try:
            obj = brain._unrestrictedGetObject()
        except (AttributeError, KeyError):
            continue
        idxs = names if brain.portal_type in ("IncomingDocument", "OutgoingDocument") else changed
        if idxs:
            catalog.catalog_object(obj, brain.getPath(), idxs=list(idxs), update_metadata=False)
            count += 1
    # every document with a file waits for the full-text worker (scripts/fulltext_worker.py)
    from dongthap.qlvb.search import fulltext

    queued = 0
    for brain in catalog.unrestrictedSearchResults(portal_type=["IncomingDocument", "OutgoingDocument"]):
        obj = brain._unrestrictedGetObject()
        if getattr(obj, "qlvb_fulltext_status", None) is None:
            fulltext.mark_pending(obj)
            queued += 1
    logger.info("1006 (search): %d documents queued for text extraction", queued)
    logger.info("1006 (search): text indexes %s re-created; %d objects re-indexed", changed, count)
