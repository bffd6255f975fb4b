"""The page names before profile version 1005 answer with a redirect to today's (docs/naming.md).

Staff bookmarked ``…/so-tttt/@@incoming-dashboard``; it now leads to
``…/so-tttt/@@van-ban-den`` (301, with the rest of the address and the query
string). Nothing is shown on the way: the target page checks its own permission.
"""

from dongthap.qlvb.restapi.traverse import PathSegments
from dongthap.qlvb.upgrades.v1005_naming import RENAMED_VIEWS
from Products.Five.browser import BrowserView


class OldPageName(PathSegments, BrowserView):
    old = None

    def __call__(self):
        url = "/".join((self.context.absolute_url(), "@@" + RENAMED_VIEWS[self.old], *self.segments))
        query = self.request.get("QUERY_STRING")
        self.request.response.redirect(f"{url}?{query}" if query else url, status=301)
        return ""


def _old(name):
    return type(f"Old_{name.replace('-', '_')}", (OldPageName,), {"old": name})


incoming_dashboard = _old("incoming-dashboard")
incoming_view = _old("incoming-view")
outgoing_view = _old("outgoing-view")
outgoing_version = _old("outgoing-version")
agency_view = _old("agency-view")
exchange_problems = _old("exchange-problems")
qlvb_home = _old("qlvb-home")
signatures = _old("signatures")
