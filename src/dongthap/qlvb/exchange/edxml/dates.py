"""Date and timestamp conversion for edXML.

We write ``yyyy/MM/dd`` and ``yyyy/MM/dd HH:mm:ss``; we read those plus
``dd/MM/yyyy``, ``dd/MM/yyyy HH:mm:ss``, ISO 8601 and ``-`` separators.
"""

from __future__ import annotations

import datetime
import re

from .constants import DATE_FORMAT, TIMESTAMP_FORMAT, VN_TZ

_DATE_RE = re.compile(
    r"^\s*(?:(?P<y1>\d{4})[/\-.](?P<m1>\d{1,2})[/\-.](?P<d1>\d{1,2})"
    r"|(?P<d2>\d{1,2})[/\-.](?P<m2>\d{1,2})[/\-.](?P<y2>\d{4}))"
    r"(?:[T\s]+(?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$"
)


def format_date(value: datetime.date | None) -> str:
    """``yyyy/MM/dd`` or "" for None."""
    return value.strftime(DATE_FORMAT) if value else ""


def format_timestamp(value: datetime.datetime | None) -> str:
    """``yyyy/MM/dd HH:mm:ss`` in Vietnamese time, or "" for None.

    Aware values are converted to UTC+7; naive values are taken as local.
    """
    if not value:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone(VN_TZ)
    return value.strftime(TIMESTAMP_FORMAT)


def _match(text: str) -> re.Match:
    m = _DATE_RE.match(text or "")
    if not m:
        raise ValueError(f"unrecognised date: {text!r}")
    return m


def _ymd(m: re.Match) -> tuple[int, int, int]:
    if m.group("y1"):
        return int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
    return int(m.group("y2")), int(m.group("m2")), int(m.group("d2"))


def parse_date(text: str) -> datetime.date:
    """Read a date in any accepted format (a time part is ignored).

    Raises :class:`ValueError` when the text is not a valid date.
    """
    return datetime.date(*_ymd(_match(text)))


def parse_timestamp(text: str) -> datetime.datetime:
    """Read a timestamp in any accepted format (date only means midnight).

    Returns an aware datetime in UTC+7 (:data:`VN_TZ`): edXML times are local
    Vietnamese time; a zone suffix in the text, if any, is ignored.
    Raises :class:`ValueError` when the text is not a valid timestamp.
    """
    m = _match(text)
    hour = int(m.group("H") or 0)
    minute = int(m.group("M") or 0)
    second = int(m.group("S") or 0)
    return datetime.datetime(*_ymd(m), hour, minute, second, tzinfo=VN_TZ)
