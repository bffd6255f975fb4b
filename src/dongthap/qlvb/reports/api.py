"""Reports and statistics: what pages and REST services call (issue 18; docs/reports.md).

* :func:`edoc_report` — the QĐ 595 report of electronic documents received and sent, one row
  per agency (the province, at the site root) or of one agency (with type and urgency);
* :func:`edoc_documents` — the documents behind one of its cells (drill-down);
* :func:`processing_report` — Báo cáo tình hình giải quyết văn bản đến / đi of an agency or
  one of its departments: on time, late, overdue, in progress, with the list behind each;
* :func:`dashboard` — the leaders' dashboard: open and overdue work per department and per
  person, and the monthly trend.

Every number comes from the catalog's indexes (:mod:`.stats`, :mod:`.counting`); lists are
catalog searches with the user's own rights, so nobody sees a document he may not open, and
the provincial administrator, who may read the province's counts, gets no list at all.
"""

from dongthap.qlvb.documents.validation import short
from dongthap.qlvb.documents.validation import parse_date
from dongthap.qlvb.errors import forbidden
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.reports import counting as C
from dongthap.qlvb.reports import stats
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import URGENCY
from plone import api

import datetime
import re

PROVINCE_PERMISSION = "dongthap.qlvb: View province reports"
AGENCY_PERMISSION = "dongthap.qlvb: View agency reports"
UNIT_PERMISSION = "dongthap.qlvb: View unit reports"
#: at most this many documents in one list behind a number
LIST_LIMIT = 500
KINDS = ("incoming", "outgoing")
DIRECTIONS = ("received", "sent")


def today():
    from dongthap.qlvb.documents.common import now

    return now().date()


def _catalog():
    """The catalog's ``Catalog``, after the pending (queued) indexing of this transaction."""
    from Products.CMFCore.indexing import processQueue

    processQueue()
    return api.portal.get_tool("portal_catalog")._catalog


def _uid(obj):
    return api.content.get_uuid(obj)


# ---------------------------------------------------------------- the period


def _bad(field, message):
    return QlvbError(_("error_report_bad_input", default="The report cannot be made: ${reason}",
                       mapping={"reason": message}), [{"field": field, "message": message}])


def _date(form, key):
    value = form.get(key)
    if value in (None, ""):
        return None
    try:
        return parse_date(value)
    except (TypeError, ValueError):
        raise _bad(key, _("error_report_date", default="${value} is not a date (dd/mm/yyyy).",
                          mapping={"value": short(value)})) from None


def quarter_of(day):
    first = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, stats.month_end(datetime.date(day.year, first.month + 2, 1))


def period(form, default="quarter"):
    """``(start, end)``: ``from``/``to`` (dd/mm/yyyy or ISO), or ``year`` with an optional
    ``quarter`` (1–4); else this quarter (``default="quarter"``) or this year."""
    start, end = _date(form, "from"), _date(form, "to")
    year, quarter = form.get("year"), form.get("quarter")
    if year not in (None, ""):
        if not isinstance(year, str) or not re.fullmatch(r"\d{4}", year.strip()):
            raise _bad("year", _("error_report_year", default="${value} is not a year.",
                                 mapping={"value": short(year)}))
        year = int(year)
        if quarter not in (None, ""):
            if not isinstance(quarter, str) or quarter.strip() not in ("1", "2", "3", "4"):
                raise _bad("quarter", _("error_report_quarter", default="The quarter is 1, 2, 3 or 4."))
            q_start, q_end = quarter_of(datetime.date(year, 3 * int(quarter), 1))
        else:
            q_start, q_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        start, end = start or q_start, end or q_end
    if start is None and end is None:
        day = today()
        start, end = quarter_of(day) if default == "quarter" else (datetime.date(day.year, 1, 1), day)
    start = start or datetime.date(end.year, 1, 1)
    end = end or today()
    if start > end:
        raise _bad("to", _("error_report_period", default="The period ends before it starts."))
    return start, end


# ---------------------------------------------------------------- who may see what


def agencies():
    """Every agency of the province (brains, unrestricted: counts only), by code."""
    brains = api.content.find(portal_type="Agency", unrestricted=True, sort_on="path")
    return sorted(brains, key=lambda b: (getattr(b, "qlvb_agency_code", None) or "", b.Title))


def may_province():
    return bool(api.user.has_permission(PROVINCE_PERMISSION, obj=api.portal.get()))


def may_agency(agency):
    return bool(api.user.has_permission(AGENCY_PERMISSION, obj=agency))


def own_departments(agency):
    """Ids of the departments of ``agency`` the current user belongs to."""
    from dongthap.qlvb.agencies.departments import departments_of

    return departments_of(agency=agency, userid=api.user.get_current().getId())


def unit_scope(agency, department=None):
    """The department a processing report / dashboard may show: ``None`` for the whole agency
    (agency leaders and administrators), a department id for a department head (his own only).
    403 for anyone else."""
    if may_agency(agency):
        if department and department not in _department_ids(agency):
            raise _bad("department", _("error_report_department", default="Unknown department: ${value}.",
                                       mapping={"value": department}))
        return department or None
    if api.user.has_permission(UNIT_PERMISSION, obj=agency):
        mine = own_departments(agency)
        if department in mine:
            return department
        if not department and len(mine) >= 1:
            return mine[0]
    raise forbidden()


def _department_ids(agency):
    from dongthap.qlvb.agencies.departments import departments

    return list(departments(agency))


# ---------------------------------------------------------------- QĐ 595


def _row_head(brain):
    return {"agency_uid": brain.UID, "agency_code": getattr(brain, "qlvb_agency_code", None) or "",
            "agency_name": brain.Title}


def edoc_report(context, start, end):
    """The QĐ 595 report: ``{"from", "to", "scope", "rows": [...], "totals": {...}}``.

    At the site root (``scope`` "province"): one row per agency, counts only, for the holders of
    "View province reports". On an agency: its one row with ``by_type`` and ``by_urgency``, for
    the agency's leaders and administrators (and the province's administrator)."""
    from dongthap.qlvb.content.agency import IAgency

    if IAgency.providedBy(context):
        if not (may_agency(context) or may_province()):
            raise forbidden()
        brains = [b for b in agencies() if b.UID == _uid(context)]
        scope = "agency"
    else:
        if not may_province():
            raise forbidden()
        brains = agencies()
        scope = "province"
    cat = _catalog()
    counts, totals = stats.edoc_report(cat, [b.UID for b in brains], start, end, details=True)
    rows = [dict(_row_head(b), **counts[b.UID]) for b in brains]
    return {"from": start, "to": end, "scope": scope, "rows": rows, "totals": totals}


def edoc_documents(agency, start, end, direction, cell, b_start=0, b_size=LIST_LIMIT):
    """The documents of ``agency`` behind one cell of its QĐ 595 row (those the user may see).

    Only for the agency's own leaders and administrators: the province's administrator reads
    counts, never documents (403)."""
    if not may_agency(agency):
        raise forbidden()
    if direction not in DIRECTIONS:
        raise _bad("direction", _("error_report_direction", default="Choose received or sent."))
    if cell not in stats.EDOC_KEYS:
        raise _bad("cell", _("error_report_cell", default="Unknown column: ${value}.",
                             mapping={"value": short(cell)}))
    cat = _catalog()
    base = stats.received_set(cat, start, end) if direction == "received" else stats.sent_set(cat, start, end)
    docs = C.both(base, C.exact(cat, "qlvb_report_agency", _uid(agency)))
    return document_rows(cat, stats.edoc_sets(cat, docs, cell), b_start, b_size)


# ---------------------------------------------------------------- lists behind the numbers


def document_rows(cat, rids, b_start=0, b_size=LIST_LIMIT):
    """The documents of the record ids ``rids`` the current user may see, newest first:
    ``{"total": n visible, "items": [...]}``."""
    uid_index = cat.getIndex("UID")
    uids = [uid_index._unindex[rid] for rid in rids if rid in uid_index._unindex]
    if not uids:
        return {"total": 0, "items": []}
    brains = api.portal.get_tool("portal_catalog").searchResults(
        UID=uids, sort_on="qlvb_report_day", sort_order="descending")
    items = [document_row(b) for b in brains[b_start:b_start + b_size]]
    return {"total": len(brains), "items": items}


def document_row(brain):
    from dongthap.qlvb.registers.formatting import format_date

    day = getattr(brain, "qlvb_arrival_day", None) if brain.portal_type == "IncomingDocument" else \
        getattr(brain, "qlvb_issued_date", None)
    number = getattr(brain, "qlvb_code_number", None) or ""
    notation = getattr(brain, "qlvb_code_notation", None) or ""
    return {"url": brain.getURL(), "uid": brain.UID, "title": brain.Title,
            "kind": "incoming" if brain.portal_type == "IncomingDocument" else "outgoing",
            "notation": f"{number}/{notation}" if notation else number,
            "document_type": DOCUMENT_TYPES.get(brain.qlvb_document_type, ("", ""))[0],
            "state": brain.review_state,
            "day": format_date(day) if day else ""}


# ---------------------------------------------------------------- processing


def _outgoing_created(cat, start, end):
    from DateTime import DateTime

    index = cat.getIndex("created")
    low = index._convert(DateTime(f"{start.isoformat()} 00:00:00 GMT+7"))
    high = index._convert(DateTime(f"{end.isoformat()} 23:59:59 GMT+7"))
    return C.between(cat, "created", low, high)


def processing_report(agency, kind, start, end, *, department=None, as_of=None, lists=True):
    """Báo cáo tình hình giải quyết văn bản đến / đi of ``agency`` (or one department).

    Incoming: the documents received in the period; outgoing: the drafts begun in it. Each
    is counted as things stood at the end of the period (or today, if earlier): completed
    (issued) by then on time or late, else overdue or in progress. ``{"counts": {bucket: n},
    "lists": {bucket: rows}}``."""
    if kind not in KINDS:
        raise _bad("kind", _("error_report_kind", default="Choose incoming or outgoing."))
    unit = unit_scope(agency, department)
    as_of = min(end, as_of or today())
    cat = _catalog()
    docs = stats.processing_base(cat, kind, _uid(agency), start, end, f"d:{unit}" if unit else None)
    if kind == "outgoing":
        docs = C.both(docs, _outgoing_created(cat, start, end))
    buckets = stats.processing(cat, docs, as_of)
    out = {"kind": kind, "from": start, "to": end, "as_of": as_of, "department": unit,
           "counts": {key: C.size(value) for key, value in buckets.items()}}
    if lists:
        out["lists"] = {key: document_rows(cat, value) for key, value in buckets.items()}
    return out


# ---------------------------------------------------------------- dashboard


def dashboard(agency, *, department=None, day=None, months=12):
    """Open and overdue incoming work per department and per person, and the monthly trend.

    ``department`` narrows the tables to one department (a department head always sees one of
    his own: the first, unless he names another)."""
    from dongthap.qlvb.agencies.departments import departments

    unit = unit_scope(agency, department)
    day = day or today()
    cat = _catalog()
    uid = _uid(agency)
    depts = stats.workload(cat, uid, day, "d:")
    people = stats.workload(cat, uid, day, "u:")
    titles = {did: d.title for did, d in departments(agency).items()}
    dept_rows = [{"id": did, "title": titles.get(did, did), **depts.get(did, {"open": 0, "overdue": 0})}
                 for did in titles if unit in (None, did)]
    if unit:
        from dongthap.qlvb.agencies.departments import members

        allowed = members(departments(agency)[unit])
        people = {k: v for k, v in people.items() if k in allowed}
    person_rows = sorted(({"userid": k, "name": _fullname(k), **v} for k, v in people.items()),
                         key=lambda r: (-r["overdue"], -r["open"], r["name"]))
    return {"day": day, "department": unit, "departments": dept_rows, "people": person_rows,
            "trend": stats.trend(cat, uid, day, months)}


def _username(userid):
    user = api.user.get(userid=userid)
    return user.getUserName() if user is not None else userid


def _fullname(userid):
    user = api.user.get(userid=userid)
    return (user.getProperty("fullname") if user is not None else "") or userid


URGENCY_TITLES = dict(URGENCY)


def type_title(value):
    return DOCUMENT_TYPES.get(value, (value, ""))[0] or value
