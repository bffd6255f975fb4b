"""Agency ids (mã định danh) and DocumentId helpers."""

from __future__ import annotations

import datetime
import re

from .dates import format_date, parse_date

ORGAN_ID_RE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")


def is_standard_organ_id(organ_id: str) -> bool:
    """True for a 13-character ``DDD.DD.DD.XNN`` agency id (QCVN 102:2016)."""
    return bool(ORGAN_ID_RE.match(organ_id or ""))


def make_document_id(
    organ_id: str, promulgation_date: datetime.date, code_number: str, code_notation: str
) -> str:
    """Build ``<OrganId>,<yyyy/MM/dd>,<số>/<ký hiệu>``.

    >>> import datetime
    >>> make_document_id("000.00.14.H20", datetime.date(2024, 3, 5), "12", "UBND-VP")
    '000.00.14.H20,2024/03/05,12/UBND-VP'
    """
    return f"{organ_id},{format_date(promulgation_date)},{code_number}/{code_notation}"


def split_document_id(document_id: str) -> tuple[str, datetime.date, str, str] | None:
    """Split a DocumentId built by :func:`make_document_id`.

    Returns ``(organ_id, date, code_number, code_notation)`` or ``None`` when
    the id has another form (UUIDs are common).
    """
    parts = (document_id or "").split(",", 2)
    if len(parts) != 3 or "/" not in parts[2]:
        return None
    organ_id, date_text, code = (p.strip() for p in parts)
    try:
        date = parse_date(date_text)
    except ValueError:
        return None
    number, _sep, notation = code.partition("/")
    if not organ_id or not number:
        return None
    return organ_id, date, number, notation
