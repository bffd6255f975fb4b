"""1006 → 1007 (delegation, issue 17 item 5): the permission ``dongthap.qlvb: Manage delegations``
(rolemap: leaders, Manager). The delegations themselves live in the agencies' annotations and
the delegate's rights are computed at each check (``delegation/roles.py``): nothing else to
migrate. The step may run again."""

from plone import api


def delegation(context):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "rolemap", run_dependencies=False)
