"""1005 → 1006 (issue #22, items 1, 2, 5): paper-signed issuing, copies, the receiving agency's code.

* :func:`paper_issue`: imports the workflows: ``qlvb_outgoing_workflow`` gains
  ``issue_paper`` (``approved`` → ``issued``, the clerk), the issue of a document
  signed by hand with its scanned original (``outgoing/paper.py``); no role mapping
  changes;
* :func:`copies`: the types ``DocumentCopy`` and ``CopyFolder`` (and ``Agency``, which may
  hold the register of copies), ``qlvb_copy_workflow`` and its binding, the permissions
  "Add document copy" and "View register of copies" with their default roles;
* :func:`receiving_agency_code`: adds the catalog index and column
  ``qlvb_receiving_agency_code`` and stores on every existing incoming document
  the code of the agency whose register holds it (Phụ lục VI III.1.g).

Every step may run again.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

INDEX = "qlvb_receiving_agency_code"


def paper_issue(context=None):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "workflow", run_dependencies=False)
    workflow = api.portal.get_tool("portal_workflow").getWorkflowById("qlvb_outgoing_workflow")
    logger.info("outgoing workflow: issue_paper %s", "issue_paper" in workflow.transitions.objectIds())


def copies(context=None):
    setup = api.portal.get_tool("portal_setup")
    for step in ("typeinfo", "workflow", "rolemap"):
        setup.runImportStepFromProfile("profile-dongthap.qlvb:default", step, run_dependencies=False)
    chain = api.portal.get_tool("portal_workflow").getChainForPortalType("DocumentCopy")
    logger.info("copies: DocumentCopy bound to %s", chain)


def receiving_agency_code(context=None):
    from dongthap.qlvb.incoming.factory import receiving_agency_code as code_of

    catalog = api.portal.get_tool("portal_catalog")
    if INDEX not in catalog.indexes():
        catalog.addIndex(INDEX, "FieldIndex")
    if INDEX not in catalog.schema():
        catalog.addColumn(INDEX)
    count = 0
    for brain in catalog.unrestrictedSearchResults(portal_type="IncomingDocument"):
        doc = brain._unrestrictedGetObject()
        code = code_of(doc)
        if code and doc.receiving_agency_code != code:
            doc.receiving_agency_code = code
        catalog.catalog_object(doc, brain.getPath(), idxs=[INDEX], update_metadata=True)
        count += 1
    logger.info("receiving agency code stored on %d incoming documents", count)
