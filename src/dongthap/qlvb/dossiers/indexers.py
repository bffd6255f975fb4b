"""Catalog indexers of dossiers (every name ``qlvb_…``, docs/naming.md)."""

from dongthap.qlvb.dossiers.content import IDossier
from plone.indexer import indexer


@indexer(IDossier)
def qlvb_documents(obj):
    """UIDs of the documents of the dossier (reverse lookup: which dossiers hold a document)."""
    return tuple(item["uid"] for item in obj.qlvb_items)


@indexer(IDossier)
def qlvb_dossier_department(obj):
    return obj.department or None


@indexer(IDossier)
def qlvb_dossier_responsible(obj):
    return obj.responsible or None


@indexer(IDossier)
def qlvb_dossier_year(obj):
    return obj.year


@indexer(IDossier)
def qlvb_file_code(obj):
    return getattr(obj, "file_code", None)


@indexer(IDossier)
def qlvb_doc_total(obj):
    return getattr(obj, "doc_total", None)


@indexer(IDossier)
def qlvb_page_total(obj):
    return getattr(obj, "page_total", None)


@indexer(IDossier)
def qlvb_retention(obj):
    return getattr(obj, "retention", None)
