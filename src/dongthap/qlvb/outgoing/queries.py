"""Work lists (dashboards) and the NĐ 30 registers of outgoing documents."""

from dongthap.qlvb.documents.queries import base_row
from dongthap.qlvb.documents.queries import date_range
from dongthap.qlvb.documents.queries import LIST_LIMIT
from dongthap.qlvb.documents.queries import Page
from dongthap.qlvb.documents.queries import paged
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import review
from dongthap.qlvb.outgoing.api import fmt_date
from dongthap.qlvb.outgoing.api import outgoing_root
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import TOP_URGENCY
from dongthap.qlvb.vocabularies.documents import URGENCY
from plone import api
from zope.i18n import translate

import datetime


ISSUED_STATES = ("issued", "archived", "recalled")
URGENCY_TITLES = dict(URGENCY)
LISTS = (
    ("my_drafts", "dự thảo của tôi"),
    ("waiting_review", "chờ duyệt"),
    ("waiting_signature", "chờ ký"),
    ("waiting_issue", "chờ phát hành"),
    ("issued", "đã phát hành"),
    ("awaiting_reply", "chờ trả lời"),
)


def _reply_flags(brain):
    """Reply deadline of an issued document still awaiting replies: overdue (red), due soon (amber)."""
    from dongthap.qlvb.outgoing import replies

    due = getattr(brain, "qlvb_reply_due", None)
    due = due if isinstance(due, datetime.date) else None  # Missing.Value when none
    overdue, soon = replies.flags(due)
    return {"reply_due": fmt_date(due), "reply_overdue": overdue, "reply_due_soon": soon}


def _signer_of(brain, names):
    """The name of who signed an issued document, from the catalog (``qlvb_register_values``:
    the signer's user id, each name looked up once per page, no document woken); ``""`` before
    issue, where the catalog keeps no signer's name."""
    from dongthap.qlvb.outgoing.indexers import REGISTER_COLUMN

    values = getattr(brain, REGISTER_COLUMN, None)
    signer = values[2] if isinstance(values, tuple) else None  # Missing.Value before issue
    if not signer:
        return ""
    if signer not in names:
        names[signer] = outgoing.fullname(signer)
    return names[signer]


def _row(brain, names=None):
    return {
        **_reply_flags(brain),
        "signer_name": _signer_of(brain, {} if names is None else names),
        **base_row(brain, outgoing.state_title),
        "notation": f"{brain.qlvb_code_number}/{brain.qlvb_code_notation}" if brain.qlvb_code_number else "",
        "issued_date": fmt_date(brain.qlvb_issued_date),
        "due_date": fmt_date(brain.qlvb_due_date),
        "modified": brain.modified.ISO8601() if brain.modified else None,
        "urgency_title": URGENCY_TITLES.get(brain.qlvb_urgency, ""),
        "top_urgency": brain.qlvb_urgency in TOP_URGENCY,
    }


#: Sorts a user may choose (``sort_on``): the catalog index behind each.
SORTS = {
    "reply_due": "qlvb_reply_due",
    "urgency": "qlvb_urgency_rank",
    "modified": "modified",
    "issued_date": "qlvb_issued_date",
    "due_date": "qlvb_deadline",
    "title": "sortable_title",
}
URGENT_FIRST = (("qlvb_urgency_rank", "modified"), ("ascending", "ascending"))
NEWEST_ISSUED = (("qlvb_issued_date", "created"), ("descending", "descending"))
EARLIEST_REPLY = (("qlvb_reply_due", "created"), ("ascending", "ascending"))


def _queries(agency, userid, roles):
    """Key → (query, default sort) of the lists the user has."""
    base = {"portal_type": "OutgoingDocument"}
    result = {"my_drafts": (dict(base, Creator=userid, review_state="draft"), URGENT_FIRST)}
    review_roles = review.review_keys(agency, roles, userid)
    if review_roles:
        result["waiting_review"] = (dict(base, review_state="pending_review",
                                         qlvb_outgoing_review_role=review_roles), URGENT_FIRST)
    result["waiting_signature"] = (dict(base, review_state="approved", qlvb_outgoing_signer=userid),
                                   URGENT_FIRST)
    if roles & {R.CLERK, "Manager", "Site Administrator"}:
        # signed digitally, then approved documents whose signer signs on paper ("ký tay",
        # outgoing/paper.py): the clerk scans the signed original and issues it on paper
        result["waiting_issue"] = ([dict(base, review_state="signed"),
                                    dict(base, review_state="approved", qlvb_sign_by_hand=True)],
                                   URGENT_FIRST)
    result["issued"] = (dict(base, review_state=list(ISSUED_STATES)), NEWEST_ISSUED)
    if roles & {R.CLERK, R.LEADER, "Manager", "Site Administrator"}:
        from dongthap.qlvb.outgoing import replies

        result["awaiting_reply"] = (dict(base, **{replies.INDEX: {"query": datetime.date(1900, 1, 1),
                                                                  "range": "min"}}), EARLIEST_REPLY)
    return result


def lists_for(agency, userid, batch=None, sort=None, only=None):
    """The caller's work lists in ``agency`` (key → :class:`Page`; every key of :data:`LISTS`,
    empty when the user does not have that list): only what the catalog lets him see, sorted and
    cut by the catalog (``batch`` = ``(b_start, b_size)``, ``sort`` = ``(sort_on, sort_order)``)."""
    root = outgoing_root(agency)
    b_start, b_size = batch or (0, LIST_LIMIT)
    result = {key: Page([], 0, b_start, b_size) for key, _title in LISTS if only in (None, key)}
    if root is None:
        return result
    roles = set(api.user.get_roles(obj=agency))
    names = {}  # signer's user id → name, shared by the lists of the page

    def row(brain):
        return _row(brain, names)

    for key, (query, default) in _queries(agency, userid, roles).items():
        if only not in (None, key):
            continue
        order = default
        if sort and sort[0] in SORTS:
            direction = "descending" if sort[1] == "descending" else "ascending"
            keys = tuple(dict.fromkeys((SORTS[sort[0]], "created")))
            order = (keys, (direction,) * len(keys))
        segments = query if isinstance(query, list) else [query]
        result[key] = paged([dict(q, context=root, sort_on=list(order[0]), sort_order=list(order[1]))
                             for q in segments], row, b_start, b_size)
    return result


# ---------------------------------------------------------------- registers


def _issued_brains(agency, start, end):
    root = outgoing_root(agency)
    if root is None:
        return []
    query = {"context": root, "portal_type": "OutgoingDocument", "review_state": list(ISSUED_STATES),
             "unrestricted": True}
    issued = date_range(start, end)
    if issued:
        query["qlvb_issued_date"] = issued
    return api.content.find(**query)


def _issued_docs(agency, start, end):
    docs = [b._unrestrictedGetObject() for b in _issued_brains(agency, start, end)]
    docs.sort(key=lambda d: (d.issued_year or 0, d.register_series or "", int(d.code_number or 0)))
    return docs


def _recipients(doc):
    return "; ".join(delivery.recipient_names(doc) or [r["name"] for r in doc.external_recipients or ()])


def register_rows(agency, start, end):
    """Sổ đăng ký văn bản đi: the 10 columns of NĐ 30 (keys of registers.columns.OUTGOING), from
    the catalog (``qlvb_register_values``, :func:`dongthap.qlvb.outgoing.indexers.register_values`):
    no document is woken, each signer's name is looked up once."""
    from dongthap.qlvb.outgoing.indexers import register_values
    from dongthap.qlvb.outgoing.indexers import REGISTER_COLUMN

    entries = []
    for brain in _issued_brains(agency, start, end):
        values = getattr(brain, REGISTER_COLUMN, None)
        if not isinstance(values, tuple):  # Missing.Value: not filled yet
            values = register_values(brain._unrestrictedGetObject())
        entries.append((values, brain))
    entries.sort(key=lambda entry: entry[0][0])
    names = {}
    rows = []
    for (_key, notation, signer, recipients, copy_holder, copies, note), brain in entries:
        if signer not in names:
            names[signer] = outgoing.fullname(signer)
        rows.append({
            "notation": notation,
            "issued_date": brain.qlvb_issued_date,
            "subject": f"{DOCUMENT_TYPES.get(brain.qlvb_document_type, ('', ''))[0]}: {brain.Title}",
            "signer": names[signer],
            "recipients": recipients,
            "copy_holder": copy_holder,
            "copies": copies,
            "transfer_date": brain.qlvb_issued_date,
            "receipt_signature": "",
            "note": note,
        })
    return rows


def _status_summary(doc):
    parts = []
    for entry in delivery.delivery_status(doc):
        title = translate(entry["status_title"], target_language="vi")
        if entry["arrival_number"]:
            title += f" (số đến {entry['arrival_number']})"
        parts.append(f"{entry['agency_name']}: {title}")
    return "; ".join(parts)


def report_rows(agency, start, end):
    """Báo cáo tình hình giải quyết văn bản đi (keys of registers.columns.OUTGOING_REPORT)."""
    rows = []
    for doc in _issued_docs(agency, start, end):
        recall = getattr(doc, "qlvb_recall", None)
        rows.append({
            "notation": doc.notation(),
            "issued_date": doc.issued_date,
            "subject": doc.title,
            "recipients": _recipients(doc),
            "due_date": doc.due_date,
            "status": _status_summary(doc),
            "note": f"Đã thu hồi: {recall['reason']}" if recall else "",
        })
    return rows
