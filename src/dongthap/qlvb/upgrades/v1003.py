"""1002 → 1003: the outgoing workflow no longer stores the history inside each history entry.

``review_history`` was a status variable of ``qlvb_outgoing_workflow``: every
transition stored the whole history so far in its own entry, so the stored
history grew exponentially with the number of transitions. The workflow
definition is imported again (``review_history`` is computed on access, as
in Plone's workflows) and the nested copies are removed from the documents.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

WORKFLOW = "qlvb_outgoing_workflow"


def reimport_workflows(context):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "workflow",
                                   run_dependencies=False)


def strip_nested_history(context):
    count = 0
    for brain in api.content.find(portal_type="OutgoingDocument", unrestricted=True):
        obj = brain._unrestrictedGetObject()
        history = getattr(obj, "workflow_history", None) or {}
        entries = history.get(WORKFLOW)
        if not entries or not any("review_history" in e for e in entries):
            continue
        history[WORKFLOW] = tuple({k: v for k, v in e.items() if k != "review_history"}
                                  for e in entries)
        obj._p_changed = True
        count += 1
    logger.info("nested review_history removed from %d outgoing documents", count)
