"""1004 → 1005 (records, issue 14): the document workflows as the records side needs them.

* records managers (``QlvbRecordsManager``) see the incoming documents of their agency
  from registration on (they file them into dossiers), not only once completed;
* the ``archive`` transition of incoming and outgoing documents is run by the system
  only (when the dossier holding the document is transferred), never offered to users.

Imports the two workflow definitions and updates the role mappings of every document
that follows them (and its catalog security).
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
PROFILE = "profile-dongthap.qlvb:default"
WORKFLOWS = ("qlvb_incoming_workflow", "qlvb_outgoing_workflow")


def document_workflows(context=None):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(PROFILE, "workflow", run_dependencies=False)
    wf = api.portal.get_tool("portal_workflow")
    catalog = api.portal.get_tool("portal_catalog")
    changed = 0
    for wid in WORKFLOWS:
        workflow = wf.getWorkflowById(wid)
        types = [t for t in api.portal.get_tool("portal_types").objectIds()
                 if wid in wf.getChainForPortalType(t)]
        for brain in catalog.unrestrictedSearchResults(portal_type=types):
            obj = brain._unrestrictedGetObject()
            if workflow.updateRoleMappingsFor(obj):
                obj.reindexObjectSecurity()
                changed += 1
    logger.info("document workflows updated (%d documents changed)", changed)
