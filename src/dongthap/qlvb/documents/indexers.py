"""The register entry of every document in the catalog (``qlvb_register_*``)."""

from dongthap.qlvb.documents.interfaces import IQlvbDocument
from plone.indexer import indexer


@indexer(IQlvbDocument)
def register_number(obj):
    return obj.register_number


@indexer(IQlvbDocument)
def register_year(obj):
    return obj.register_year


@indexer(IQlvbDocument)
def register_date(obj):
    return obj.register_date
