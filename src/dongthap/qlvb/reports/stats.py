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
    agency_of = C.values(cat, "qlvb_report_agency").get
    medium_of = C.values(cat, "qlvb_medium").get
    validity_of = C.values(cat, "qlvb_legal_validity").get
    channels_of = C.values(cat, "qlvb_channel").get
    type_of = C.values(cat, "qlvb_document_type").get
    urgency_of = C.values(cat, "qlvb_urgency").get
    row_of = rows.get
    counted = frozenset(("axis", "internal", "email"))
    for direction, docs in (("received", received_set(cat, start, end)), ("sent", sent_set(cat, start, end))):
        for rid in docs:
            row = row_of(agency_of(rid))
            if row is None:
                continue
            c = row[direction]
            c["total"] += 1
            medium = medium_of(rid)
            if medium == "electronic":
                c["electronic"] += 1
                c["legal" if validity_of(rid) == "legal" else "reference"] += 1
            elif medium == "paper":
                c["paper"] += 1
            for channel in channels_of(rid) or ():
                if channel in counted:
                    c[channel] += 1
            if details:
                by_type, by_urgency = c["by_type"], c["by_urgency"]
                value = type_of(rid)
                by_type[value] = by_type.get(value, 0) + 1
                value = urgency_of(rid)
                by_urgency[value] = by_urgency.get(value, 0) + 1
    if details:
        for row in rows.values():
            for counts in row.values():
                counts["by_type"].pop(None, None)
                counts["by_urgency"].pop(None, None)
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
    outgoing ones of the agency (api narrows them to the drafts begun in the period).

    Starts from the agency's own documents (a small set) and reads the others' values in the
    reverse maps, so its cost follows the agency, not the province."""
    mine = C.exact(cat, "qlvb_report_agency", agency_uid)
    if unit:
        mine = C.both(mine, C.exact(cat, "qlvb_report_handlers", unit))
    types = C.values(cat, "portal_type")
    if kind == "incoming":
        days, states = C.values(cat, "qlvb_report_day"), C.values(cat, "review_state")
        return C.IISet([r for r in mine if types.get(r) == INCOMING and states.get(r) not in NOT_RECEIVED
                        and _within(days.get(r), start, end)])
    return C.IISet([r for r in mine if types.get(r) == OUTGOING])


def _within(day, start, end):
    return day is not None and (start is None or day >= start) and (end is None or day <= end)


def filter_by(cat, docs, name, test):
    """The record ids of ``docs`` whose value of index ``name`` passes ``test``."""
    values = C.values(cat, name)
    return C.IISet([r for r in docs if test(values.get(r))])


def processing(cat, docs, as_of):
    """The record ids per bucket, as things stood at the end of ``as_of``.

    on_time / late: completed by ``as_of``, by / after their deadline; overdue: still open at
    ``as_of`` and past the deadline (deadline < as_of); in_progress: open, not past it.
    """
    done = filter_by(cat, docs, "qlvb_completed_day", lambda d: d is not None and d <= as_of)
    on_time = filter_by(cat, done, "qlvb_on_time", lambda v: v is True)
    late = C.minus(done, on_time)
    open_ = C.minus(docs, done)
    overdue = filter_by(cat, open_, "qlvb_report_deadline", lambda d: d is not None and d < as_of)
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
    """Per month: incoming received, completed, completed late; outgoing issued (one pass over the
    agency's documents)."""
    firsts = months(end, count)
    out = {first: {"month": first, "received": 0, "completed": 0, "late": 0, "issued": 0} for first in firsts}
    low, high = firsts[0], month_end(firsts[-1])
    types, states = C.values(cat, "portal_type"), C.values(cat, "review_state")
    days, done_days = C.values(cat, "qlvb_report_day"), C.values(cat, "qlvb_completed_day")
    on_time = C.values(cat, "qlvb_on_time")
    for rid in C.exact(cat, "qlvb_report_agency", agency_uid):
        kind = types.get(rid)
        day = days.get(rid)
        if kind == INCOMING:
            if _within(day, low, high) and states.get(rid) not in NOT_RECEIVED:
                out[day.replace(day=1)]["received"] += 1
            done = done_days.get(rid)
            if _within(done, low, high):
                month = out[done.replace(day=1)]
                month["completed"] += 1
                if on_time.get(rid) is False:
                    month["late"] += 1
        elif kind == OUTGOING and _within(day, low, high):
            out[day.replace(day=1)]["issued"] += 1
    return [out[first] for first in firsts]


def workload(cat, agency_uid, today, prefix):
    """Open incoming work per handler key (``u:`` people, ``d:`` departments): open, overdue."""
    types, states = C.values(cat, "portal_type"), C.values(cat, "review_state")
    handlers, deadlines = C.values(cat, "qlvb_report_handlers"), C.values(cat, "qlvb_report_deadline")
    out = {}
    for rid in C.exact(cat, "qlvb_report_agency", agency_uid):
        if types.get(rid) != INCOMING or states.get(rid) not in ("assigned", "in_progress"):
            continue
        deadline = deadlines.get(rid)
        late = deadline is not None and deadline < today
        for key in handlers.get(rid) or ():
            if key.startswith(prefix):
                counts = out.setdefault(key[len(prefix):], {"open": 0, "overdue": 0})
                counts["open"] += 1
                counts["overdue"] += int(late)
    return out
