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


@indexer(IDossier)
def qlvb_transfer_due(obj):
    """The day the dossier is due in the agency archive (one year after its end date, three
    months for a construction project); not indexed without an end date. The desk counts
    the dossiers due within 30 days and the overdue ones with it (states open/closed)."""
    from dongthap.qlvb.archive.retention import transfer_due_date

    if not getattr(obj, "end_date", None):
        raise AttributeError("qlvb_transfer_due")
    return transfer_due_date(obj.end_date, construction=bool(getattr(obj, "construction_project", False)))
