"""The report pages (Vietnamese names, docs/naming.md): the same :mod:`.api` as ``@reports``.

``@@bao-cao-van-ban-dien-tu``  QĐ 595 (site root: the province; agency: its row, drill-down)
``@@bao-cao-giai-quyet``       tình hình giải quyết văn bản đến / đi (``kind``, ``department``)
``@@bang-dieu-khien``          the leaders' dashboard with its charts (inline SVG)

``format=pdf|xlsx`` on any of them downloads the printed form.
"""

from AccessControl.unauthorized import Unauthorized
from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.registers.formatting import format_date
from dongthap.qlvb.registers.service import send
from dongthap.qlvb.reports import api
from dongthap.qlvb.reports import charts
from dongthap.qlvb.reports import printing
from dongthap.qlvb.reports import service
from dongthap.qlvb.reports.stats import EDOC_KEYS
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from zope.i18n import translate


class ReportPage(BrowserView):
    name = ""
    error = None
    data = None

    def __call__(self):
        form = dict(self.request.form)
        try:
            if form.get("format") in ("pdf", "xlsx"):
                return send(self.request.response, service.answer(self.context, self.name, form))
            self.data = self.compute(form)
        except QlvbError as problem:
            if problem.status == 403:
                raise Unauthorized(self.name) from None
            self.request.response.setStatus(problem.status)
            self.error = translate(problem.message, context=self.request)
        return self.index()

    def period_query(self, **extra):
        data = self.data or {}
        query = {}
        if data.get("from"):
            query["from"] = format_date(data["from"])
            query["to"] = format_date(data["to"])
        query.update({k: v for k, v in extra.items() if v})
        return urlencode(query)

    def download(self, fmt, **extra):
        page = self.__name__
        return f"{self.context.absolute_url()}/@@{page}?{self.period_query(format=fmt, **extra)}"

    def fmt(self, day):
        return format_date(day) if day else ""

    #: "Xuất trong nền": the same file made by the worker (reports/jobs.py), for long periods
    background = ViewPageTemplateFile("templates/background_form.pt")

    def background_fields(self):
        extra = self.extra() if hasattr(self, "extra") else {}
        return [("kind", "report"), ("name", self.name), *parse_qsl(self.period_query(**extra))]


class EdocPage(ReportPage):
    """QĐ 595: one row per agency with totals; on an agency, the documents behind a number."""

    name = "edoc"
    headers = printing.EDOC_HEADERS
    keys = EDOC_KEYS
    documents = None

    def compute(self, form):
        start, end = api.period(form)
        if form.get("cell") and IAgency.providedBy(self.context):
            self.documents = api.edoc_documents(self.context, start, end, form.get("direction"),
                                                form.get("cell"))
        return api.edoc_report(self.context, start, end)

    def province(self):
        return not IAgency.providedBy(self.context)

    def cell_url(self, row, direction, key):
        """Drill-down: province → agency (counts) → documents (only for the agency's own staff)."""
        if self.province():
            return f"{self.agency_url(row)}/@@bao-cao-van-ban-dien-tu?{self.period_query()}"
        if not api.may_agency(self.context):
            return None
        return (f"{self.context.absolute_url()}/@@bao-cao-van-ban-dien-tu?"
                f"{self.period_query(direction=direction, cell=key)}")

    def agency_url(self, row):
        from plone import api as papi

        brain = papi.content.find(UID=row["agency_uid"], unrestricted=True)
        return brain[0].getURL() if brain else ""

    def type_rows(self):
        totals = self.data["totals"]
        types = sorted({*totals["received"]["by_type"], *totals["sent"]["by_type"]})
        return [{"title": api.type_title(t), "received": totals["received"]["by_type"].get(t, 0),
                 "sent": totals["sent"]["by_type"].get(t, 0)} for t in types]

    def urgency_rows(self):
        totals = self.data["totals"]
        return [{"title": name, "received": totals["received"]["by_urgency"].get(key, 0),
                 "sent": totals["sent"]["by_urgency"].get(key, 0)}
                for key, name in printing.URGENCY_NAMES.items()]


class ProcessingPage(ReportPage):
    """Báo cáo tình hình giải quyết văn bản đến / đi."""

    name = "processing"
    buckets = printing.BUCKETS
    headers = printing.BUCKET_HEADERS

    def compute(self, form):
        start, end = api.period(form, default="year")
        return api.processing_report(self.context, form.get("kind") or "incoming", start, end,
                                     department=form.get("department") or None)

    def title(self):
        kind = (self.data or {}).get("kind") or self.request.form.get("kind") or "incoming"
        kind = kind if isinstance(kind, str) else "incoming"  # ?kind=a&kind=b is a list
        return printing.PROCESSING_TITLES.get(kind, printing.PROCESSING_TITLES["incoming"])

    def departments(self):
        from dongthap.qlvb.agencies.departments import departments

        if api.may_agency(self.context):
            return [{"id": i, "title": d.title} for i, d in departments(self.context).items()]
        mine = api.own_departments(self.context)
        return [{"id": i, "title": d.title} for i, d in departments(self.context).items() if i in mine]

    def extra(self):
        data = self.data or {}
        return {"kind": data.get("kind"), "department": data.get("department")}


class DashboardPage(ReportPage):
    """The leaders' dashboard: tables and the two charts, drawn on the server as SVG."""

    name = "dashboard"

    def compute(self, form):
        return api.dashboard(self.context, department=form.get("department") or None)

    def period_query(self, **extra):
        return urlencode({k: v for k, v in extra.items() if v})

    def charts(self):
        drawings = charts.dashboard_charts(self.data, printing.month_label)
        return [charts.svg(d, f"chart-{i}") for i, d in enumerate(drawings)]

    def month(self, day):
        return printing.month_label(day)
