"""The one ``@registers`` service and the register downloads: the Plone side of the registers.

``GET <agency>/@registers``          the registers the current user may see: name, title,
                                     formats, URLs
``GET <agency>/@registers/<name>``   one register: its rows as JSON, or with ``format=pdf|xlsx``
                                     a download (attachment, Vietnamese file name)

Parameters: ``year=yyyy`` or ``from``/``to`` (``dd/mm/yyyy`` or ISO) bound the period (a file
without them prints 1 January of this year to today); ``format=json|pdf|xlsx``;
``register=<name>`` picks a companion register on the same URL (the old
``@registers/incoming?register=incoming_tracking``); any other parameter is a filter handed
to the provider. Unknown register: 404; a register the user may not see: 403; bad dates,
period or format: 400 — each with a translated message.

The registers themselves are providers (named adapters of the agency to
:class:`~dongthap.qlvb.registers.interfaces.IRegisterProvider`) registered by the
capabilities that own the data; see ``docs/registers.md``.
"""

from dongthap.qlvb.documents.validation import parse_date
from dongthap.qlvb.registers import errors as E
from dongthap.qlvb.registers.columns import REGISTERS
from dongthap.qlvb.registers.formatting import format_date
from dongthap.qlvb.registers.interfaces import IRegisterProvider
from dongthap.qlvb.registers.provider import FORMATS
from dongthap.qlvb.registers.provider import json_value
from dongthap.qlvb.registers.provider import printed_period
from dongthap.qlvb.registers.render import render_pdf
from dongthap.qlvb.registers.render import render_xlsx
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.traverse import PathSegments
from plone import api
from plone.restapi.services import Service
from typing import NamedTuple
from urllib.parse import urlencode
from zope.component import getAdapters
from zope.component import queryAdapter
from zope.i18n import translate

import datetime
import json
import re

#: query parameters of the service itself; every other one is a provider filter
PARAMETERS = ("format", "from", "to", "year", "register")


# ---------------------------------------------------------------- providers


def providers(agency):
    """Every register provider of ``agency``, in the order of Phụ lục VI, then by name."""
    order = list(REGISTERS)
    found = [provider for _name, provider in getAdapters((agency,), IRegisterProvider)]
    return sorted(found, key=lambda p: (order.index(p.name) if p.name in order else len(order), p.name))


def allowed(provider):
    """Whether the current user may see ``provider``'s register of its agency."""
    return bool(api.user.has_permission(provider.permission, obj=provider.context))


def visible(agency):
    """The providers of ``agency`` whose register the current user may see."""
    return [provider for provider in providers(agency) if allowed(provider)]


def lookup(agency, name):
    """The provider called ``name``; UnknownRegisterError (404) or RegisterForbiddenError (403)."""
    provider = queryAdapter(agency, IRegisterProvider, name=name) if isinstance(name, str) and name else None
    if provider is None:
        raise E.UnknownRegisterError(key=name or "", known=", ".join(p.name for p in visible(agency)))
    if not allowed(provider):
        raise E.RegisterForbiddenError(key=name)
    return provider


def choose(agency, name, form):
    """The provider of the URL's register, or of the companion named by ``register=``."""
    provider = lookup(agency, name)
    wanted = form.get("register")
    if wanted and wanted != provider.name:
        offered = [provider.name, *(n for n in provider.companions.values() if n != provider.name)]
        if wanted not in offered:
            raise E.NotOfferedHereError(key=wanted, known=", ".join(offered))
        provider = lookup(agency, wanted)
    return provider


# ---------------------------------------------------------------- the query


def _date(form, key):
    value = form.get(key)
    if value is None or value == "":
        return None
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise E.InvalidDateError(value=value) from None


def period_of(form):
    """``(start, end)`` from ``year``, ``from`` and ``to`` (each may be missing: None)."""
    start, end = _date(form, "from"), _date(form, "to")
    year = form.get("year")
    if year not in (None, ""):
        if not isinstance(year, str) or not re.fullmatch(r"\s*\d{4}\s*", year):
            raise E.InvalidDateError(value=year)
        start = start or datetime.date(int(year), 1, 1)
        end = end or datetime.date(int(year), 12, 31)
    if start and end and start > end:
        raise E.InvalidPeriodError(start=format_date(start), end=format_date(end))
    return start, end


def format_of(provider, form, offered=None):
    fmt = form.get("format") or "json"
    formats = [f for f in provider.formats if offered is None or f in offered]
    if fmt not in formats:
        raise E.UnknownFormatError(format=fmt, known=", ".join(formats))
    return fmt


def filters_of(form):
    return {key: value for key, value in form.items() if key not in PARAMETERS}


# ---------------------------------------------------------------- answers


class Download(NamedTuple):
    """A file answer: the bytes, their content type and the file name."""

    data: bytes
    content_type: str
    filename: str


def answer(agency, name, form, request, offered=None):
    """The JSON body (a dict) or the :class:`Download` of ``@registers/<name>?<form>``.

    Raises a :class:`~dongthap.qlvb.registers.errors.RegisterError` (its ``status`` and
    translatable ``message``) on an unknown register, missing permission or bad query.
    """
    provider = choose(agency, name, form)
    fmt = format_of(provider, form, offered)
    start, end = period_of(form)
    filters = filters_of(form)
    if fmt == "json":
        return as_json(provider, start, end, filters, request)
    return download(provider, fmt, start, end, filters)


def _block(provider, start, end, filters):
    register = provider.register
    return {"title": register.title,
            "columns": [{"key": c.key, "header": c.header} for c in register.columns],
            "rows": [{key: json_value(value) for key, value in row.items()}
                     for row in provider.rows(start, end, filters)]}


def as_json(provider, start, end, filters, request):
    """The register as JSON: its rows (dates dd/mm/yyyy) and those of its companions."""
    agency = provider.context
    url = f"{agency.absolute_url()}/@registers/{provider.name}"
    period = {key: format_date(day) for key, day in (("from", start), ("to", end)) if day}
    body = {
        "@id": url,
        "name": provider.name,
        "label": translate(provider.title, context=request),
        "agency_code": getattr(agency, "agency_code", None),
        "from": period.get("from", ""), "to": period.get("to", ""),
        "downloads": {fmt: f"{url}?{urlencode(dict(format=fmt, **period))}"
                      for fmt in provider.formats if fmt != "json"},
        **_block(provider, start, end, filters),
    }
    for key, name in provider.companions.items():
        if name == provider.name:
            body[key] = {k: body[k] for k in ("title", "columns", "rows")}
            continue
        companion = queryAdapter(agency, IRegisterProvider, name=name)
        if companion is not None and allowed(companion):
            body[key] = _block(companion, start, end, filters)
    return body


def printed_by():
    """The full name of the current user (the login when there is none)."""
    user = api.user.get_current()
    return user.getProperty("fullname", None) or user.getUserName()


def download(provider, fmt, start, end, filters):
    """The register as a PDF or XLSX file for the printed period."""
    start, end = printed_period(start, end)
    render = render_pdf if fmt == "pdf" else render_xlsx
    data = render(provider.register.key, provider.rows(start, end, filters),
                  agency_name=provider.context.Title(), period_from=start, period_to=end,
                  printed_by=printed_by())
    return Download(data, FORMATS[fmt], provider.filename(start, end, fmt))


def send(response, file):
    """Answer ``file`` (a :class:`Download`) as an attachment."""
    response.setHeader("Content-Type", file.content_type)
    response.setHeader("Content-Disposition", f'attachment; filename="{file.filename}"')
    response.setHeader("Content-Length", str(len(file.data)))
    response.setHeader("Cache-Control", "private, no-store")
    response.setHeader("X-Content-Type-Options", "nosniff")
    return file.data


def listing(agency, request):
    """``GET @registers``: the registers the current user may see."""
    base = f"{agency.absolute_url()}/@registers"
    return {
        "@id": base,
        "agency_code": getattr(agency, "agency_code", None),
        "items": [{
            "@id": f"{base}/{provider.name}",
            "name": provider.name,
            "title": translate(provider.title, context=request),
            "printed_title": provider.register.title,
            "formats": list(provider.formats),
            "downloads": {fmt: f"{base}/{provider.name}?format={fmt}"
                          for fmt in provider.formats if fmt != "json"},
        } for provider in visible(agency)],
    }


# ---------------------------------------------------------------- the REST service


class DownloadOrJsonGet(PathSegments, Service):
    """A GET service over path segments (``self.segments``) whose ``reply`` answers JSON or a
    :class:`Download` (sent as a file): ``@registers``, ``@reports``, ``@export-jobs``."""

    ensure_ascii = True
    separators = (", ", ": ")

    def render(self):
        self.check_permission()
        content = self.reply()
        if isinstance(content, Download):
            return send(self.request.response, content)
        self.request.response.setHeader("Content-Type", self.content_type)
        return json.dumps(content, indent=2, sort_keys=True, separators=self.separators,
                          ensure_ascii=self.ensure_ascii)


class RegistersGet(DownloadOrJsonGet):
    """``GET <agency>/@registers[/<name>]`` (permission View; each register checks its own)."""

    @guarded
    def reply(self):
        if not self.segments:
            return listing(self.context, self.request)
        if len(self.segments) > 1:
            raise E.UnknownRegisterError(key="/".join(self.segments),
                                         known=", ".join(p.name for p in visible(self.context)))
        return answer(self.context, self.segments[0], self.request.form, self.request)
