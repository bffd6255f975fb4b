"""The rights of a delegate, given at the time of each check (borg.localrole provider).

On a document of the agency, a delegate in force holds the **leader** role locally:

* incoming document waiting for assignment or in handling — when the delegation covers
  assignment (he writes the phiếu giải quyết as the leader would);
* outgoing document waiting for signature whose signer is the delegator — when the
  delegation covers signing (the signature block then shows KT./TL./TUQ., see
  ``outgoing/workflow.py: sign``).

Nothing is stored on the documents and nothing is indexed (:meth:`getAllRoles` is empty), so
an ended or revoked delegation gives nothing at the next check, and search never shows a
delegate a document he may not open.
"""

from borg.localrole.interfaces import ILocalRoleProvider
from dongthap.qlvb.delegation import api
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from zope.component import adapter
from zope.interface import implementer


@implementer(ILocalRoleProvider)
@adapter(IQlvbDocument)
class DelegatedRoles:
    def __init__(self, context):
        self.context = context

    def getRoles(self, principal_id):
        return api.delegated_roles(self.context, principal_id)

    def getAllRoles(self):
        return ()
