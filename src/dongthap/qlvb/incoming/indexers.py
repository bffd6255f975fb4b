"""Catalog indexers of incoming documents."""

from dongthap.qlvb.content.incoming import duplicate_key
from dongthap.qlvb.content.incoming import IIncomingDocument
from dongthap.qlvb.incoming import assignment
from plone.indexer import indexer


@indexer(IIncomingDocument)
def qlvb_arrival_day(obj):
    return obj.arrival_day()


@indexer(IIncomingDocument)
def qlvb_incoming_duplicate_key(obj):
    return duplicate_key(obj.code_number, obj.code_notation,
                         obj.issuing_agency_code or obj.issuing_agency_name)


@indexer(IIncomingDocument)
def qlvb_receiving_agency_code(obj):
    """Phụ lục VI III.1.g: the receiving agency's code, stored on the document."""
    return obj.receiving_agency_code


@indexer(IIncomingDocument)
def qlvb_incoming_assignees(obj):
    return assignment.assignees(obj)


@indexer(IIncomingDocument)
def searchable_text(obj):
    from dongthap.qlvb.search.text import document_text

    return document_text(obj, [obj.title, obj.issuing_agency_name, obj.signer_name,
                               str(obj.arrival_number or "")])


#: The metadata column of the register values (one per document, both registers).
REGISTER_COLUMN = "qlvb_register_values"


def register_values(doc):
    """The columns of Sổ đăng ký văn bản đến and Sổ theo dõi giải quyết that are not catalog
    metadata of their own, as one small tuple: ``(recipients, assigned on, due, progress,
    reply notation)``.

    * recipients: ``(department, userid)`` of the active top-level lead and coordinator
      entries (all top-level ones once none is active); names are looked up by the register;
    * assigned on: ``yyyy-mm-dd`` of the last phiếu giải quyết, or ``None``;
    * due: the active lead's deadline, else the document's due date (ISO), or ``None``;
    * progress: the text of the last progress report, or ``None``;
    * reply notation: the notation of the reply, or ``""``.
    """
    entries = assignment.entries(doc)
    tops = [e for e in entries if e.get("parent") is None and e["kind"] != "fyi"]
    shown = [e for e in tops if e.get("active")] or tops
    lead = next((e for e in tops if e["kind"] == "lead" and e.get("active")), None)
    due = (lead or {}).get("deadline") or (doc.due_date.isoformat() if doc.due_date else None)
    progress = getattr(doc, "qlvb_progress", None) or ()
    assigned_at = getattr(doc, "qlvb_assigned_at", None)
    return (tuple((e.get("department"), e["user"]) for e in shown),
            assigned_at[:10] if assigned_at else None, due,
            progress[-1]["text"] if progress else None,
            getattr(doc, "qlvb_reply_notation", "") or "")


@indexer(IIncomingDocument)
def qlvb_register_values(obj):
    """:func:`register_values` of a registered document (nothing before it has a number)."""
    if not obj.arrival_number:
        raise AttributeError(REGISTER_COLUMN)
    return register_values(obj)
