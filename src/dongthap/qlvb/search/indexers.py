"""Text indexes of the people and agencies of a document, for the search filters.

``qlvb_issuer_text`` (the issuing agency: the one named on an incoming document, the agency
itself for an outgoing one), ``qlvb_signer_text`` (who signed) and ``qlvb_recipient_text``
(to whom an outgoing document goes) are ZCTextIndexes of ``qlvb_lexicon``: the filters
"Cơ quan ban hành", "Người ký", "Nơi nhận" match words typed with or without diacritics
("van phong" finds "Văn phòng UBND tỉnh").
"""

from dongthap.qlvb.content.incoming import IIncomingDocument
from dongthap.qlvb.content.outgoing import IOutgoingDocument
from plone.indexer import indexer


@indexer(IIncomingDocument)
def incoming_issuer(obj):
    return obj.issuing_agency_name or ""


@indexer(IOutgoingDocument)
def outgoing_issuer(obj):
    from dongthap.qlvb.agencies.api import get_agency

    agency = get_agency(obj)
    return agency.title if agency is not None else ""


@indexer(IIncomingDocument)
def incoming_signer(obj):
    return obj.signer_name or ""


@indexer(IOutgoingDocument)
def outgoing_signer(obj):
    from dongthap.qlvb.outgoing.api import signer_name

    return signer_name(obj) or ""


def _agency_titles(keys):
    """Titles of the agencies ``keys`` (UIDs, as ``internal_recipients`` stores them, or codes).

    One catalog query, answered from the UID index (no object is woken).
    """
    from plone import api

    if not keys:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    keys = list(keys)
    brains = catalog.unrestrictedSearchResults(portal_type="Agency", UID=keys)
    found = {b.UID for b in brains}
    codes = [k for k in keys if k not in found]
    titles = [b.Title for b in brains]
    if codes:  # agencies given by their code (data from before UIDs)
        titles += [b.Title for b in catalog.unrestrictedSearchResults(portal_type="Agency",
                                                                      qlvb_agency_code=codes)]
    return titles


@indexer(IOutgoingDocument)
def outgoing_recipients(obj):
    names = _agency_titles(getattr(obj, "internal_recipients", None) or ())
    names += [r.get("name") or "" for r in getattr(obj, "external_recipients", None) or ()]
    return " ; ".join(n for n in names if n)


@indexer(IIncomingDocument)
def incoming_fulltext_status(obj):
    return getattr(obj, "qlvb_fulltext_status", None)


@indexer(IOutgoingDocument)
def outgoing_fulltext_status(obj):
    return getattr(obj, "qlvb_fulltext_status", None)
