"""Conflict-safe yearly register counters, per agency and per register.

A counter is a tiny persistent object **without** conflict resolution: when two
transactions (threads or Zope processes sharing a RelStorage database) take a
number from the same counter, the second one to commit fails with a ZODB
``ConflictError`` and must be retried from the start (see
:func:`dongthap.qlvb.numbering.retry.run_in_transaction`). The number is taken
*inside* the transaction that stores it on the document, so a number is
either committed together with its document or not at all: no gap, no
duplicate. Never replace :class:`RegisterCounter` by ``BTrees.Length``, which
*resolves* concurrent increments and would hand out duplicates.

Counters live on the agency in an ``OOBTree`` keyed ``(register, year)``; the
year is the calendar year in Vietnam time (Asia/Ho_Chi_Minh), so a register
rolls over at 00:00 on 1 January in Vietnam, whatever the server's zone.
"""

from BTrees.OOBTree import OOBTree
from persistent import Persistent
from zoneinfo import ZoneInfo

import datetime

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
#: Vietnam has had no daylight saving time since 1975: stored datetimes carry this
#: fixed offset, because ZoneInfo objects cannot be pickled into the ZODB.
VIETNAM_OFFSET = datetime.timezone(datetime.timedelta(hours=7))
COUNTERS_ATTR = "_qlvb_register_counters"

#: Register keys in use (the outgoing capability adds its series here).
INCOMING = "incoming"


def vietnam_now():
    """The current time, aware (fixed +07:00 offset), in Vietnam."""
    return datetime.datetime.now(VIETNAM_OFFSET)


def current_year(now=None):
    """The register year of ``now`` (aware datetime, default: now) in Vietnam time."""
    now = now or vietnam_now()
    if now.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return now.astimezone(VIETNAM).year


class RegisterCounter(Persistent):
    """The last number handed out by one register in one year.

    Deliberately no ``_p_resolveConflict``: concurrent increments must conflict.
    """

    def __init__(self, register, year):
        self.register = register
        self.year = year
        self.last = 0
        self.updated = None

    def __repr__(self):
        return f"<RegisterCounter {self.register} {self.year}: {self.last}>"


def _counters(agency, create):
    counters = getattr(agency, COUNTERS_ATTR, None)
    if counters is None and create:
        counters = OOBTree()
        setattr(agency, COUNTERS_ATTR, counters)
    return counters


def next_number(agency, register, now=None):
    """Take the next number of ``register`` in ``agency`` for the year of ``now``.

    Returns ``(year, number)``. Call it inside the transaction that stores the
    number, as late as possible, and commit through ``run_in_transaction``.
    """
    now = now or vietnam_now()
    year = current_year(now)
    counters = _counters(agency, create=True)
    counter = counters.get((register, year))
    if counter is None:
        counter = RegisterCounter(register, year)
        counters[(register, year)] = counter
    counter.last += 1
    counter.updated = now.astimezone(VIETNAM_OFFSET).isoformat()
    return year, counter.last


def peek_number(agency, register, year=None):
    """The last number handed out (0 when none) — for display and tests only."""
    year = year or current_year()
    counters = _counters(agency, create=False)
    if counters is None:
        return 0
    counter = counters.get((register, year))
    return counter.last if counter is not None else 0
