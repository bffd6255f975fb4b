"""1004 → 1005 (the agency archive, issue 14): the archive's permissions and their default roles.

Transfers, disposal lists and legal holds are stored lazily (an annotation of the
agency, an attribute of the dossier) and need no migration; the five permissions
(export, import, submit transfer, manage archive, approve disposal) get their
default roles from ``rolemap.xml``.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")
PROFILE = "profile-dongthap.qlvb:default"


def install_archive(context=None):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile(PROFILE, "rolemap", run_dependencies=False)
    logger.info("archive permissions installed")
