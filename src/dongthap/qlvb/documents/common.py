"""Small helpers every kind of document uses: the time, the actor, dates as people read them."""

from dongthap.qlvb.numbering import counter
from plone import api

import contextlib
import datetime
import re

VIETNAM = counter.VIETNAM
_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def now():
    """Now, Vietnam time (the time of trail entries, registers, deadlines)."""
    return counter.vietnam_now()


def actor():
    """The id of the current user, as the trail names him."""
    user = api.user.get_current()
    return user.getId() or user.getUserName()


def fmt_date(value):
    """dd/mm/yyyy (Vietnam time for datetimes); '' for None."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        value = value.astimezone(VIETNAM)
    return value.strftime("%d/%m/%Y")


def fmt_datetime(value):
    """dd/mm/yyyy hh:mm, Vietnam time; an ISO string is read first; '' for None."""
    if value is None:
        return ""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if value.tzinfo is not None:
        value = value.astimezone(VIETNAM)
    return value.strftime("%d/%m/%Y %H:%M")


def parse_date(value):
    """A date from ``dd/mm/yyyy`` (forms) or ISO ``yyyy-mm-dd`` (REST); ValueError otherwise."""
    if value is None or isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    text = str(value).strip()
    if not text:
        return None
    match = _DMY.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(text[:10])


# ---------------------------------------------------------------- antivirus answers of the creation paths


def scan_raw_uploads(data, error, *, path_of_entry, partial=False, agency=None, context=None):
    """Scan every upload of the raw input ``data`` *first*, whatever else is wrong with it.

    Malware is refused as malware (and recorded as an incident for the security
    officer) even when it would also be refused as "not a PDF". Raises ``error``
    (message, errors, status: 400 infected, 503 scanner unavailable).
    """
    try:
        from dongthap.qlvb.antivirus.api import refuse_raw_uploads
    except ImportError:  # pragma: no cover - capability not installed
        return
    refusal = refuse_raw_uploads(data, partial=partial, path_of_entry=path_of_entry, agency=agency,
                                 context=context)
    if refusal is not None:
        message, errors, status = refusal
        raise error(message, errors, status=status)


@contextlib.contextmanager
def antivirus_errors(error):
    """A file refused by the scanner inside the block becomes ``error`` (a clear answer, nothing saved)."""
    try:
        from dongthap.qlvb.antivirus.scanner import AntivirusError
    except ImportError:  # pragma: no cover - capability not installed
        AntivirusError = ()  # noqa: N806
    try:
        yield
    except AntivirusError as problem:
        from dongthap.qlvb.documents import validation

        message = getattr(problem, "message", None) or str(problem)
        raise error(message, [{"field": "file", "message": message}],
                    status=validation.antivirus_status(problem)) from problem
