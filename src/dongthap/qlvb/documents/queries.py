"""What the work lists and registers of incoming and outgoing documents share."""

from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES

#: At most this many documents in one work list.
LIST_LIMIT = 500


def date_range(start, end):
    """The catalog range of a date index between ``start`` and ``end`` (either may be None):
    a query value, or None when neither is given."""
    if start and end:
        return {"query": (start, end), "range": "min:max"}
    if start:
        return {"query": start, "range": "min"}
    if end:
        return {"query": end, "range": "max"}
    return None


def base_row(brain, state_title):
    """The keys every row of a work list has, from a catalog brain of a document."""
    return {
        "url": brain.getURL(),
        "uid": brain.UID,
        "title": brain.Title,
        "document_type": brain.qlvb_document_type,
        "document_type_title": DOCUMENT_TYPES.get(brain.qlvb_document_type, ("", ""))[0],
        "state": brain.review_state,
        "state_title": state_title(brain.review_state),
        "urgency": brain.qlvb_urgency,
    }
