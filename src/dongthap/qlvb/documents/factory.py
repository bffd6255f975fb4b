"""How a document of any kind comes to exist: the part every kind's factory shares.

Each kind has ONE factory that every creation path calls
(:func:`dongthap.qlvb.incoming.factory.new_incoming_document`,
:func:`dongthap.qlvb.outgoing.factory.new_outgoing_document`). It builds the
object with its own fields and hands it to :func:`add_document`, which

1. picks the year folder of the agency's register (created on demand) and a
   short random id (:class:`dongthap.qlvb.documents.storage.DocumentRegister`);
2. stamps the kind's system fields (:func:`register_kind`: arrival time and
   year of a received document, drafter and first version of a draft…);
3. sets extra attributes, names the creator and starts the trail ("create"),
   all *before* the document is added, so that it is indexed once, complete;
4. adds it to the folder and lets the kind finish (local roles).

Plone's generic ways to add content are closed for the document types (see
:mod:`.generic_add`); whatever still adds a document without a factory (a
script, an import) gets the system fields and the "create" entry from
:func:`ensure_system_fields`, a subscriber of the added event of every
:class:`~dongthap.qlvb.documents.interfaces.IQlvbDocument`.
"""

from dongthap.qlvb.documents import trail
from dongthap.qlvb.documents.common import now
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import counter

#: The actor of trail entries written by the system itself (internal delivery).
SYSTEM_ACTOR = "qlvb-system"
SYSTEM_TITLE = _("actor_system", default="System")
#: Every actor shown as "the system": ours and the exchange worker's user (exchange.worker.SYSTEM_USER).
SYSTEM_ACTORS = frozenset({SYSTEM_ACTOR, "qlvb-exchange"})

#: portal type → stamp(doc, when): the system fields of a new document of that kind.
_STAMPS = {}


def register_kind(portal_type):
    """Decorator: ``stamp(doc, when)`` sets the system fields of a new ``portal_type``."""
    def decorate(stamp):
        _STAMPS[portal_type] = stamp
        return stamp
    return decorate


def add_document(agency, doc, register, *, when=None, comment="", actor=None, creator=None,
                 attributes=None, prepare=None, after_add=None):
    """Add the new ``doc`` (not yet in a container) to ``agency``'s ``register``; returns it.

    ``when``: the time of creation (default now, Vietnam time; its year picks the
    folder); ``actor``: who the "create" entry names (default the current user);
    ``creator``: the creator recorded (default Plone's: the current user);
    ``attributes``: more attributes; ``prepare(doc)`` runs before the document is
    added, ``after_add(doc)`` after.
    """
    when = when or now()
    folder = register.year_folder(agency, counter.current_year(when), create=True)
    doc.id = register.new_id(folder)
    _STAMPS[doc.portal_type](doc, when)
    for name, value in (attributes or {}).items():
        setattr(doc, name, value)
    if prepare is not None:
        prepare(doc)
    if creator:
        doc.setCreators((creator,))
    trail.add_trail(doc, "create", comment, **({"actor": actor} if actor else {}))
    folder._setObject(doc.id, doc)
    doc = folder[doc.id]
    if after_add is not None:
        after_add(doc)
    return doc


def ensure_system_fields(doc, event):
    """Added-event subscriber: a document added without its factory still gets its system fields."""
    stamp = _STAMPS.get(getattr(doc, "portal_type", None))
    if stamp is None or trail.trail_of(doc):  # made by its factory (or moved, or copied)
        return
    stamp(doc, now())
    trail.add_trail(doc, "create", "")


def no_roles_for_the_current_user(doc):
    """A document created by the system belongs to nobody of the sending agency."""
    from plone import api

    userid = api.user.get_current().getId()
    if userid and doc.get_local_roles_for_userid(userid):
        doc.manage_delLocalRoles([userid])


def actor_title(userid):
    """The name shown for the system actor, else ``None``."""
    return SYSTEM_TITLE if userid in SYSTEM_ACTORS else None
