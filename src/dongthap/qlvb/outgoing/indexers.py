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


#: The metadata column of the register values (Sổ đăng ký văn bản đi).
REGISTER_COLUMN = "qlvb_register_values"


def register_values(doc):
    """The columns of Sổ đăng ký văn bản đi that are not catalog metadata of their own, as one
    small tuple: ``(sort key, notation, signer, recipients, copy holder, copies, note)``.

    The sort key is ``(year, register series, number)``; the signer is the user id of who
    signed (a delegate signing for the signer) or will sign: the register looks the name up.
    """
    from dongthap.qlvb.outgoing import delivery

    names = delivery.recipient_names(doc) or [r["name"] for r in doc.external_recipients or ()]
    recall = getattr(doc, "qlvb_recall", None)
    note = f"Đã thu hồi: {recall['reason']}" if recall else ""
    if getattr(doc, "qlvb_original_medium", None) == "paper":
        note = "Bản gốc giấy (ký tay)" + ("; " + note if note else "")
    if getattr(doc, "qlvb_replaced_by", None):
        note = (note + "; " if note else "") + f"Thay thế bởi {doc.qlvb_replaced_by['notation']}"
    behalf = getattr(doc, "qlvb_signed_on_behalf", None)
    try:
        number = int(doc.code_number or 0)
    except ValueError:  # never made by the numbering; listed first rather than not indexed
        number = 0
    return ((doc.issued_year or 0, doc.register_series or "", number),
            doc.notation(), behalf["signed_by"] if behalf else getattr(doc, "signer", None),
            "; ".join(names), doc.copy_holder or "", doc.issued_amount or 1, note)


@indexer(IOutgoingDocument)
def qlvb_register_values(obj):
    """:func:`register_values` of an issued document (nothing before it is issued)."""
    if not getattr(obj, "issued_date", None):
        raise AttributeError(REGISTER_COLUMN)
    return register_values(obj)
