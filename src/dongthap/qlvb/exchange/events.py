"""Events of the exchange (outgoing documents may subscribe)."""

from __future__ import annotations

from zope.interface import Attribute, Interface, implementer


class IRecipientStatusChanged(Interface):
    """A recipient reported a business status (01…06, 13, 15, 16) for one of our documents."""

    document_uid = Attribute("UID of our (outgoing) document")
    organ_id = Attribute("OrganId of the recipient")
    code = Attribute("status code")
    description = Attribute("free text of the recipient")


@implementer(IRecipientStatusChanged)
class RecipientStatusChanged:
    def __init__(self, document_uid, organ_id, code, description=""):
        self.document_uid = document_uid
        self.organ_id = organ_id
        self.code = code
        self.description = description
