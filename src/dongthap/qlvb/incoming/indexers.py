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
