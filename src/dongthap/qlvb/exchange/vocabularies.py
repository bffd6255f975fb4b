"""Vocabulary ``dongthap.qlvb.vocabularies.ExternalAgencies``: the imported axis directory."""

from __future__ import annotations

from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm


@provider(IVocabularyFactory)
def external_agencies(context):
    """Active agencies of the directory; value = OrganId, title = "Name (OrganId)"."""
    from .api import external_agencies as items

    try:
        entries = items()
    except Exception:  # noqa: BLE001 - outside a site: empty
        entries = []
    from dongthap.qlvb.vocabularies.searchable import FoldingVocabulary

    return FoldingVocabulary([
        SimpleTerm(e["organ_id"], e["organ_id"].encode("ascii", "replace"),
                   f"{e.get('name') or e['organ_id']} ({e['organ_id']})")
        for e in entries if e.get("active", True)
    ])
