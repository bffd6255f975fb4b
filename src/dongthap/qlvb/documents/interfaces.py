"""What every document of the system is, whatever its kind.

Dossiers, search, reports and export treat "a document" through this
interface: incoming (văn bản đến) and outgoing (văn bản đi) documents
provide it today, other records (reports, minutes uploaded into a dossier)
will tomorrow.
"""

from zope.interface import Interface


class IQlvbDocument(Interface):
    """A document registered by an agency (văn bản), of any kind."""
