"""THE one way an ``OutgoingDocument`` (a draft) comes to exist.

Every path creating an outgoing document calls :func:`new_outgoing_document`:
the drafter's form ``@@soan-van-ban-di`` and ``POST <agency>/@outgoing``
(through :func:`.api.create`), the demo data and the test fixtures. The
current user is its drafter and owner; the main file is its first version.

What every kind shares (folder, id, trail, the added-event safety net for
documents added another way) is :mod:`dongthap.qlvb.documents.factory`.
"""

from dongthap.qlvb.documents import factory
from dongthap.qlvb.documents.common import actor
from dongthap.qlvb.documents.factory import ensure_system_fields  # noqa: F401 - subscriber (zcml)


@factory.register_kind("OutgoingDocument")
def stamp(doc, when):
    """The system fields of a new draft: the drafter, the current user (its register entry
    is made at issue)."""
    if not getattr(doc, "drafter", None):
        doc.drafter = actor()


def new_outgoing_document(agency, values, *, comment="", when=None):
    """Create a draft in ``agency``'s register from :func:`.api.clean` values; returns it.

    The uploads are scanned again as they become files; the current user drafts it.
    """
    from dongthap.qlvb.content.outgoing import REGISTER
    from dongthap.qlvb.outgoing import api as outgoing
    from plone.dexterity.utils import createContent

    userid = actor()
    doc = createContent("OutgoingDocument", title=values["title"])
    outgoing.apply_values(doc, {k: v for k, v in values.items() if v is not None}, agency)

    def finish(doc):
        doc.manage_setLocalRoles(userid, ["Owner"])
        outgoing.record_version(doc, comment)
        doc.reindexObject()
        doc.reindexObjectSecurity()

    return factory.add_document(agency, doc, REGISTER, when=when, comment=comment, creator=userid,
                                after_add=finish)
