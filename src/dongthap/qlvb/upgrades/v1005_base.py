"""1004 → 1005 (base): one document base for incoming and outgoing documents.

* The document types get the shared behaviors (``profiles/default/types``):
  metadata, files, register entry, trail.
* The catalog gets the register entry of every document
  (``qlvb_register_number``, ``qlvb_register_year``, ``qlvb_register_date``).
* Every existing document moves its register entry to the new storage:

  - incoming: ``arrival_number``/``arrival_year``/``arrival_date`` →
    ``register_number``/``register_year``/``register_date``;
  - outgoing: the số ``code_number`` (``"05"``) → ``register_number`` (5),
    ``issued_year``/``issued_at`` → ``register_year``/``register_date``.

  The old names stay readable and writable (they are aliases on the classes,
  :mod:`dongthap.qlvb.content.incoming` / ``outgoing``), but until this step
  runs they hide the values stored under them: the step reads the stored
  values from the object's own state. Running it again changes nothing.
"""

from dongthap.qlvb.documents.indexers import REGISTER_INDEXES
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

PROFILE = "profile-dongthap.qlvb:default"
INDEXES = REGISTER_INDEXES

#: portal type → (old attribute, new attribute, conversion)
MOVES = {
    "IncomingDocument": (("arrival_number", "register_number", None),
                         ("arrival_year", "register_year", None),
                         ("arrival_date", "register_date", None)),
    "OutgoingDocument": (("code_number", "register_number", int),
                         ("issued_year", "register_year", None),
                         ("issued_at", "register_date", None)),
}


def move_register_entry(doc):
    """Move the stored old attributes of ``doc`` to its register entry; True if it changed."""
    doc._p_activate()
    state = doc.__dict__
    changed = False
    for old, new, convert in MOVES[doc.portal_type]:
        if old not in state:
            continue
        value = state.pop(old)
        if value not in (None, "") and convert is not None:
            try:
                value = convert(value)
            except (TypeError, ValueError):
                logger.warning("%s: %s=%r kept as it was (not a number)", doc.absolute_url_path(),
                               old, value)
                state[old] = value
                continue
        if value not in (None, ""):
            state[new] = value
        changed = True
    if changed:
        doc._p_changed = True
    return changed


def document_base(context):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(PROFILE, "typeinfo", run_dependencies=False)
    setup.runImportStepFromProfile(PROFILE, "catalog", run_dependencies=False)
    moved = 0
    for brain in api.content.find(portal_type=list(MOVES), unrestricted=True):
        doc = brain._unrestrictedGetObject()
        if move_register_entry(doc):
            moved += 1
        doc.reindexObject(idxs=list(INDEXES))
    logger.info("register entry moved to the new storage on %d documents", moved)
