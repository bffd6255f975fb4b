"""Catalog indexers of dossiers."""

from dongthap.qlvb.dossiers.content import IDossier
from plone.indexer import indexer


@indexer(IDossier)
def qlvb_documents(obj):
    """UIDs of the documents of the dossier (reverse lookup: which dossiers hold a document)."""
    return tuple(item["uid"] for item in obj.qlvb_items)


@indexer(IDossier)
def dossier_department(obj):
    return obj.department or None


@indexer(IDossier)
def dossier_responsible(obj):
    return obj.responsible or None


@indexer(IDossier)
def dossier_year(obj):
    return obj.year
