"""Catalog indexers of outgoing documents (and the recall notice on received copies)."""

from dongthap.qlvb.content.incoming import IIncomingDocument
from dongthap.qlvb.content.outgoing import IOutgoingDocument
from dongthap.qlvb.outgoing import review
from plone.indexer import indexer


@indexer(IOutgoingDocument)
def qlvb_outgoing_signer(obj):
    return getattr(obj, "signer", None)


@indexer(IOutgoingDocument)
def qlvb_outgoing_review_role(obj):
    """Whom the document waits for under review (see :mod:`dongthap.qlvb.outgoing.review`)."""
    levels = list(getattr(obj, "qlvb_review_levels", None) or ())
    index = getattr(obj, "qlvb_review_index", 0) or 0
    wf = getattr(obj, "workflow_history", {}).get("qlvb_outgoing_workflow") or ()
    state = wf[-1].get("review_state") if wf else None
    if state != "pending_review" or index >= len(levels):
        return None
    return review.level_keys(obj, levels[index])


@indexer(IOutgoingDocument)
def searchable_text(obj):
    from dongthap.qlvb.search.text import document_text

    return document_text(obj, [obj.title, getattr(obj, "qlvb_type_name", "")])


@indexer(IIncomingDocument)
def qlvb_recall_pending(obj):
    """A copy frozen by its sender's recall, waiting for its clerk to destroy it."""
    from dongthap.qlvb.recall.api import pending_destruction

    return pending_destruction(obj)


@indexer(IOutgoingDocument)
def qlvb_sign_by_hand(obj):
    """``True`` while the signer signs the document by hand (``paper.HAND_ATTR``); else not indexed."""
    if getattr(obj, "qlvb_sign_by_hand", None):
        return True
    raise AttributeError("qlvb_sign_by_hand")
