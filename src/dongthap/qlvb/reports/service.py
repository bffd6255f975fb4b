"""``GET <site or agency>/@reports[/<name>]``: the reports as JSON, PDF or XLSX (docs/reports.md).

========================  ===============  ==================================================
name                      where            what
========================  ===============  ==================================================
(none)                    site, agency     the reports the user may see, with their URLs
``edoc``                  site, agency     QĐ 595 e-document report (``from``/``to``, or
                                           ``year`` [+ ``quarter``]; default this quarter)
``edoc-documents``        agency           the documents behind one cell (``direction`` =
                                           received|sent, ``cell``)
``processing``            agency           ``kind`` = incoming|outgoing, ``department``
``dashboard``             agency           the leaders' dashboard
========================  ===============  ==================================================

``format=pdf|xlsx`` answers a file (attachment) for ``edoc``, ``processing``, ``dashboard``.
Refusals raise :class:`~dongthap.qlvb.errors.QlvbError` (400 bad input, 403, 404).
"""

from dongthap.qlvb.documents.validation import short
from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.formatting import format_date
from dongthap.qlvb.registers.formatting import Heading
from dongthap.qlvb.registers.provider import slug
from dongthap.qlvb.registers.service import Download
from dongthap.qlvb.registers.service import DownloadOrJsonGet
from dongthap.qlvb.registers.service import printed_by
from dongthap.qlvb.reports import api
from dongthap.qlvb.reports import export
from dongthap.qlvb.reports import printing
from dongthap.qlvb.restapi.errors import guarded
from plone import api as papi

import datetime

FILE_TYPES = {"pdf": "application/pdf",
              "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
AGENCY_REPORTS = ("edoc", "edoc-documents", "processing", "dashboard", "punctuality")
SITE_REPORTS = ("edoc",)


def jsonable(value):
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


def _format(form, offered=("json", "pdf", "xlsx")):
    fmt = form.get("format") or "json"
    if fmt not in offered:
        raise QlvbError(_("error_report_format", default="Unknown format ${value}: choose ${known}.",
                          mapping={"value": short(fmt), "known": ", ".join(offered)}),
                        [{"field": "format", "message": _("error_report_format_field",
                                                          default="Unknown format.")}])
    return fmt


def _agency_name(context):
    return context.Title() if IAgency.providedBy(context) else "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP"


def heading(context, start, end):
    from dongthap.qlvb.documents.common import now

    return Heading(agency_name=_agency_name(context), period_from=start, period_to=end,
                   printed_at=now(), printed_by=printed_by())


def file_of(report, fmt, start, end):
    data = export.pdf(report) if fmt == "pdf" else export.xlsx(report)
    years = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    return Download(data, FILE_TYPES[fmt], f"{slug(report.title)}-{years}.{fmt}")


def listing(context):
    """The reports the current user may see here, with their URLs (pages and REST)."""
    base = context.absolute_url()
    items = []
    if IAgency.providedBy(context):
        if api.may_agency(context) or api.may_province():
            items.append(("edoc", _("report_edoc", default="Electronic documents sent and received (QĐ 595)"),
                          "bao-cao-van-ban-dien-tu"))
        unit = api.may_agency(context) or papi.user.has_permission(api.UNIT_PERMISSION, obj=context)
        if unit:
            items.append(("processing", _("report_processing_incoming",
                                          default="Processing of incoming documents"),
                          "bao-cao-giai-quyet?kind=incoming"))
            items.append(("processing", _("report_processing_outgoing",
                                          default="Processing of outgoing documents"),
                          "bao-cao-giai-quyet?kind=outgoing"))
            items.append(("dashboard", _("report_dashboard", default="Leaders' dashboard"),
                          "bang-dieu-khien"))
    elif api.may_province():
        items.append(("edoc", _("report_edoc_province",
                                default="Electronic documents sent and received in the province (QĐ 595)"),
                      "bao-cao-van-ban-dien-tu"))
    out = [{"name": name, "title": title, "page": f"{base}/@@{page}",
            "@id": f"{base}/@reports/{name}" + (page[page.index("?"):] if "?" in page else "")}
           for name, title, page in items]
    if IAgency.providedBy(context) and api.may_province():  # the province's report, from any agency
        portal = papi.portal.get().absolute_url()
        out.append({"name": "edoc", "title": _("report_edoc_province",
                                               default="Electronic documents sent and received in "
                                                       "the province (QĐ 595)"),
                    "page": f"{portal}/@@bao-cao-van-ban-dien-tu", "@id": f"{portal}/@reports/edoc"})
    return out


def answer(context, name, form):
    """The JSON of report ``name`` on ``context``, or a :class:`Download`."""
    known = AGENCY_REPORTS if IAgency.providedBy(context) else SITE_REPORTS
    if name not in known:
        raise QlvbError(_("error_unknown_report", default="There is no report ${name} here.",
                          mapping={"name": name}), status=404)
    if name == "edoc-documents":
        start, end = api.period(form)
        return api.edoc_documents(context, start, end, form.get("direction"), form.get("cell"))
    if name == "punctuality":  # on time / late / overdue per person and department (JSON)
        from dongthap.qlvb.reports import punctuality

        department = api.unit_scope(context, form.get("department") or None)
        start, end = api.period(form, default="year")
        return punctuality.report(context, start, end, department=department)
    fmt = _format(form)
    if name == "edoc":
        start, end = api.period(form)
        data = api.edoc_report(context, start, end)
        report = printing.edoc(data, heading(context, start, end))
    elif name == "processing":
        start, end = api.period(form, default="year")
        data = api.processing_report(context, form.get("kind") or "incoming", start, end,
                                     department=form.get("department") or None, lists=True)
        title = context[data["department"]].title if data["department"] else ""
        report = printing.processing(data, heading(context, start, end), title)
    else:
        data = api.dashboard(context, department=form.get("department") or None)
        start = data["trend"][0]["month"]
        end = data["day"]
        report = printing.dashboard(data, heading(context, start, end))
    if fmt != "json":
        return file_of(report, fmt, start, end)
    return data


class ReportsGet(DownloadOrJsonGet):
    """``GET @reports[/<name>]`` (permission View; every report checks its own inside)."""

    ensure_ascii = False
    separators = (",", ": ")

    @guarded
    def reply(self):
        if not self.segments:
            from zope.i18n import translate

            return {"@id": f"{self.context.absolute_url()}/@reports",
                    "items": [dict(i, title=translate(i["title"], context=self.request))
                              for i in listing(self.context)]}
        if len(self.segments) > 1:
            raise QlvbError(_("error_unknown_report", default="There is no report ${name} here.",
                              mapping={"name": "/".join(self.segments)}), status=404)
        result = answer(self.context, self.segments[0], dict(self.request.form))
        return result if isinstance(result, Download) else jsonable(result)
