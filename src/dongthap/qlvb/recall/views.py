"""``@@van-ban-da-huy``: the agency's destruction records of recalled documents."""

from dongthap.qlvb.recall import api as recall_api
from Products.Five.browser import BrowserView


class RecordsView(BrowserView):
    def records(self):
        return recall_api.records_of(self.context)

    def pending(self):
        return recall_api.pending(self.context)
