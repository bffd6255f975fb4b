"""The numbers of every report, from the catalog's indexes only (no Plone: see counting.py).

``cat`` is a ZCatalog ``Catalog`` (``portal_catalog._catalog``); agencies are named by UID.
"""

from dongthap.qlvb.reports import counting as C

import datetime

INCOMING = "IncomingDocument"
OUTGOING = "OutgoingDocument"
#: incoming documents refused at the door were never received
NOT_RECEIVED = ("refused",)
OPEN_INCOMING = ("received", "registered", "assigned", "in_progress")
DRAFT_OUTGOING = ("draft", "pending_review", "approved", "signed")
CHANNELS = ("axis", "internal", "email", "paper")
#: the counts of one direction (received / sent) in the QĐ 595 report, in printed order
#: (the paper channel is the paper column: a paper document came or went by no other channel)
EDOC_KEYS = ("total", "electronic", "legal", "reference", "paper", "axis", "internal", "email")
BUCKETS = ("total", "on_time", "late", "overdue", "in_progress")


def _period(cat, name, start, end):
    return C.between(cat, name, start, end)


def received_set(cat, start, end):
    """Incoming documents that arrived in [start, end] (refused ones excepted)."""
    docs = C.both(_period(cat, "qlvb_report_day", start, end), C.exact(cat, "portal_type", INCOMING))
    return C.minus(docs, C.any_of(cat, "review_state", NOT_RECEIVED))


def sent_set(cat, start, end):
    """Outgoing documents issued in [start, end] (recalled ones too: they were sent)."""
    return C.both(_period(cat, "qlvb_report_day", start, end), C.exact(cat, "portal_type", OUTGOING))


def edoc_counts(cat, docs):
    """The QĐ 595 counts of one set of documents."""
    electronic = C.both(docs, C.exact(cat, "qlvb_medium", "electronic"))
    legal = C.both(electronic, C.exact(cat, "qlvb_legal_validity", "legal"))
    out = {
        "total": C.size(docs),
        "electronic": C.size(electronic),
        "legal": C.size(legal),
        "reference": C.size(electronic) - C.size(legal),
        "paper": C.size(C.both(docs, C.exact(cat, "qlvb_medium", "paper"))),
    }
    for channel in ("axis", "internal", "email"):
        out[channel] = C.size(C.both(docs, C.exact(cat, "qlvb_channel", channel)))
    return out


def edoc_sets(cat, docs, cell):
    """The record ids behind one cell of :func:`edoc_counts` (drill-down)."""
    if cell == "total":
        return docs
    if cell in ("electronic", "paper"):
        return C.both(docs, C.exact(cat, "qlvb_medium", cell))
    electronic = C.both(docs, C.exact(cat, "qlvb_medium", "electronic"))
    legal = C.both(electronic, C.exact(cat, "qlvb_legal_validity", "legal"))
    if cell == "legal":
        return legal
    if cell == "reference":
        return C.minus(electronic, legal)
    if cell in CHANNELS:
        return C.both(docs, C.exact(cat, "qlvb_channel", cell))
    raise KeyError(cell)


def breakdown(cat, docs, name):
    """``{value: count}`` of index ``name`` over ``docs`` (type, urgency), values with a count."""
    out = {}
    for value in C.keys(cat, name):
        n = C.size(C.both(docs, C.exact(cat, name, value)))
        if n:
            out[value] = n
    return out


def edoc_report(cat, agency_uids, start, end, *, details=False):
    """One row per agency (its UID → ``{"received": counts, "sent": counts}``) and the totals.

    ``details`` adds ``by_type`` and ``by_urgency`` of every direction to the rows and totals.
    """
    received, sent = received_set(cat, start, end), sent_set(cat, start, end)
    rows = {}
    for uid in agency_uids:
        mine = C.exact(cat, "qlvb_report_agency", uid)
        rows[uid] = _directions(cat, C.both(received, mine), C.both(sent, mine), details)
    everyone = C.multiunion([C.exact(cat, "qlvb_report_agency", uid) for uid in agency_uids])
    totals = _directions(cat, C.both(received, everyone), C.both(sent, everyone), details)
    return rows, totals


def _directions(cat, received, sent, details):
    out = {}
    for key, docs in (("received", received), ("sent", sent)):
        out[key] = edoc_counts(cat, docs)
        if details:
            out[key]["by_type"] = breakdown(cat, docs, "qlvb_document_type")
            out[key]["by_urgency"] = breakdown(cat, docs, "qlvb_urgency")
    return out


def processing_base(cat, kind, agency_uid, start, end, unit=None):
    """The documents a processing report is about: incoming documents received in the period;
    outgoing drafts created in the period (their ``created`` day: see api.outgoing_created)."""
    mine = C.exact(cat, "qlvb_report_agency", agency_uid)
    if kind == "incoming":
        docs = C.both(received_set(cat, start, end), mine)
    else:
        docs = C.both(C.exact(cat, "portal_type", OUTGOING), mine)
    if unit:
        docs = C.both(docs, C.exact(cat, "qlvb_report_handlers", unit))
    return docs


def processing(cat, docs, as_of):
    """The record ids per bucket, as things stood at the end of ``as_of``.

    on_time / late: completed by ``as_of``, by / after their deadline; overdue: still open at
    ``as_of`` and past the deadline (deadline < as_of); in_progress: open, not past it.
    """
    done = C.both(docs, C.between(cat, "qlvb_completed_day", None, as_of))
    on_time = C.both(done, C.exact(cat, "qlvb_on_time", True))
    late = C.minus(done, on_time)
    open_ = C.minus(docs, done)
    overdue = C.both(open_, C.between(cat, "qlvb_report_deadline", None, C.before(as_of)))
    return {"total": docs, "on_time": on_time, "late": late, "overdue": overdue,
            "in_progress": C.minus(open_, overdue)}


def months(end, count=12):
    """The first days of the ``count`` months ending with the month of ``end``, oldest first."""
    year, month = end.year, end.month
    out = []
    for _i in range(count):
        out.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def month_end(first):
    nxt = datetime.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - datetime.timedelta(days=1)


def trend(cat, agency_uid, end, count=12):
    """Per month: incoming received, completed, completed late; outgoing issued."""
    mine = C.exact(cat, "qlvb_report_agency", agency_uid)
    incoming = C.both(mine, C.exact(cat, "portal_type", INCOMING))
    outgoing = C.both(mine, C.exact(cat, "portal_type", OUTGOING))
    late = C.exact(cat, "qlvb_on_time", False)
    out = []
    for first in months(end, count):
        last = month_end(first)
        days = _period(cat, "qlvb_report_day", first, last)
        done = C.both(incoming, _period(cat, "qlvb_completed_day", first, last))
        out.append({"month": first,
                    "received": C.size(C.minus(C.both(incoming, days),
                                               C.any_of(cat, "review_state", NOT_RECEIVED))),
                    "completed": C.size(done),
                    "late": C.size(C.both(done, late)),
                    "issued": C.size(C.both(outgoing, days))})
    return out


def workload(cat, agency_uid, today, prefix):
    """Open incoming work per handler key (``u:`` people, ``d:`` departments): open, overdue."""
    mine = C.both(C.exact(cat, "qlvb_report_agency", agency_uid), C.exact(cat, "portal_type", INCOMING))
    open_ = C.both(mine, C.any_of(cat, "review_state", ("assigned", "in_progress")))
    overdue = C.both(open_, C.between(cat, "qlvb_report_deadline", None, C.before(today)))
    out = {}
    for key in C.keys(cat, "qlvb_report_handlers", prefix, prefix + "\uffff"):
        mine_key = C.exact(cat, "qlvb_report_handlers", key)
        n_open = C.size(C.both(open_, mine_key))
        if n_open:
            out[key[len(prefix):]] = {"open": n_open, "overdue": C.size(C.both(overdue, mine_key))}
    return out
