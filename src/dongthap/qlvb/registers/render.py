"""Public entry points: ``render_pdf`` and ``render_xlsx``.

Both take a register key (see :data:`.columns.REGISTERS`), the rows and the
heading data, validate everything first (a :class:`.errors.RegisterError`,
a ValueError, and nothing rendered on bad input), then hand validated rows to
:mod:`.pdf` or :mod:`.xlsx`.

Rows are mappings from column keys to ``str``, ``int``, ``datetime.date``,
``datetime.datetime`` or ``None``.  Missing keys print as empty cells (the
"Ký nhận" column is normally left blank for a handwritten signature); keys the
register does not have are an error, so that typos do not silently drop data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from .columns import Register, get_register
from .errors import InvalidPeriodError, InvalidValueError, UnknownColumnError
from .formatting import VIETNAM_TZ, Heading, format_date, is_printable, to_vietnam_time
from .pdf import build_pdf
from .xlsx import build_xlsx

Row = Mapping[str, object]


def render_pdf(register_key: str, rows: Iterable[Row], *, agency_name: str,
               period_from: dt.date, period_to: dt.date, printed_by: str | None = None,
               printed_at: dt.datetime | None = None) -> bytes:
    """The register as a PDF (A4 landscape, Noto Serif embedded).

    *printed_at* defaults to now (Vietnam time); *printed_by* (the user's
    name) is printed in the footer mark when given.
    """
    register, values, heading = prepare(register_key, rows, agency_name, period_from, period_to,
                                        printed_by, printed_at)
    return build_pdf(register, values, heading)


def render_xlsx(register_key: str, rows: Iterable[Row], *, agency_name: str,
                period_from: dt.date, period_to: dt.date, printed_by: str | None = None,
                printed_at: dt.datetime | None = None) -> bytes:
    """The register as an Excel workbook (one sheet, typed dates, print-ready)."""
    register, values, heading = prepare(register_key, rows, agency_name, period_from, period_to,
                                        printed_by, printed_at)
    return build_xlsx(register, values, heading)


def prepare(register_key: str, rows: Iterable[Row], agency_name: str, period_from: dt.date,
            period_to: dt.date, printed_by: str | None = None,
            printed_at: dt.datetime | None = None) -> tuple[Register, list[tuple], Heading]:
    """Validate the inputs: the register, rows as tuples in column order, and the heading."""
    register = get_register(register_key)
    values = [_row_values(register, row, number) for number, row in enumerate(rows, 1)]
    start, end = _day(period_from), _day(period_to)
    if start > end:
        raise InvalidPeriodError(start=format_date(start), end=format_date(end))
    printed_at = dt.datetime.now(VIETNAM_TZ) if printed_at is None else to_vietnam_time(printed_at)
    heading = Heading(agency_name=agency_name, period_from=start, period_to=end,
                      printed_at=printed_at, printed_by=printed_by)
    return register, values, heading


def _day(value: dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return to_vietnam_time(value).date()
    return value


def _row_values(register: Register, row: Row, number: int) -> tuple:
    unknown = set(row) - set(register.keys)
    if unknown:
        raise UnknownColumnError(row=number, columns=", ".join(sorted(map(str, unknown))),
                                 key=register.key)
    values = tuple(row.get(key) for key in register.keys)
    for key, value in zip(register.keys, values, strict=True):
        if not is_printable(value):
            raise InvalidValueError(row=number, column=key, type=type(value).__name__)
    return values
