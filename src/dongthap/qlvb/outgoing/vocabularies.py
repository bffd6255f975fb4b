"""Context-aware vocabularies of outgoing documents (the agency is found from the context)."""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.content.outgoing import AUTHORITIES
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.sorting import vietnamese_sort_key
from plone import api
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary
from dongthap.qlvb.vocabularies.searchable import FoldingVocabulary

AUTHORITY_TITLES = {
    "none": _("authority_none", default="Signs in his own name"),
    "TM": _("authority_tm", default="TM. (on behalf of the collective)"),
    "KT": _("authority_kt", default="KT. (signing for the head)"),
    "TL": _("authority_tl", default="TL. (by order of the head)"),
    "TUQ": _("authority_tuq", default="TUQ. (by authorisation)"),
    "Q": _("authority_q", default="Q. (acting)"),
}


def _agency(context):
    agency = get_agency(context) if context is not None else None
    if agency is None and context is not None:
        # add forms: the context is the container, reached through the request's published object
        request = getattr(context, "REQUEST", None)
        published = request.get("PUBLISHED") if request is not None else None
        agency = get_agency(getattr(published, "context", None)) if published is not None else None
    return agency


@provider(IVocabularyFactory)
def signers(context):
    """The leaders of the agency of ``context`` (userid → full name)."""
    from dongthap.qlvb.outgoing.api import fullname
    from dongthap.qlvb.outgoing.api import leaders_of

    agency = _agency(context)
    userids = leaders_of(agency) if agency is not None else []
    current = getattr(context, "signer", None)
    if current and current not in userids:
        userids.append(current)  # keep a former leader readable on old documents
    terms = [SimpleTerm(u, u, fullname(u)) for u in userids]
    terms.sort(key=lambda t: vietnamese_sort_key(t.title))
    return FoldingVocabulary(terms)


@provider(IVocabularyFactory)
def departments(context):
    """The departments of the agency of ``context`` (id → "Name (ABBR)")."""
    agency = _agency(context)
    if agency is None:
        return SimpleVocabulary([])
    return SimpleVocabulary([
        SimpleTerm(obj.getId(), obj.getId(), f"{obj.title} ({obj.abbreviation})")
        for obj in agency.objectValues() if obj.portal_type == "Department"])


@provider(IVocabularyFactory)
def recipient_agencies(context):
    """Every agency of the system (UID → name), the context's own agency excepted."""
    own = _agency(context)
    own_uid = api.content.get_uuid(own) if own is not None else None
    brains = api.content.find(portal_type="Agency", unrestricted=True)
    terms = [SimpleTerm(b.UID, b.UID, b.Title) for b in brains if b.UID != own_uid]
    terms.sort(key=lambda t: vietnamese_sort_key(t.title))
    return FoldingVocabulary(terms)


@provider(IVocabularyFactory)
def signing_authorities(context):
    return SimpleVocabulary([SimpleTerm(k, k, AUTHORITY_TITLES[k]) for k in AUTHORITIES])
