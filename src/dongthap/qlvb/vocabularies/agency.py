"""Vocabularies describing agencies."""

from dongthap.qlvb.i18n import _
from zope.interface import provider
from zope.schema.interfaces import IVocabularyFactory
from zope.schema.vocabulary import SimpleTerm
from zope.schema.vocabulary import SimpleVocabulary


def _vocabulary(items):
    return SimpleVocabulary([SimpleTerm(value, value, title) for value, title in items])


AGENCY_LEVELS = (
    ("province", _("level_province", default="Province (cấp tỉnh)")),
    ("department", _("level_department", default="Provincial department (sở, ban, ngành)")),
    ("district", _("level_district", default="District (cấp huyện)")),
    ("commune", _("level_commune", default="Commune / ward (cấp xã)")),
    ("unit", _("level_unit", default="Unit (đơn vị trực thuộc)")),
)

AGENCY_STATUSES = (
    ("active", _("status_active", default="Active")),
    ("merged", _("status_merged", default="Merged")),
    ("dissolved", _("status_dissolved", default="Dissolved")),
)


@provider(IVocabularyFactory)
def agency_levels(context):
    """The administrative levels of an agency."""
    return _vocabulary(AGENCY_LEVELS)


@provider(IVocabularyFactory)
def agency_statuses(context):
    """Whether an agency still works, was merged or dissolved."""
    return _vocabulary(AGENCY_STATUSES)
