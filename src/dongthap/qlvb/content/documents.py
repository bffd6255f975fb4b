"""What incoming and outgoing documents share: their class, yearly folders and ids.

Documents live in ``<agency>/<register>/<year>/`` (see
:mod:`dongthap.qlvb.documents.storage`): BTree folders with unordered
contents, out of the navigation, so that an agency with hundreds of
thousands of documents stays fast. Ids are short and random (``vbd-…``,
``vbdi-…``): not derived from the Vietnamese trích yếu, never racing between
two clerks.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from plone.dexterity.content import Container
from plone.dexterity.content import Item
from zope.interface import implementer
from zoneinfo import ZoneInfo

import contextlib
import secrets

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
ID_LENGTH = 10


class DocumentFolder(Container):
    """Unordered BTree folder of a register or one year of it, never shown in navigation."""

    _ordering = "unordered"
    exclude_from_nav = True


def new_document_id(container, prefix):
    """A short, random id with ``prefix`` not yet used in ``container``."""
    while True:
        candidate = prefix + "".join(secrets.choice(ID_ALPHABET) for _i in range(ID_LENGTH))
        if candidate not in container:
            return candidate


def alias(name):
    """A property that reads and writes attribute ``name``: the old name of a moved field."""
    return property(lambda self: getattr(self, name, None),
                    lambda self, value: setattr(self, name, value),
                    doc=f"Alias of ``{name}``.")


@implementer(IQlvbDocument)
class Document(Item):
    """What every document type's class shares (behaviors in :mod:`dongthap.qlvb.documents.behaviors`).

    The register entry (``register_number``, ``register_year``, ``register_date``) is
    set by the system only; each kind names it in its own words through :func:`alias`.
    """

    security = ClassSecurityInfo()
    exclude_from_nav = True
    register_number = None
    register_year = None
    register_date = None
    attachments = ()
    #: the transition the system runs now (volatile: never stored), see :func:`system_transition`
    _v_qlvb_system = None

    @security.public
    def qlvb_system(self, transition):
        """Workflow guard of a transition only the system runs (``archive``: the dossier decides)."""
        return self._v_qlvb_system == transition

    def register_day(self):
        """The day of the register entry, Vietnam time (None before it exists)."""
        return self.register_date.astimezone(VIETNAM).date() if self.register_date else None


InitializeClass(Document)


@contextlib.contextmanager
def system_transition(document, transition):
    """Open the guard of ``transition`` on ``document`` (``here.qlvb_system(...)``) while in the block.

    Users are never offered such a transition: e.g. a document goes to ``archived`` when
    the dossier holding it is transferred (:func:`dongthap.qlvb.archive.api.documents_archived`).
    """
    document._v_qlvb_system = transition
    try:
        yield
    finally:
        document._v_qlvb_system = None
