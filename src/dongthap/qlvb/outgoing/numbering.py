"""Numbers and notations of outgoing documents (NĐ 30/2020 Art. 15, Phụ lục I).

* The number comes from the agency's outgoing register for the year (Vietnam
  time), or from a separate series configured for the document type
  (:mod:`.settings`), through :func:`dongthap.qlvb.numbering.next_number`:
  a counter without conflict resolution, taken in the very transaction that
  stores the number on the document — no gap, no duplicate.
* Numbers below 10 get a leading zero: ``05``, ``15``, ``123``.
* Notation: ``TYPE-AGENCY`` (``QĐ-UBND``); for a công văn (and the other types
  NĐ 30 gives no abbreviation) ``AGENCY-UNIT`` (``UBND-VP``), the unit being
  the drafting department.
"""

from dongthap.qlvb.numbering import counter
from dongthap.qlvb.outgoing import settings
from dongthap.qlvb.vocabularies.documents import type_abbreviation


def format_number(number):
    """``5`` → ``"05"``, ``15`` → ``"15"``."""
    return f"{int(number):02d}"


def notation(document_type, agency_abbreviation, unit_abbreviation=None):
    """The ký hiệu without the number: ``QĐ-UBND`` or ``UBND-VP``."""
    abbreviation = type_abbreviation(document_type)
    if abbreviation:
        return f"{abbreviation}-{agency_abbreviation}"
    if unit_abbreviation:
        return f"{agency_abbreviation}-{unit_abbreviation}"
    return agency_abbreviation


def full_notation(number, notation_text):
    """``15/QĐ-UBND``."""
    return f"{format_number(number)}/{notation_text}"


def take_number(agency, document_type, when=None):
    """Take the next number for ``document_type``: ``(series_key, year, "05")``.

    Call inside the transaction that stores the number (see module doc).
    """
    series = settings.series_of(agency, document_type)
    year, number = counter.next_number(agency, series, when)
    return series, year, format_number(number)


def last_number(agency, document_type, year=None):
    """The last number handed out in the series of ``document_type`` (0 if none)."""
    return counter.peek_number(agency, settings.series_of(agency, document_type), year)
