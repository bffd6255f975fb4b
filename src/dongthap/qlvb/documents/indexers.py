"""The register entry of every document in the catalog (``qlvb_register_*``)."""

from dongthap.qlvb.documents.interfaces import IQlvbDocument
from plone.indexer import indexer

#: The catalog indexes of the register entry (reindex them when the entry is made).
REGISTER_INDEXES = ("qlvb_register_number", "qlvb_register_year", "qlvb_register_date")


def refresh_metadata(doc):
    """Rewrite the catalog metadata of ``doc`` after a change no index reads (the registers'
    ``qlvb_register_values``: progress, reply, replacement): one cheap index is reindexed, the
    metadata record with it."""
    doc.reindexObject(idxs=["getId"])


@indexer(IQlvbDocument)
def register_number(obj):
    return obj.register_number


@indexer(IQlvbDocument)
def register_year(obj):
    return obj.register_year


@indexer(IQlvbDocument)
def register_date(obj):
    return obj.register_date
