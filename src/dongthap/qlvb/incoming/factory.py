"""THE one way an ``IncomingDocument`` comes to exist.

Every path creating an incoming document calls :func:`new_incoming_document`:

* the clerk's form ``@@vao-so-van-ban-den`` and ``POST <agency>/@incoming``
  (through :func:`.api.create` / :func:`.api.build_document`, bulk imports too);
* the exchange inbox (edXML from the national axis or imported by hand,
  :mod:`dongthap.qlvb.exchange.inbox`);
* internal delivery of another agency's issued document
  (:func:`dongthap.qlvb.outgoing.delivery.create_received_copy`), written as
  the *system* — the sender's staff never act in the receiving agency.

What every kind shares (folder, id, trail, the added-event safety net for
documents added another way) is :mod:`dongthap.qlvb.documents.factory`.
"""

from dongthap.qlvb.documents import factory
from dongthap.qlvb.documents.factory import actor_title  # noqa: F401 - used by callers
from dongthap.qlvb.documents.factory import ensure_system_fields  # noqa: F401 - subscriber (zcml)
from dongthap.qlvb.documents.factory import SYSTEM_ACTOR
from dongthap.qlvb.documents.factory import SYSTEM_ACTORS  # noqa: F401 - used by callers
from dongthap.qlvb.documents.factory import SYSTEM_TITLE  # noqa: F401 - used by callers
from dongthap.qlvb.documents.pdfpages import count_pages
from dongthap.qlvb.numbering import counter


@factory.register_kind("IncomingDocument")
def stamp(doc, when):
    """The system fields of a new document: arrival time and year, pages when not given."""
    doc.register_date = when
    doc.register_year = counter.current_year(when)
    if not getattr(doc, "receiving_agency_code", None):  # added without the factory: its folder's
        doc.receiving_agency_code = receiving_agency_code(doc)
    if not getattr(doc, "page_amount", None):
        doc.page_amount = count_pages(getattr(doc, "file", None))


def receiving_agency_code(doc_or_agency):
    """The QCVN 102 code of the agency holding ``doc_or_agency`` (or of the agency itself)."""
    from dongthap.qlvb.agencies.api import get_agency

    agency = get_agency(doc_or_agency)
    return getattr(agency, "agency_code", None) or None


def new_incoming_document(agency, values, *, when=None, comment="", actor=None, attributes=None,
                          prepare=None):
    """Create an incoming document (state ``received``) in ``agency``'s register; returns it.

    ``values``: schema field values (pending uploads are turned into blobs);
    ``when``: the arrival time (default: now, Vietnam time); ``comment``: of
    the "received" trail entry; ``actor``: who the trail names (default: the
    current user; :data:`SYSTEM_ACTOR` for deliveries); ``attributes``: more
    attributes set before the document is added (and indexed).
    """
    from dongthap.qlvb.content.incoming import REGISTER
    from dongthap.qlvb.incoming.api import materialize
    from plone.dexterity.utils import createContent

    fields = materialize(values)
    doc = createContent("IncomingDocument", **{k: v for k, v in fields.items() if v is not None})
    system = actor == SYSTEM_ACTOR
    # Phụ lục VI III.1.g: the receiving agency's code is stored on the document, on every path
    attributes = {**(attributes or {}), "receiving_agency_code": receiving_agency_code(agency)}
    return factory.add_document(
        agency, doc, REGISTER, when=when, comment=comment, actor=actor, attributes=attributes,
        prepare=prepare, creator=SYSTEM_ACTOR if system else None,
        after_add=factory.no_roles_for_the_current_user if system else None)
