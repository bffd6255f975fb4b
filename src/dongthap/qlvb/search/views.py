"""``@@tim-kiem``: the advanced search page (site and agency), its saved searches and exports."""

from dongthap.qlvb.documents.queries import batch_numbers
from dongthap.qlvb.documents.queries import LIST_LIMIT
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.search import api as search
from dongthap.qlvb.search import saved
from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from zope.i18n import translate

FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "pdf": "application/pdf",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def criteria_of(form, context=None):
    """The search criteria in a request's form (on an agency: that agency unless one is chosen)."""
    criteria = {key: form.get(key) for key in search.CRITERIA if form.get(key) not in (None, "", [])}
    if context is not None and "agency" not in form and getattr(context, "portal_type", "") == "Agency":
        criteria["agency"] = "/".join(context.getPhysicalPath())
    return criteria


def columns_of(form):
    wanted = form.get("columns") or list(search.DEFAULT_COLUMNS)
    wanted = [wanted] if isinstance(wanted, str) else list(wanted)
    return [c for c in search.COLUMNS if c in wanted] or list(search.DEFAULT_COLUMNS)


def sort_of(form):
    key = form.get("sort_on") or "created"
    return key, form.get("sort_order") or "descending"


class SearchPage(BrowserView):
    """Every criterion, chosen columns, sorted and paged results, saved searches, XLSX/PDF."""

    error = None
    results = None

    def __call__(self):
        form = self.request.form
        self.columns = columns_of(form)
        userid = api.user.get_current().getId()
        try:
            if self.request.method == "POST" and form.get("save_name") is not None:
                saved.save(userid, form["save_name"], form.get("save_query") or "")
            elif self.request.method == "POST" and form.get("delete_name"):
                saved.delete(userid, form["delete_name"])
            criteria = criteria_of(form, self.context)
            if [k for k in criteria if k != "agency"] or form.get("search"):
                fmt = form.get("format")
                if isinstance(fmt, str) and fmt in FORMATS:  # (given twice it is a list: no export)
                    return self.export(fmt, criteria)
                try:
                    batch = batch_numbers(form.get("b_start"), form.get("b_size"))
                except ValueError:
                    batch = (0, 25)
                self.results = search.search(criteria, batch, sort_of(form), self.request)
        except QlvbError as problem:
            import transaction

            transaction.doom()
            self.request.response.setStatus(problem.status)
            self.error = translate(problem.message, context=self.request)
        return self.index()

    def export(self, fmt, criteria):
        from dongthap.qlvb.search.export import render

        rows = search.search(criteria, (0, LIST_LIMIT), sort_of(self.request.form), self.request)
        user = api.user.get_current()
        data = render(fmt, rows, self.columns, self.request, self.agency_name(),
                      user.getProperty("fullname") or user.getId())
        response = self.request.response
        response.setHeader("Content-Type", FORMATS[fmt])
        response.setHeader("Content-Disposition", f'attachment; filename="ket-qua-tim-kiem.{fmt}"')
        return data

    def agency_name(self):
        return self.context.Title() if getattr(self.context, "portal_type", "") == "Agency" else \
            api.portal.get().Title()

    # ---- what the template shows

    def form_value(self, key):
        return self.request.form.get(key) or ""

    def agencies(self):
        here = "/".join(self.context.getPhysicalPath())
        chosen = self.request.form.get("agency") or (
            here if getattr(self.context, "portal_type", "") == "Agency" else "")
        return [{"value": b.getPath(), "title": b.Title, "selected": b.getPath() == chosen}
                for b in search.visible_agencies()]

    def choices(self, key):
        from dongthap.qlvb.incoming.api import STATE_TITLES as IN_STATES
        from dongthap.qlvb.outgoing.api import STATE_TITLES as OUT_STATES
        from dongthap.qlvb.signing.behaviors import VALIDITIES
        from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
        from dongthap.qlvb.vocabularies.documents import URGENCY

        if key == "state":
            items = {**{k: translate(v, context=self.request) for k, v in OUT_STATES.items()},
                     **{k: translate(v, context=self.request) for k, v in IN_STATES.items()}}
        elif key == "urgency":
            items = {k: translate(v, context=self.request) for k, v in URGENCY}
        elif key == "document_type":
            items = {k: v[0] for k, v in DOCUMENT_TYPES.items()}
        elif key == "legal_validity":
            items = {k: translate(search.VALIDITY_TITLES.get(k, k), context=self.request) for k in VALIDITIES}
        else:
            items = {"incoming": translate(_("kind_incoming", default="Incoming"), context=self.request),
                     "outgoing": translate(_("kind_outgoing", default="Outgoing"), context=self.request)}
        current = self.request.form.get(key)
        return [{"value": k, "title": v, "selected": k == current} for k, v in items.items()]

    def column_choices(self):
        return [{"value": k, "title": translate(v, context=self.request), "checked": k in self.columns}
                for k, v in search.COLUMNS.items()]

    def headers(self):
        return [translate(search.COLUMNS[c], context=self.request) for c in self.columns]

    def cells(self, row):
        return [row.get(c) or "" for c in self.columns]

    def query_string(self, **changes):
        form = {k: v for k, v in self.request.form.items()
                if k not in ("save_name", "save_query", "delete_name", "_authenticator", "format")}
        form.update(changes)
        return urlencode({k: v for k, v in form.items() if v not in (None, "")}, doseq=True)

    def url(self, **changes):
        return f"{self.context.absolute_url()}/@@tim-kiem?{self.query_string(**changes)}"

    def saved_searches(self):
        userid = api.user.get_current().getId()
        return [dict(item, url=f"{self.context.absolute_url()}/@@tim-kiem?{item['query']}")
                for item in saved.saved(userid)]


class PloneSearchRedirect(BrowserView):
    """Plone's generic ``@@search`` (the site's search box, old links) on our sites: it leads to
    the Vietnamese ``@@tim-kiem`` with what was typed, so nobody lands on the English page.
    Livesearch (``@@ajax-search``) stays: it uses the same folding lexicon."""

    def __call__(self):
        form = self.request.form
        text = form.get("SearchableText") or form.get("text") or ""
        if not isinstance(text, str):
            text = " ".join(str(t) for t in text)
        query = {"text": text.strip(), "search": "1"} if text.strip() else {}
        portal_type = form.get("portal_type")
        kinds = {"IncomingDocument": "incoming", "OutgoingDocument": "outgoing"}
        if isinstance(portal_type, str) and portal_type in kinds:
            query["kind"] = kinds[portal_type]
        target = api.portal.get().absolute_url() + "/@@tim-kiem"
        self.request.response.redirect(f"{target}?{urlencode(query)}" if query else target, status=302)
        return ""
