"""``GET <site or agency>/@search-documents``: the search page as JSON.

Query string: the criteria of :data:`dongthap.qlvb.search.api.CRITERIA` (dates dd/mm/yyyy),
``sort_on`` (a key of ``SORTS``) and ``sort_order``, ``b_start``/``b_size``. On an agency the
agency is the default scope. Only documents the user may view are ever returned.
"""

from dongthap.qlvb.documents.queries import rest_list_args
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.search import api as search
from dongthap.qlvb.search.views import criteria_of
from plone.restapi.services import Service


class SearchDocumentsGet(Service):
    @guarded
    def reply(self):
        batch, _sort, _only = rest_list_args(self.request, ())
        form = self.request.form
        sort = (form.get("sort_on") or "created", form.get("sort_order") or "descending")
        page = search.search(criteria_of(form, self.context), batch, sort, self.request)
        return {"@id": f"{self.context.absolute_url()}/@search-documents",
                "items": list(page), "items_total": page.total, "batching": page.batching()}
