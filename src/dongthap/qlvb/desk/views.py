"""The desk (start page), the top navigation, the quick search and the registers page."""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.desk.interfaces import IDeskSection
from dongthap.qlvb.documents.queries import batch_numbers
from dongthap.qlvb.documents.queries import paged
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.utils.sorting import vietnamese_sort_key
from plone import api
from Products.Five.browser import BrowserView
from zope.component import getAdapters
from zope.component import queryMultiAdapter
from zope.i18n import translate

#: The pages of the top navigation and the permission each needs on the agency.
NAV_PAGES = {
    "van-ban-den": "dongthap.qlvb: View incoming work",
    "van-ban-di": "dongthap.qlvb: View outgoing work",
    "ho-so": "View",
    "cong-viec": "dongthap.qlvb: View tasks",
    "lich-cong-tac": "dongthap.qlvb: View work calendar",
    "so-bao-cao": "View",
    "can-bo": "dongthap.qlvb: View staff",
}


def my_agencies():
    """The agencies the current user may see, by Vietnamese title (the catalog's filter of what he
    may see worked out once per request: :func:`dongthap.qlvb.documents.queries.find`)."""
    from dongthap.qlvb.documents.queries import find

    brains = find(portal_type="Agency", sort_on="path")
    return sorted(brains, key=lambda b: vietnamese_sort_key(b.Title))


def works_in(agency):
    """The user's roles in ``agency`` when he holds one of the agency roles there (or manages)."""
    roles = set(api.user.get_roles(obj=agency))
    if roles & (set(R.AGENCY_ROLES) | {"Manager", "Site Administrator"}):
        return roles
    return None


def desk_sections(agency, userid, roles, request):
    """The sections of the desk for ``agency``: every :class:`IDeskSection` adapter by order."""
    sections = sorted((a for _n, a in getAdapters((agency,), IDeskSection)), key=lambda a: a.order)
    out = []
    for section in sections:
        items = section.items(userid, roles)
        if items:
            out.append({"title": translate(section.title, context=request),
                        "lists": [dict(i, title=translate(i["title"], context=request)) for i in items]})
    return out


class DeskView(BrowserView):
    """"Bàn làm việc": per agency the user works in, his lists with their counts; a search box."""

    #: agencies with counts at most (an administrator sees every agency: only their names)
    MAX_DESKS = 3

    def is_anonymous(self):
        return api.user.is_anonymous()

    def agencies(self):
        return my_agencies()

    def desks(self):
        userid = api.user.get_current().getId()
        out = []
        for brain in self.agencies():
            if len(out) >= self.MAX_DESKS:
                break
            agency = brain.getObject()
            roles = works_in(agency)
            if roles is None or not roles & set(R.AGENCY_ROLES):
                continue
            out.append({"title": brain.Title, "url": brain.getURL(),
                        "search_url": f"{brain.getURL()}/@@tim-van-ban",
                        "sections": desk_sections(agency, userid, roles, self.request)})
        return out


class Navigation(BrowserView):
    """``@@qlvb-nav``: the address of a page of the agency the user is in (the context's agency,
    else the first agency he works in), or None when he may not open it — for the portal tabs."""

    def agency(self):
        cache = self.request.other.setdefault("qlvb.nav.agency", {})
        if "agency" not in cache:
            agency = get_agency(self.context)
            if agency is None and not api.user.is_anonymous():
                for brain in my_agencies():
                    candidate = brain.getObject()
                    if works_in(candidate):
                        agency = candidate
                        break
            cache["agency"] = agency
        return cache["agency"]

    def url(self, page):
        agency = self.agency()
        if agency is None or api.user.is_anonymous():
            return None
        if not api.user.has_permission(NAV_PAGES[page], obj=agency):
            return None
        if queryMultiAdapter((agency, self.request), name=page) is None:
            return None  # a capability not installed (yet): no tab
        if page == "so-bao-cao":  # a register or a report he may print (RegistersPage's lists)
            from dongthap.qlvb.registers import service

            if not service.visible(agency) and not RegistersPage(agency, self.request).reports():
                return None
        return f"{agency.absolute_url()}/@@{page}"


class QuickSearch(BrowserView):
    """``@@tim-van-ban?q=``: the agency's documents whose number, notation, subject, people or
    file text match (dongthap.qlvb.search: typed with or without diacritics), newest first, paged;
    ``@@tim-kiem`` is the advanced search."""

    def query(self):
        return (self.request.form.get("q") or "").strip()

    def results(self):
        from dongthap.qlvb.errors import QlvbError
        from dongthap.qlvb.search import api as search

        text = self.query()
        try:
            start, size = batch_numbers(self.request.form.get("b_start"), self.request.form.get("b_size"))
        except ValueError:
            start, size = 0, 25
        if not text:
            return None
        criteria = {"text": text, "agency": "/".join(self.context.getPhysicalPath())}
        try:
            page = search.search(criteria, (start, size), request=self.request)
        except QlvbError:
            return paged([], self._row, start, size)
        for row in page:
            row["notation"] = row["number"]
        return page

    def _row(self, brain):
        return {}

    def advanced_url(self):
        from urllib.parse import urlencode

        return f"{self.context.absolute_url()}/@@tim-kiem?{urlencode({'text': self.query(), 'search': 1})}"

    def page_url(self, start):
        from urllib.parse import urlencode

        query = urlencode({"q": self.query(), "b_start": start})
        return f"{self.context.absolute_url()}/@@tim-van-ban?{query}"


class RegistersPage(BrowserView):
    """``@@so-bao-cao``: every register and report of the agency the user may print."""

    def links(self):
        from dongthap.qlvb.registers import service
        from dongthap.qlvb.registers.browser import download_links

        names = [p.name for p in service.visible(self.context)]
        return download_links(self.context, names, self.request)

    def reports(self):
        """The reports and statistics the user may see here (reports/service.py)."""
        from dongthap.qlvb.reports.service import listing

        return listing(self.context)

    def portal_url(self):
        from plone import api

        return api.portal.get().absolute_url()
