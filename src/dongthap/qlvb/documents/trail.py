"""The readable trail of a document (behavior ``dongthap.qlvb.document_trail``).

Next to the workflow history, every document keeps ``qlvb_trail``: a list of
``{"at", "actor", "action", "comment", …}`` entries, oldest first, written by
its factory ("create") and by every action on it (transitions, edits,
assignments, comments, deliveries). The views and REST answers show it with
the titles of each kind's actions.
"""

from dongthap.qlvb.documents.common import actor
from dongthap.qlvb.documents.common import now
from persistent.list import PersistentList
from zope.event import notify
from zope.interface import Attribute, implementer
from zope.interface.interfaces import IObjectEvent, ObjectEvent

import contextlib

TRAIL_ATTR = "qlvb_trail"


class ITrailEntryAdded(IObjectEvent):
    """An entry was appended to the trail of a document (the audit trail subscribes)."""

    entry = Attribute("the entry (a dict: at, actor, action, comment, …)")


@implementer(ITrailEntryAdded)
class TrailEntryAdded(ObjectEvent):
    def __init__(self, obj, entry):
        super().__init__(obj)
        self.entry = entry


def add_trail(doc, action, comment="", **extra):
    """Append an entry (actor, time, action, comment) to the trail of ``doc``."""
    trail = getattr(doc, TRAIL_ATTR, None)
    if trail is None:
        trail = PersistentList()
        setattr(doc, TRAIL_ATTR, trail)
    entry = {"at": now().isoformat(), "actor": actor(), "action": action, "comment": comment or ""}
    entry.update(getattr(doc, "_v_qlvb_trail_extra", None) or {})
    entry.update(extra)
    trail.append(entry)
    notify(TrailEntryAdded(doc, entry))
    return entry


@contextlib.contextmanager
def trail_extra(doc, **extra):
    """Every trail entry written on ``doc`` inside the block also holds ``extra`` (e.g. the
    dossier a document is archived with, whichever handler writes the entry)."""
    doc._v_qlvb_trail_extra = extra
    try:
        yield
    finally:
        doc._v_qlvb_trail_extra = None


def trail_of(doc):
    """The entries of the trail of ``doc`` (a list, oldest first)."""
    return list(getattr(doc, TRAIL_ATTR, None) or ())
