"""Work lists (dashboards) and the NĐ 30 registers of incoming documents."""

from dongthap.qlvb.documents.queries import base_row
from dongthap.qlvb.documents.queries import date_range
from dongthap.qlvb.documents.queries import LIST_LIMIT
from dongthap.qlvb.incoming import assignment as A
from dongthap.qlvb.incoming.api import fmt_date
from dongthap.qlvb.incoming.api import incoming_root
from dongthap.qlvb.incoming.api import now
from dongthap.qlvb.incoming.api import state_title
from dongthap.qlvb.incoming.handling import deadline_flags
from dongthap.qlvb.incoming.handling import entry_label
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import TOP_URGENCY
from dongthap.qlvb.vocabularies.documents import URGENCY
from dongthap.qlvb.vocabularies.documents import URGENCY_RANK
from plone import api

import datetime

URGENCY_TITLES = dict(URGENCY)
OPEN = ("assigned", "in_progress")


def notation(number, notation_text):
    return f"{number}/{notation_text}" if notation_text else (number or "")


def _filters(filters):
    query = {}
    if filters.get("document_type"):
        query["qlvb_document_type"] = filters["document_type"]
    if filters.get("state"):
        query["review_state"] = filters["state"]
    if filters.get("legal_validity"):
        query["qlvb_legal_validity"] = filters["legal_validity"]
    arrival = date_range(filters.get("date_from"), filters.get("date_to"))
    if arrival:
        query["qlvb_arrival_day"] = arrival
    return query


def _row(brain, deadline=None, kind=None):
    due = deadline or brain.qlvb_due_date
    overdue, soon = deadline_flags(due) if brain.review_state in ("registered",) + OPEN else (False, False)
    return {
        **base_row(brain, state_title),
        "notation": notation(brain.qlvb_code_number, brain.qlvb_code_notation),
        "issuing_agency_name": brain.qlvb_issuing_agency_name,
        "issued_date": fmt_date(brain.qlvb_issued_date),
        "arrival_number": brain.qlvb_arrival_number,
        "arrival_date": fmt_date(brain.qlvb_arrival_day),
        "urgency_title": URGENCY_TITLES.get(brain.qlvb_urgency, ""),
        "top_urgency": brain.qlvb_urgency in TOP_URGENCY,
        "due_date": fmt_date(due if not isinstance(due, str) else None) or (
            fmt_date(_d(due)) if isinstance(due, str) else ""),
        "overdue": overdue,
        "due_soon": soon and not overdue,
        "kind": kind,
        "legal_validity": getattr(brain, "qlvb_legal_validity", None) or "unsigned",
    }


def _d(text):
    import datetime

    return datetime.date.fromisoformat(text)


def _urgency_key(row):
    return (not row["top_urgency"], URGENCY_RANK.get(row["urgency"], 9))


def _search(agency, query, limit=LIST_LIMIT):
    root = incoming_root(agency)
    if root is None:
        return []
    return api.content.find(context=root, portal_type="IncomingDocument",
                            sort_on="created", sort_order="descending", sort_limit=limit, **query)[:limit]


def _issuer_filter(rows, filters):
    from dongthap.qlvb.utils.text import fold

    issuer = fold(filters.get("issuer"))
    if issuer:
        rows = [r for r in rows if issuer in fold(r["issuing_agency_name"])]
    return rows


def waiting_registration(agency, filters=None):
    """"Chờ vào sổ": received documents, hỏa tốc / thượng khẩn first, oldest first."""
    filters = dict(filters or {}, state="received")
    rows = [_row(b) for b in _search(agency, _filters(filters))]
    rows = _issuer_filter(rows, filters)
    rows.sort(key=lambda r: (_urgency_key(r), r["arrival_date"][-4:], r["arrival_date"][3:5],
                             r["arrival_date"][:2]))
    return rows


def waiting_assignment(agency, filters=None):
    """"Chờ phân công": registered documents, urgent first, then by arrival number."""
    filters = dict(filters or {}, state="registered")
    rows = [_row(b) for b in _search(agency, _filters(filters))]
    rows = _issuer_filter(rows, filters)
    rows.sort(key=lambda r: (_urgency_key(r), not r["overdue"], r["arrival_number"] or 0))
    return rows


def my_work(agency, userid, filters=None):
    """"Việc của tôi": open documents assigned to ``userid``, overdue first, then urgency, deadline."""
    filters = dict(filters or {})
    query = _filters(filters)
    query.setdefault("review_state", list(OPEN))
    query["qlvb_incoming_assignees"] = userid
    rows = []
    for brain in _search(agency, query):
        doc = brain.getObject()
        mine = [e for e in A.active_entries(doc) if e["user"] == userid]
        deadlines = sorted(e["deadline"] for e in mine if e.get("deadline"))
        kind = mine[0]["kind"] if mine else None
        rows.append(_row(brain, deadline=deadlines[0] if deadlines else None, kind=kind))
    rows = _issuer_filter(rows, filters)
    rows.sort(key=lambda r: (not r["overdue"], _urgency_key(r), not r["due_soon"], r["arrival_number"] or 0))
    return rows


def all_documents(agency, filters=None):
    filters = dict(filters or {})
    rows = [_row(b) for b in _search(agency, _filters(filters))]
    rows = _issuer_filter(rows, filters)
    rows.sort(key=lambda r: (_urgency_key(r) if r["state"] in ("received", "registered") + OPEN
                             else (True, 9),
                             -(r["arrival_number"] or 0)))
    return rows


def lists_for(agency, userid, filters=None):
    """The dashboards the current user should see in ``agency``."""
    roles = set(api.user.get_roles(obj=agency))
    admin = bool(roles & {"Manager", "Site Administrator"})
    result = {}
    if admin or R.CLERK in roles:
        result["waiting_registration"] = waiting_registration(agency, filters)
    if admin or R.LEADER in roles:
        result["waiting_assignment"] = waiting_assignment(agency, filters)
    result["my_work"] = my_work(agency, userid, filters)
    return result


# ---------------------------------------------------------------- registers


def _registered_brains(agency, date_from, date_to):
    root = incoming_root(agency)
    if root is None:
        return []
    query = {"qlvb_arrival_number": {"query": 1, "range": "min"}}
    if date_from or date_to:
        query.update(_filters({"date_from": date_from, "date_to": date_to}))
    brains = api.content.find(context=root, portal_type="IncomingDocument", unrestricted=True, **query)
    return sorted(brains, key=_register_order)


def _register_order(brain):
    """By arrival day, then number; a document without a date (stored before every path
    set one) is listed last with an empty date instead of breaking the register."""
    day = brain.qlvb_arrival_day
    return (day is None, day or datetime.date.min, brain.qlvb_arrival_number or 0)


def _recipients(doc):
    tops = [e for e in A.entries(doc) if e.get("parent") is None and e["kind"] != "fyi"]
    active = [e for e in tops if e.get("active")] or tops
    return "; ".join(entry_label(doc, e) for e in active)


def register_rows(agency, date_from=None, date_to=None):
    """Rows of "Sổ đăng ký văn bản đến" (column keys of dongthap.qlvb.registers.columns)."""
    rows = []
    for brain in _registered_brains(agency, date_from, date_to):
        doc = brain._unrestrictedGetObject()
        type_name = DOCUMENT_TYPES.get(doc.document_type, ("", ""))[0]
        assigned_at = getattr(doc, "qlvb_assigned_at", None)
        rows.append({
            "arrival_date": fmt_date(doc.arrival_date),
            "arrival_number": doc.arrival_number,
            "author": doc.issuing_agency_name,
            "notation": notation(doc.code_number, doc.code_notation),
            "issued_date": fmt_date(doc.issued_date),
            "subject": f"{type_name}: {doc.title}" if type_name else doc.title,
            "recipient": _recipients(doc),
            "transfer_date": assigned_at[8:10] + "/" + assigned_at[5:7] + "/" + assigned_at[:4]
            if assigned_at else "",
            "receipt_signature": "",
            "note": "",
        })
    return rows


def tracking_rows(agency, date_from=None, date_to=None):
    """Rows of "Sổ theo dõi giải quyết văn bản đến"."""
    rows = []
    for brain in _registered_brains(agency, date_from, date_to):
        doc = brain._unrestrictedGetObject()
        type_name = DOCUMENT_TYPES.get(doc.document_type, ("", ""))[0]
        described = f"{type_name} số {notation(doc.code_number, doc.code_notation)} " \
                    f"ngày {fmt_date(doc.issued_date)} của {doc.issuing_agency_name}"
        lead = next((e for e in A.entries(doc) if e["kind"] == "lead" and e.get("parent") is None
                     and e.get("active")), None)
        due = (lead or {}).get("deadline") or (doc.due_date.isoformat() if doc.due_date else None)
        progress = getattr(doc, "qlvb_progress", None) or ()
        state = brain.review_state
        status = state_title(state)
        from zope.i18n import translate

        status = translate(status, target_language="vi")
        if progress:
            status = f"{status}: {progress[-1]['text']}"
        rows.append({
            "arrival_number": doc.arrival_number,
            "document": described,
            "recipient": _recipients(doc),
            "due_date": fmt_date(_d(due)) if due else "",
            "progress": status,
            "reply_notation": getattr(doc, "qlvb_reply_notation", "") or "",
            "note": "",
        })
    return rows


def today():
    return now().date()
