"""Sort keys of the work lists (``qlvb_urgency_rank``, ``qlvb_deadline``).

Both are defined for every document, so a list sorted on them never drops one
(ZCatalog leaves out of a sorted result the documents a sort index lacks).
"""

from dongthap.qlvb.documents.interfaces import IQlvbDocument
from dongthap.qlvb.vocabularies.documents import URGENCY_RANK
from plone.indexer import indexer

import datetime

#: The deadline of a document that has none: after every real one.
NO_DEADLINE = datetime.date(9999, 12, 31)
#: The rank of an unknown urgency: after "thường".
UNKNOWN_RANK = len(URGENCY_RANK)
#: Indexes to refresh when the assignment of a document changes.
ASSIGNMENT_INDEXES = ("qlvb_deadline",)


def deadline_of(obj):
    """The earliest deadline of the active assignment entries, else the document's due date."""
    from dongthap.qlvb.incoming import assignment

    days = sorted(e["deadline"] for e in assignment.active_entries(obj) if e.get("deadline"))
    if days:
        return datetime.date.fromisoformat(days[0])
    due = getattr(obj, "due_date", None)
    if isinstance(due, datetime.datetime):
        due = due.date()
    return due or NO_DEADLINE


@indexer(IQlvbDocument)
def qlvb_urgency_rank(obj):
    """0 hỏa tốc, 1 thượng khẩn, 2 khẩn, 3 thường: ascending order is urgency order."""
    return URGENCY_RANK.get(getattr(obj, "urgency", None), UNKNOWN_RANK)


@indexer(IQlvbDocument)
def qlvb_deadline(obj):
    return deadline_of(obj)
