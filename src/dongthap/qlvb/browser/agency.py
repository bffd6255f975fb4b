"""The front page of an agency."""

from dongthap.qlvb.agencies.api import can_manage_staff
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.utils.sorting import vietnamese_sort_key
from plone import api
from Products.Five.browser import BrowserView
from zope.component import getUtility
from zope.schema.interfaces import IVocabularyFactory


def _term_title(vocabulary_name, context, value):
    vocabulary = getUtility(IVocabularyFactory, vocabulary_name)(context)
    try:
        return vocabulary.getTerm(value).title
    except LookupError:
        return value


class AgencyView(BrowserView):
    """Agency details, its departments and sub-agencies (REST-cheap: catalog only)."""

    def level_title(self):
        return _term_title("dongthap.qlvb.vocabularies.AgencyLevels", self.context, self.context.level)

    def status_title(self):
        return _term_title("dongthap.qlvb.vocabularies.AgencyStatuses", self.context, self.context.status)

    def _children(self, portal_type):
        brains = api.content.find(
            context=self.context, portal_type=portal_type, depth=1,
        )
        return sorted(brains, key=lambda b: vietnamese_sort_key(b.Title))

    def departments(self):
        return self._children("Department")

    def sub_agencies(self):
        return self._children("Agency")

    def can_view_staff(self):
        return api.user.has_permission(R.VIEW_STAFF, obj=self.context)

    def can_manage_staff(self):
        return can_manage_staff(self.context)
