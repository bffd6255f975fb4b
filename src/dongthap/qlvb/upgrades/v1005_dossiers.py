"""1004 → 1005 (dossiers, issue 14): dossier types, their workflow, roles, indexes, settings.

Imports from the profile what dossiers need on a site installed before them: the
types (``Dossier``, ``DossierFolder``, ``DossierRecord``, and ``Agency`` now allowing
``DossierFolder``), ``qlvb_dossier_workflow`` and its bindings, the local roles
``QlvbDossierOwner``/``QlvbDossierReader`` and the dossier permissions, the catalog
indexes and columns (new indexes are filled from the existing content), the
registry record of retention periods (existing values kept).
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
PROFILE = "profile-dongthap.qlvb:default"
INDEXES = (
    "qlvb_documents", "qlvb_file_code", "qlvb_dossier_department", "qlvb_dossier_responsible",
    "qlvb_dossier_year",
)


def install_dossiers(context=None):
    setup = api.portal.get_tool("portal_setup")
    catalog = api.portal.get_tool("portal_catalog")
    before = set(catalog.indexes())
    for step in ("typeinfo", "workflow", "rolemap", "catalog", "plone.app.registry"):
        setup.runImportStepFromProfile(PROFILE, step, run_dependencies=False)
    added = [name for name in INDEXES if name not in before]
    if added:
        catalog.manage_reindexIndex(ids=added)
    api.portal.get_tool("portal_workflow").updateRoleMappings()
    logger.info("dossiers installed (new indexes: %s)", ", ".join(added) or "none")
