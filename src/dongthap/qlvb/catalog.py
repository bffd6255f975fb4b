"""The catalog indexes and metadata columns of dongthap.qlvb, all named ``qlvb_…``.

Plone's own indexes (``portal_type``, ``review_state``, ``UID``, ``Creator``,
``SearchableText``…) keep their names; every index or column this add-on adds
starts with ``qlvb_`` (docs/naming.md), so that it can never collide with an
index of Plone or of another add-on, and a reader knows at once where a
catalog name comes from.

The value of each ``qlvb_<field>`` name is the document's (or the agency's)
attribute ``<field>``; names computed otherwise have their indexer beside
their logic (``qlvb_arrival_day``, ``qlvb_incoming_duplicate_key``,
``qlvb_incoming_assignees`` in incoming/indexers.py, ``qlvb_outgoing_signer``,
``qlvb_outgoing_review_role``, ``qlvb_recall_pending`` in outgoing/indexers.py,
``qlvb_legal_validity`` in signing/behaviors.py).

:data:`RENAMED` maps the names before profile version 1005 to today's; the
upgrade step :mod:`dongthap.qlvb.upgrades.v1005_naming` renames a site's
indexes and columns with it.
"""

from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.documents.interfaces import IQlvbDocument
from plone.indexer import indexer

#: Index names before 1005 → today's.
RENAMED_INDEXES = {old: f"qlvb_{old}" for old in (
    "agency_code", "document_type", "urgency", "arrival_number", "arrival_day", "issued_date",
    "issuing_agency_name", "incoming_duplicate_key", "incoming_assignees", "outgoing_signer",
    "outgoing_review_role", "legal_validity",
)}

#: Metadata column names before 1005 → today's.
RENAMED_COLUMNS = {old: f"qlvb_{old}" for old in (
    "agency_code", "document_type", "urgency", "arrival_number", "arrival_day", "issued_date", "due_date",
    "issuing_agency_name", "code_number", "code_notation", "legal_validity",
)}


def current_index(catalog, old):
    """The name under which the index ``old`` (a pre-1005 name) stands in ``catalog`` now.

    Upgrade steps older than 1005 run before the rename on an old site and after
    it on a site created today (tests upgrade fresh sites from 1000).
    """
    return _current(catalog.indexes(), RENAMED_INDEXES.get(old, old), old)


def current_column(catalog, old):
    """Like :func:`current_index`, for a metadata column."""
    return _current(catalog.schema(), RENAMED_COLUMNS.get(old, old), old)


def _current(names, new, old):
    return new if new in names or old not in names else old


def _attribute(name):
    def value(obj):
        return getattr(obj, name, None)

    value.__name__ = f"qlvb_{name}"
    value.__doc__ = f"The attribute ``{name}``."
    return value


qlvb_agency_code = indexer(IAgency)(_attribute("agency_code"))
qlvb_document_type = indexer(IQlvbDocument)(_attribute("document_type"))
qlvb_urgency = indexer(IQlvbDocument)(_attribute("urgency"))
qlvb_arrival_number = indexer(IQlvbDocument)(_attribute("arrival_number"))
qlvb_issued_date = indexer(IQlvbDocument)(_attribute("issued_date"))
qlvb_due_date = indexer(IQlvbDocument)(_attribute("due_date"))
qlvb_issuing_agency_name = indexer(IQlvbDocument)(_attribute("issuing_agency_name"))
qlvb_code_number = indexer(IQlvbDocument)(_attribute("code_number"))
qlvb_code_notation = indexer(IQlvbDocument)(_attribute("code_notation"))
