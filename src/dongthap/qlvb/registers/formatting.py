"""Values and fixed texts as they appear on a printed register.

Dates are printed ``dd/mm/yyyy`` and date-times ``dd/mm/yyyy HH:MM`` in the
Vietnam time zone (Asia/Ho_Chi_Minh, UTC+7); ISO 8601 never reaches paper.
A naive ``datetime`` is taken to be Vietnam local time already; an aware one is
converted.  Text is normalised to Unicode NFC so that Vietnamese letters typed
with combining marks (common from some input methods) map to the precomposed
glyphs of the font and extract cleanly from the PDF.

The fixed texts below are part of the printed document (Vietnamese, whatever
the UI language), like the legal column headers.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

#: Phụ lục VI: printouts made from the system are marked as such.
SYSTEM_NAME = "Hệ thống quản lý văn bản và điều hành"
PRINTED_FROM = "In từ " + SYSTEM_NAME
EMPTY_TEXT = "Không có văn bản trong khoảng thời gian này"
PAGE_TEXT = "Trang {page}/{pages}"
PERIOD_TEXT = "Từ ngày {start} đến ngày {end}"
#: NĐ 30/2020/NĐ-CP, Phụ lục I: the national name (quốc hiệu) and motto (tiêu ngữ) at the top right.
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"


def to_vietnam_time(value: dt.datetime) -> dt.datetime:
    """*value* as an aware datetime in Vietnam time (naive = already Vietnam time)."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=VIETNAM_TZ)
    return value.astimezone(VIETNAM_TZ)


def format_date(value: dt.date) -> str:
    """``dd/mm/yyyy``; a datetime is first converted to Vietnam time."""
    if isinstance(value, dt.datetime):
        value = to_vietnam_time(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_datetime(value: dt.datetime) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam time."""
    value = to_vietnam_time(value)
    return f"{format_date(value)} {value.hour:02d}:{value.minute:02d}"


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """NFC text; ``\\r\\n``/``\\r`` become ``\\n``, tabs spaces, other control characters go.

    (Control characters are invalid in XLSX and have no glyph in the PDF.)
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return unicodedata.normalize("NFC", _CONTROL.sub("", value))


def is_printable(value) -> bool:
    """Whether *value* is a type the registers accept (None, str, int, date, datetime)."""
    if value is None or isinstance(value, (str, dt.date)):
        return True
    return isinstance(value, int) and not isinstance(value, bool)


def format_value(value) -> str:
    """The text of one cell (None → empty); call :func:`is_printable` first."""
    if value is None:
        return ""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_date(value)
    return str(value)


@dataclass(frozen=True)
class Heading:
    """What is printed around the table: agency, period and the printout mark."""

    agency_name: str
    period_from: dt.date
    period_to: dt.date
    printed_at: dt.datetime
    printed_by: str | None = None

    @property
    def period(self) -> str:
        """``Từ ngày dd/mm/yyyy đến ngày dd/mm/yyyy``."""
        return PERIOD_TEXT.format(start=format_date(self.period_from), end=format_date(self.period_to))

    @property
    def printed_mark(self) -> str:
        """``In từ Hệ thống quản lý văn bản và điều hành — dd/mm/yyyy HH:MM — <printed_by>``."""
        parts = [PRINTED_FROM, format_datetime(self.printed_at)]
        if self.printed_by:
            parts.append(clean_text(self.printed_by).replace("\n", " "))
        return " — ".join(parts)
