"""1004 → 1005 (audit): the permissions of the audit trail and of the incidents (rolemap).

* "dongthap.qlvb: View access history": who sees a document's view history
  (leaders, clerks, the security officer, the provincial administrator);
* "dongthap.qlvb: Manage security incidents": who moves incidents through
  their states, adds notes and edits the incident-response scenarios.

The audit records themselves are not in the ZODB (docs/audit.md): nothing
else to migrate. The step may run again.
"""

from plone import api


def audit_permissions(context=None):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dongthap.qlvb:default", "rolemap", run_dependencies=False)
