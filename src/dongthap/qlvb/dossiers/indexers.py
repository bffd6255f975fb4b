"""Catalog indexers of dossiers (every name ``qlvb_…``, docs/naming.md)."""

from dongthap.qlvb.catalog import _attribute
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


qlvb_file_code = indexer(IDossier)(_attribute("file_code"))
qlvb_doc_total = indexer(IDossier)(_attribute("doc_total"))
qlvb_page_total = indexer(IDossier)(_attribute("page_total"))
qlvb_retention = indexer(IDossier)(_attribute("retention"))
