"""The start page: the agencies the current user works in."""

from dongthap.qlvb.utils.sorting import vietnamese_sort_key
from plone import api
from Products.Five.browser import BrowserView


class HomeView(BrowserView):
    """Lists the agencies visible to the current user (the catalog filters by security)."""

    def is_anonymous(self):
        return api.user.is_anonymous()

    def agencies(self):
        brains = api.content.find(portal_type="Agency", sort_on="path")
        return sorted(brains, key=lambda b: vietnamese_sort_key(b.Title))
