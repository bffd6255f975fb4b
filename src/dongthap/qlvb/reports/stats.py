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

    One pass over the record ids of the period, each read in the indexes' reverse maps (its
    agency, medium, validity, channels, type, urgency): linear in the documents of the period,
    whatever the number of agencies. ``details`` adds ``by_type`` and ``by_urgency``.
    """
    rows = {uid: {d: _zero(details) for d in ("received", "sent")} for uid in agency_uids}
    agency_of = C.values(cat, "qlvb_report_agency")
    medium_of = C.values(cat, "qlvb_medium")
    validity_of = C.values(cat, "qlvb_legal_validity")
    channels_of = C.values(cat, "qlvb_channel")
    type_of = C.values(cat, "qlvb_document_type")
    urgency_of = C.values(cat, "qlvb_urgency")
    counted = ("axis", "internal", "email")
    for direction, docs in (("received", received_set(cat, start, end)), ("sent", sent_set(cat, start, end))):
        for rid in docs:
            row = rows.get(agency_of.get(rid))
            if row is None:
                continue
            c = row[direction]
            c["total"] += 1
            medium = medium_of.get(rid)
            if medium == "electronic":
                c["electronic"] += 1
                c["legal" if validity_of.get(rid) == "legal" else "reference"] += 1
            elif medium == "paper":
                c["paper"] += 1
            for channel in channels_of.get(rid) or ():
                if channel in counted:
                    c[channel] += 1
            if details:
                for key, lookup in (("by_type", type_of), ("by_urgency", urgency_of)):
                    value = lookup.get(rid)
                    if value:
                        c[key][value] = c[key].get(value, 0) + 1
    totals = {d: _zero(details) for d in ("received", "sent")}
    for row in rows.values():
        for direction, counts in row.items():
            total = totals[direction]
            for key in EDOC_KEYS:
                total[key] += counts[key]
            if details:
                for key in ("by_type", "by_urgency"):
                    for value, n in counts[key].items():
                        total[key][value] = total[key].get(value, 0) + n
    return rows, totals


def _zero(details):
    out = dict.fromkeys(EDOC_KEYS, 0)
    if details:
        out["by_type"], out["by_urgency"] = {}, {}
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
