"""What the pages of one document, incoming or outgoing, share (Classic UI)."""

from dongthap.qlvb.browser.documents import AgencyPage
from dongthap.qlvb.browser.documents import is_pdf_file
from plone.protect import CheckAuthenticator


class DocumentPage(AgencyPage):
    """The page of a document: shows it; a POST with ``form.action`` runs that action, tells how it
    went as status messages and redirects (:meth:`act`, :meth:`after_action`)."""

    #: the error its actions raise (their message is shown; the page stays usable)
    error_class = Exception
    #: show each of the error's ``errors`` below its message
    show_error_details = False

    def __call__(self):
        if self.request.method == "POST" and self.request.form.get("form.action"):
            CheckAuthenticator(self.request)
            form = self.request.form
            try:
                self.act(form["form.action"], form)
            except self.error_class as problem:
                self.message(problem.message, "error")
                for err in problem.errors if self.show_error_details else ():
                    self.message(err["message"], "error")
            return self.after_action()
        return self.index()

    def act(self, action, form):
        raise NotImplementedError

    #: the agency's page to land on when an action took the document out of the user's sight
    dashboard_page = None

    def after_action(self):
        """Back to the document, or — when the action took it out of the user's sight (a specialist
        completing his work loses access) — to the list, else to the desk: never a refusal."""
        from plone import api

        if api.user.has_permission("View", obj=self.context):
            url = self.context.absolute_url()
        elif self.dashboard_page and api.user.has_permission("View", obj=self.agency()):
            url = f"{self.agency().absolute_url()}/@@{self.dashboard_page}"
        else:
            url = api.portal.get().absolute_url()
        self.request.response.redirect(url)
        return ""

    def file_url(self):
        """The main file's address, or None when the document has none: a PDF opens in the browser
        (``@@display-file``), any other file (a .docx draft) is downloaded."""
        named = getattr(self.context, "file", None)
        if named is None:
            return None
        view = "display-file" if is_pdf_file(named) else "download"
        return f"{self.context.absolute_url()}/@@{view}/file"


class DashboardPage(AgencyPage):
    """The work lists of an agency as tabs: :attr:`TABS` (key, title) in their order."""

    TABS = ()

    def tabs(self, lists):
        """``lists`` (key → rows, a :class:`~dongthap.qlvb.documents.queries.Page`) as the tabs the
        template shows, those the user has in order, each with the links to its other pages."""
        return [{"key": key, "title": self.t(title), "rows": lists[key],
                 "total": getattr(lists[key], "total", len(lists[key])),
                 "pages": self.page_links(key, lists[key])}
                for key, title in self.TABS if key in lists]

    def only(self):
        """The one list asked for (``?list=<key>``), or None for all of them."""
        key = self.request.form.get("list") or None
        return key if key in dict(self.TABS) else None

    def batch(self):
        """``(b_start, b_size)`` of the page asked for (``b_start`` applies to the one list)."""
        from dongthap.qlvb.documents.queries import batch_numbers

        form = self.request.form
        try:
            start, size = batch_numbers(form.get("b_start") if self.only() else 0, form.get("b_size"))
        except ValueError:
            start, size = batch_numbers(0, None)
        return start, size

    def sort(self):
        form = self.request.form
        return (form["sort_on"], form.get("sort_order") or "ascending") if form.get("sort_on") else None

    def page_links(self, key, page):
        """Previous/next (and first/last) page addresses of one list, keeping filters and sort (None
        when there is none), the page's number and the number of pages."""
        from urllib.parse import urlencode

        batching = page.batching() if hasattr(page, "batching") else {"next": None, "previous": None}
        form = {k: v for k, v in self.request.form.items()
                if isinstance(v, str) and k not in ("b_start", "list")}

        def link(start):
            return None if start is None else \
                f"{self.request['ACTUAL_URL']}?{urlencode(dict(form, list=key, b_start=start))}"
        start, size, total = batching.get("b_start", 0), batching.get("b_size") or 1, batching.get("total", 0)
        last_start = (max(total, 1) - 1) // size * size
        nxt = batching["next"]
        return {"next": link(batching["next"]), "previous": link(batching["previous"]),
                # the first and the last page, when they are not the previous or the next one
                "first_page": link(0) if start and batching["previous"] else None,
                "last_page": link(last_start) if nxt is not None and last_start > nxt else None,
                "number": start // size + 1, "count": (max(total, 1) - 1) // size + 1,
                "first": start + 1 if len(page) else 0,
                "last": start + len(page)}

    def sort_url(self, sort_on):
        """The list sorted by ``sort_on`` (again: the other direction)."""
        from urllib.parse import urlencode

        form = {k: v for k, v in self.request.form.items() if isinstance(v, str) and k != "b_start"}
        order = "descending" if form.get("sort_on") == sort_on and form.get("sort_order") != "descending" \
            else "ascending"
        return f"{self.request['ACTUAL_URL']}?{urlencode(dict(form, sort_on=sort_on, sort_order=order))}"

    def base_url(self):
        return self.agency().absolute_url()
