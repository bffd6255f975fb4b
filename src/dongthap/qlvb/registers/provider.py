"""The base class of register providers and the one download convention (no Plone here).

A capability subclasses :class:`RegisterProvider`, sets :attr:`~RegisterProvider.name`
(a key of :data:`.columns.REGISTERS`) and :attr:`~RegisterProvider.permission`, gives
:attr:`~RegisterProvider.build` (a function of the agency and the period) or writes
:meth:`~RegisterProvider.rows`, and registers the class as a named adapter of
``IAgency`` (see ``docs/registers.md``).  What every register shares is here:

* the printed **period** (:func:`printed_period`): the requested dates, else 1 January
  of this year (Vietnam time) to today;
* the **file name** (:func:`download_name`): the printed title without diacritics and
  the year(s) of the period, ``so-dang-ky-van-ban-den-2026.pdf``,
  ``muc-luc-ho-so-2025-2026.xlsx``;
* the **JSON value** of a cell (:func:`json_value`): dates ``dd/mm/yyyy``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from zope.interface import implementer

from .columns import Register, get_register
from .formatting import VIETNAM_TZ, format_date, format_datetime
from .interfaces import IRegisterProvider

FORMATS = {
    "json": "application/json",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@implementer(IRegisterProvider)
class RegisterProvider:
    """A register of an agency: subclasses set ``name``, ``permission`` and write ``rows``."""

    name: str = ""
    permission: str = ""
    formats: tuple[str, ...] = ("json", "pdf", "xlsx")
    companions: dict[str, str] = {}

    def __init__(self, context):
        self.context = context

    @property
    def register(self) -> Register:
        return get_register(self.name)

    @property
    def title(self):
        return self.register.label

    #: ``build(agency, start, end) -> rows``, called by the default :meth:`rows`
    build = None

    def rows(self, start, end, filters):
        return self.build(self.context, start, end)

    def filename(self, start: dt.date, end: dt.date, fmt: str) -> str:
        return download_name(self.register.title, start, end, fmt)


def today() -> dt.date:
    """Today in Vietnam."""
    return dt.datetime.now(VIETNAM_TZ).date()


def printed_period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period a file prints: the given dates, else 1 January of the end's year to today."""
    end = end or today()
    return start or end.replace(month=1, day=1), end


def slug(text: str) -> str:
    """``SỔ ĐĂNG KÝ VĂN BẢN ĐẾN`` → ``so-dang-ky-van-ban-den``."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def download_name(title: str, start: dt.date, end: dt.date, fmt: str) -> str:
    """The file name of a download: slug of the printed title, the year(s), the format."""
    years = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
    return f"{slug(title)}-{years}.{fmt}"


def json_value(value):
    """A cell as JSON: dates ``dd/mm/yyyy``, date-times ``dd/mm/yyyy HH:MM`` (Vietnam time)."""
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return value

