"""THE one way an ``IncomingDocument`` comes to exist.

Every path creating an incoming document calls :func:`new_incoming_document`:

* the clerk's form ``@@vao-so-van-ban-den`` and ``POST <agency>/@incoming``
  (through :func:`.api.create` / :func:`.api.build_document`, bulk imports too);
* the exchange inbox (edXML from the national axis or imported by hand,
  :mod:`dongthap.qlvb.exchange.inbox`);
* internal delivery of another agency's issued document
  (:func:`dongthap.qlvb.outgoing.delivery.create_received_copy`), written as
  the *system* — the sender's staff never act in the receiving agency.

Plone's generic ways to add content are closed for the document types (see
:mod:`dongthap.qlvb.documents.generic_add`); whatever still adds one without
this factory (a script, an import) gets the system fields from
:func:`ensure_system_fields`, a subscriber of the added event, so no incoming
document exists without its arrival date.
"""

from dongthap.qlvb.documents.pdfpages import count_pages
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import counter

#: The actor of trail entries written by the system itself (internal delivery).
SYSTEM_ACTOR = "qlvb-system"
SYSTEM_TITLE = _("actor_system", default="System")
#: Every actor shown as "the system": ours and the exchange worker's user (exchange.worker.SYSTEM_USER).
SYSTEM_ACTORS = frozenset({SYSTEM_ACTOR, "qlvb-exchange"})


def stamp(doc, when):
    """The system fields of a new document: arrival date and year, pages when not given."""
    doc.arrival_date = when
    doc.arrival_year = counter.current_year(when)
    if not getattr(doc, "page_amount", None):
        doc.page_amount = count_pages(getattr(doc, "file", None))


def new_incoming_document(agency, values, *, when=None, comment="", actor=None, attributes=None,
                          prepare=None):
    """Create an incoming document (state ``received``) in ``agency``'s register; returns it.

    ``values``: schema field values (pending uploads are turned into blobs);
    ``when``: the arrival time (default: now, Vietnam time); ``comment``: of
    the "received" trail entry; ``actor``: who the trail names (default: the
    current user; :data:`SYSTEM_ACTOR` for deliveries); ``attributes``: more
    attributes set before the document is added (and indexed).
    """
    from dongthap.qlvb.content.incoming import new_document_id
    from dongthap.qlvb.incoming import api as incoming
    from plone.dexterity.utils import createContent

    when = when or counter.vietnam_now()
    folder = incoming.year_folder(agency, counter.current_year(when), create=True)
    doc_id = new_document_id(folder)
    fields = incoming.materialize(values)
    doc = createContent("IncomingDocument", **{k: v for k, v in fields.items() if v is not None})
    doc.id = doc_id
    stamp(doc, when)
    for name, value in (attributes or {}).items():
        setattr(doc, name, value)
    if prepare is not None:
        prepare(doc)
    if actor == SYSTEM_ACTOR:
        doc.setCreators((SYSTEM_ACTOR,))
    folder._setObject(doc_id, doc)
    doc = folder[doc_id]
    if actor == SYSTEM_ACTOR:
        _no_roles_for_the_current_user(doc)
    trail_extra = {"actor": actor} if actor else {}
    incoming.add_trail(doc, "create", comment, **trail_extra)
    return doc


def _no_roles_for_the_current_user(doc):
    """A document created by the system belongs to nobody of the sending agency."""
    from plone import api

    userid = api.user.get_current().getId()
    if userid and doc.get_local_roles_for_userid(userid):
        doc.manage_delLocalRoles([userid])


def ensure_system_fields(doc, event):
    """Added-event subscriber: a document added by another way still gets its system fields."""
    if getattr(doc, "arrival_date", None) is not None:
        return
    from dongthap.qlvb.incoming import api as incoming

    stamp(doc, counter.vietnam_now())
    incoming.add_trail(doc, "create", "")


def actor_title(userid):
    """The name shown for the system actor, else ``None``."""
    return SYSTEM_TITLE if userid in SYSTEM_ACTORS else None
