"""Register downloads for the browser (Classic UI) through the same providers as ``@registers``.

``<agency>/@@so-van-ban?register=<name>&format=pdf|xlsx&from=&to=``   any register the user may see
``<agency>/@@so-van-ban-den?register=incoming|incoming_tracking&…``   the incoming registers' old
                                                                     address (default ``incoming``)

A register the user may not see is refused like any protected page (login or
"insufficient privileges"); an unknown register is 404, bad input 400 — with a translated
plain-text message.
"""

from dongthap.qlvb.registers import errors as E
from dongthap.qlvb.registers import service
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zExceptions import Unauthorized
from zope.i18n import translate

FILE_FORMATS = ("pdf", "xlsx")


class DownloadPage(BrowserView):
    """A register as a PDF (the default) or Excel file."""

    #: the register when ``register=`` is not given; then only it and its companions are offered
    default = None

    def __call__(self):
        form = dict(self.request.form)
        form["format"] = form.get("format") or "pdf"
        name = self.default or form.get("register")
        try:
            result = service.answer(self.context, name, form, self.request, offered=FILE_FORMATS)
        except E.RegisterForbiddenError:
            raise Unauthorized("register") from None
        except E.RegisterError as problem:
            self.request.response.setStatus(problem.status)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(problem.message, context=self.request)
        return service.send(self.request.response, result)


class IncomingDownloadPage(DownloadPage):
    """``@@so-van-ban-den``: the incoming register and its processing register."""

    default = "incoming"


class DownloadLinks(BrowserView):
    """The "Print the registers" line of a dashboard (nothing when the user may see none)."""

    index = ViewPageTemplateFile("templates/links.pt")

    def __init__(self, context, request, links):
        super().__init__(context, request)
        self.links = links

    def __call__(self):
        return self.index()


def links_html(agency, names, request, page="so-van-ban", period=None):
    """The HTML of :class:`DownloadLinks` for the registers in ``names`` (see :func:`download_links`)."""
    return DownloadLinks(agency, request, download_links(agency, names, request, page, period))()


def download_links(agency, names, request, page="so-van-ban", period=None):
    """Links of the registers in ``names`` the user may see, for a dashboard:
    ``[{"name", "title" (translated), "pdf": url, "xlsx": url}]``; ``period`` holds the
    ``from``/``to`` texts to pass on."""
    base = f"{agency.absolute_url()}/@@{page}"
    period = period or {}
    return [
        {"name": provider.name, "title": translate(provider.title, context=request),
         **{fmt: f"{base}?{urlencode(dict(register=provider.name, format=fmt, **period))}"
            for fmt in FILE_FORMATS if fmt in provider.formats}}
        for provider in service.visible(agency) if provider.name in names
    ]
