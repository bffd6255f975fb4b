"""The hook through which a capability puts its work lists on the desk (docs/desk.md)."""

from zope.interface import Attribute
from zope.interface import Interface


class IDeskSection(Interface):
    """A named adapter of an agency (``IAgency``): one group of lists on the desk.

    Register one per capability (incoming documents, outgoing documents, dossiers, tasks…);
    the desk shows every registered section, by :attr:`order`, without knowing them."""

    order = Attribute("int: sections are shown in ascending order")
    title = Attribute("message id: the heading of the section")

    def items(userid, roles):
        """The lists of this section the user works with in the agency (``roles``: his roles
        there): ``[{"key", "title" (message id), "count" (int), "url", "tone"}]``, ``tone``
        being ``"danger"`` (overdue: red), ``"warning"`` (due soon: amber) or None. Counts must
        be cheap: a catalog query's length, never loading documents."""
