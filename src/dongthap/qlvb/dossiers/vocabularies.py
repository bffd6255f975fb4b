"""Vocabularies of dossiers: retention periods (configurable) and access."""

from dongthap.qlvb.i18n import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


@provider(IVocabularyFactory)
def retention_periods(context=None):
    from dongthap.qlvb.dossiers.api import retention_choices

    return SimpleVocabulary([SimpleTerm(token, token, title) for token, title in retention_choices()])


ACCESS = (
    ("public", _("access_public", default="Public (công khai)")),
    ("restricted", _("access_restricted", default="Restricted (hạn chế)")),
)


@provider(IVocabularyFactory)
def dossier_access(context=None):
    return SimpleVocabulary([SimpleTerm(token, token, title) for token, title in ACCESS])
