"""Retention, transfer deadlines and disposal eligibility of dossiers: pure functions.

No Plone import and no hidden clock: every function that depends on "today"
takes a ``clock`` (a callable returning an aware ``datetime``; default
:func:`vietnam_now`) or an explicit ``today``, so tests freeze time with
:func:`frozen_clock`.  "Today" is the calendar day in Vietnam (UTC+7).

The rules (``docs/domain.md`` §3, NĐ 30/2020 Art. 28, Luật Lưu trữ 2024):

* **Retention** (thời hạn bảo quản) is "Vĩnh viễn" (:data:`PERMANENT`) or a
  number of years.  A dossier's retention runs from the end of the work: it
  expires on the same day *years* later (29 February → 28 February)
  (:func:`expiry_date`).  A permanent dossier never expires and can never be
  destroyed.
* **Transfer** (nộp lưu) to the agency archive is due one year after the end
  of the work, three months after settlement for construction projects
  (:func:`transfer_due_date`); a unit may keep a dossier back at most two
  more years with approval (``extension_years``).  The records manager is
  warned :data:`WARNING_DAYS` (30) days before the due date
  (:func:`transfer_status`), and each unit sees its overdue dossiers
  (:func:`overdue_by_unit`).
* **Disposal** (hủy): only a dossier whose retention has expired, that is not
  permanent and not under a legal hold, and that is in the archive (state
  ``transferred``) may go on a disposal list (:func:`disposal_problems`,
  :func:`check_disposable`).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dongthap.qlvb.i18n import _

from .errors import DisposalRefusedError, RetentionError, reason

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
PERMANENT = "permanent"
#: the label printed in registers and metadata (TT 02/2019 Maintenance)
PERMANENT_LABEL = "Vĩnh viễn"
WARNING_DAYS = 30
TRANSFER_YEARS = 1
CONSTRUCTION_MONTHS = 3
MAX_EXTENSION_YEARS = 2
MAX_YEARS = 200

#: transfer states
NOT_DUE = "not_due"
WARNING = "warning"
OVERDUE = "overdue"
NO_END_DATE = "no_end_date"

Clock = Callable[[], dt.datetime]


def vietnam_now() -> dt.datetime:
    """The current time in Vietnam (the default clock)."""
    return dt.datetime.now(VIETNAM_TZ)


def frozen_clock(at: dt.datetime | dt.date) -> Clock:
    """A clock that always says *at* (a date means 08:00 Vietnam time that day)."""
    if not isinstance(at, dt.datetime):
        at = dt.datetime(at.year, at.month, at.day, 8, 0, tzinfo=VIETNAM_TZ)
    elif at.tzinfo is None:
        at = at.replace(tzinfo=VIETNAM_TZ)
    return lambda: at


def today(clock: Clock | None = None) -> dt.date:
    """The calendar day in Vietnam according to *clock*."""
    now = (clock or vietnam_now)()
    if now.tzinfo is None:
        now = now.replace(tzinfo=VIETNAM_TZ)
    return now.astimezone(VIETNAM_TZ).date()


def _day(value, name: str) -> dt.date:
    if isinstance(value, dt.datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=VIETNAM_TZ)).astimezone(VIETNAM_TZ).date()
    if not isinstance(value, dt.date):
        raise RetentionError(
            reason=reason(_("archive_reason_not_a_date", default="${name} is not a date."), name=name)
        )
    return value


_PERMANENT_WORDS = {"permanent", "vinh vien", "vv", "vinhvien"}


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFD", text.strip().lower()).replace("đ", "d")
    return "".join(c for c in text if not unicodedata.combining(c))


def parse_retention(value) -> str | int:
    """:data:`PERMANENT` or a number of years from *value*.

    Accepts ``"permanent"``, ``"Vĩnh viễn"`` (any case/accents), an int, or
    text such as ``"10"``, ``"10 năm"``.  Anything else, zero, negative or
    more than :data:`MAX_YEARS` years raises :class:`RetentionError`.
    """
    if isinstance(value, bool):
        value = None
    if isinstance(value, int):
        years = value
    elif isinstance(value, str):
        folded = _fold(value)
        if folded in _PERMANENT_WORDS:
            return PERMANENT
        match = re.fullmatch(r"(\d{1,4})\s*(nam|years?)?", folded)
        if not match:
            raise RetentionError(
                reason=reason(
                    _(
                        "archive_reason_retention_unknown",
                        default='"${value}" is neither "Vĩnh viễn" nor a number of years.',
                    ),
                    value=value[:40],
                )
            )
        years = int(match.group(1))
    else:
        raise RetentionError(
            reason=reason(_("archive_reason_retention_missing", default="no retention period given."))
        )
    if not 0 < years <= MAX_YEARS:
        raise RetentionError(
            reason=reason(
                _("archive_reason_retention_range", default="${years} years is outside 1–${max}."),
                years=years,
                max=MAX_YEARS,
            )
        )
    return years


def is_permanent(retention) -> bool:
    """Whether *retention* means "Vĩnh viễn"."""
    return parse_retention(retention) == PERMANENT


def retention_label(retention) -> str:
    """``"Vĩnh viễn"`` or ``"10 năm"`` (as printed in the registers and the metadata XML)."""
    value = parse_retention(retention)
    return PERMANENT_LABEL if value == PERMANENT else f"{value} năm"


def add_years(day: dt.date, years: int) -> dt.date:
    """*day* moved *years* years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    """*day* moved *months* months on, clamped to the end of the month (30/11 + 3 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def expiry_date(end_date, retention) -> dt.date | None:
    """The day a dossier's retention expires; ``None`` if permanent.

    Raises :class:`RetentionError` when *end_date* is missing (an open dossier
    has no expiry yet) or *retention* is invalid.
    """
    value = parse_retention(retention)
    if value == PERMANENT:
        return None
    return add_years(_day(end_date, "end_date"), value)


def transfer_due_date(end_date, *, construction: bool = False, extension_years: int = 0) -> dt.date:
    """The day a dossier is due in the agency archive.

    One year after *end_date* (the end of the work), or three months after it
    for a construction project (*end_date* is then the settlement date), plus
    an approved extension of at most :data:`MAX_EXTENSION_YEARS` years.
    """
    end = _day(end_date, "end_date")
    if not isinstance(extension_years, int) or not 0 <= extension_years <= MAX_EXTENSION_YEARS:
        raise RetentionError(
            reason=reason(
                _(
                    "archive_reason_extension",
                    default="a unit may keep a dossier back at most ${max} more years.",
                ),
                max=MAX_EXTENSION_YEARS,
            )
        )
    due = add_months(end, CONSTRUCTION_MONTHS) if construction else add_years(end, TRANSFER_YEARS)
    return add_years(due, extension_years)


def warning_date(due: dt.date) -> dt.date:
    """The first day of the warning period (30 days before *due*)."""
    return due - dt.timedelta(days=WARNING_DAYS)


@dataclass(frozen=True)
class TransferStatus:
    """Where a dossier stands against its transfer deadline on one day."""

    state: str  # NOT_DUE, WARNING, OVERDUE or NO_END_DATE
    due: dt.date | None
    days_left: int | None  # negative when overdue


def transfer_status(
    end_date,
    *,
    construction: bool = False,
    extension_years: int = 0,
    clock: Clock | None = None,
    on: dt.date | None = None,
) -> TransferStatus:
    """:data:`WARNING` from 30 days before the due date, :data:`OVERDUE` after it.

    On the due day itself the dossier is still in the warning period (0 days
    left); the next day it is overdue.  A dossier without an end date (still
    open) is :data:`NO_END_DATE`.
    """
    day = on or today(clock)
    if end_date is None:
        return TransferStatus(NO_END_DATE, None, None)
    due = transfer_due_date(end_date, construction=construction, extension_years=extension_years)
    left = (due - day).days
    if left < 0:
        state = OVERDUE
    elif left <= WARNING_DAYS:
        state = WARNING
    else:
        state = NOT_DUE
    return TransferStatus(state, due, left)


#: dossier states that still await transfer (the dossiers workflow)
AWAITING_TRANSFER = frozenset({"open", "closed"})


@dataclass
class DossierFacts:
    """What the retention rules need to know about one dossier (Plone-free)."""

    code: str
    title: str = ""
    unit: str = ""
    state: str = "closed"
    end_date: dt.date | None = None
    retention: object = PERMANENT
    construction: bool = False
    extension_years: int = 0
    legal_hold: bool = False
    extra: dict = field(default_factory=dict)


def transfer_warnings(
    dossiers: Iterable[DossierFacts], *, clock: Clock | None = None, on: dt.date | None = None
) -> list[tuple[DossierFacts, TransferStatus]]:
    """Dossiers not yet transferred that are in the warning period or overdue, most urgent first."""
    day = on or today(clock)
    found = []
    for facts in dossiers:
        if facts.state not in AWAITING_TRANSFER or facts.end_date is None:
            continue
        status = transfer_status(
            facts.end_date, construction=facts.construction, extension_years=facts.extension_years, on=day
        )
        if status.state in (WARNING, OVERDUE):
            found.append((facts, status))
    found.sort(key=lambda pair: (pair[1].days_left, pair[0].code))
    return found


def overdue_by_unit(
    dossiers: Iterable[DossierFacts], *, clock: Clock | None = None, on: dt.date | None = None
) -> dict[str, list[tuple[DossierFacts, TransferStatus]]]:
    """Overdue dossiers (not yet transferred, past their due date) grouped by unit, units sorted."""
    groups: dict[str, list] = {}
    for facts, status in transfer_warnings(dossiers, clock=clock, on=on):
        if status.state == OVERDUE:
            groups.setdefault(facts.unit, []).append((facts, status))
    return dict(sorted(groups.items()))


def disposal_problems(facts: DossierFacts, *, clock: Clock | None = None, on: dt.date | None = None) -> list:
    """Why *facts* may not be destroyed today (translatable reasons); empty when it may."""
    problems = []
    try:
        permanent = is_permanent(facts.retention)
    except RetentionError as exc:
        return [exc.message]
    if permanent:
        problems.append(
            reason(_("archive_reason_permanent", default="its retention is permanent (Vĩnh viễn)."))
        )
    if facts.legal_hold:
        problems.append(reason(_("archive_reason_legal_hold", default="it is under a legal hold.")))
    if facts.state != "transferred":
        problems.append(
            reason(
                _(
                    "archive_reason_not_in_archive",
                    default="it is not in the agency archive (state: ${state}).",
                ),
                state=facts.state,
            )
        )
    if not permanent:
        if facts.end_date is None:
            problems.append(reason(_("archive_reason_no_end_date", default="it has no end date.")))
        else:
            expires = expiry_date(facts.end_date, facts.retention)
            day = on or today(clock)
            if expires > day:
                problems.append(
                    reason(
                        _("archive_reason_not_expired", default="its retention runs until ${date}."),
                        date=expires.strftime("%d/%m/%Y"),
                    )
                )
    return problems


def check_disposable(facts: DossierFacts, *, clock: Clock | None = None, on: dt.date | None = None) -> None:
    """Raise :class:`DisposalRefusedError` (first reason) unless *facts* may be destroyed today."""
    problems = disposal_problems(facts, clock=clock, on=on)
    if problems:
        raise DisposalRefusedError(code=facts.code, reason=problems[0])


def expired(
    dossiers: Iterable[DossierFacts], *, clock: Clock | None = None, on: dt.date | None = None
) -> list[DossierFacts]:
    """The dossiers that could go on a disposal list today (for the appraisal)."""
    day = on or today(clock)
    return [f for f in dossiers if not disposal_problems(f, on=day)]


def facts_from_mapping(data: Mapping) -> DossierFacts:
    """:class:`DossierFacts` from a mapping with the same keys (unknown keys go to ``extra``)."""
    known = {k: data[k] for k in DossierFacts.__dataclass_fields__ if k in data and k != "extra"}
    extra = {k: v for k, v in data.items() if k not in DossierFacts.__dataclass_fields__}
    return DossierFacts(**known, extra=extra)
