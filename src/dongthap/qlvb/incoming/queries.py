"""Work lists (dashboards) and the NĐ 30 registers of incoming documents."""

from Acquisition import aq_parent
from dongthap.qlvb.documents.queries import base_row
from dongthap.qlvb.documents.queries import date_range
from dongthap.qlvb.documents.queries import LIST_LIMIT
from dongthap.qlvb.documents.queries import Page
from dongthap.qlvb.documents.queries import paged
from dongthap.qlvb.incoming import assignment as A
from dongthap.qlvb.incoming.api import fmt_date
from dongthap.qlvb.incoming.api import incoming_root
from dongthap.qlvb.incoming.api import now
from dongthap.qlvb.incoming.api import state_title
from dongthap.qlvb.incoming.handling import deadline_flags
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import TOP_URGENCY
from dongthap.qlvb.vocabularies.documents import URGENCY
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


def _indexed_deadline(brain):
    """The deadline the lists, the desk and the sort "Hạn xử lý" go by (index ``qlvb_deadline``:
    the earliest active handling deadline, else the document's due date), read from the index
    (no document woken); ``None`` when it has none."""
    from dongthap.qlvb.desk.indexers import NO_DEADLINE

    index = aq_parent(brain)._catalog.indexes.get("qlvb_deadline")  # a brain's parent: the catalog
    if index is None:  # a site before the index: the document's due date
        return brain.qlvb_due_date
    day = index.getEntryForObject(brain.getRID())
    return day if isinstance(day, datetime.date) and day != NO_DEADLINE else None


def _row(brain, deadline=None, kind=None):
    due = deadline or _indexed_deadline(brain)
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


#: Sorts a user may choose (``sort_on``): the catalog index behind each.
SORTS = {
    "urgency": "qlvb_urgency_rank",
    "arrival_date": "created",
    "due_date": "qlvb_deadline",
    "title": "sortable_title",
}
#: The pseudo-lists of the desk: open documents past or near their deadline.
DEADLINE_LISTS = ("overdue", "due_soon")
SOON_DAYS = 3


def _base(agency):
    root = incoming_root(agency)
    if root is None:
        return None
    return {"context": root, "portal_type": "IncomingDocument"}


def _issuer_keep(filters):
    from dongthap.qlvb.utils.text import search_key

    issuer = search_key((filters or {}).get("issuer"))
    if not issuer:
        return None
    # "van phong" finds "Văn phòng UBND tỉnh": every diacritic folded (dongthap.qlvb.search)
    return lambda brain: issuer in search_key(brain.qlvb_issuing_agency_name)


def _sorted(query, sort):
    """``query`` sorted by ``sort`` (``(index, …), (order, …)``)."""
    indexes, orders = sort
    return dict(query, sort_on=list(indexes), sort_order=list(orders))


def _list(agency, filters, segments, make_row=None, batch=None, choice=None, finish=None):
    """One page of a list: ``segments`` are ``(extra query, (indexes, orders))`` in their order;
    a sort the user chose (``choice`` = ``(sort_on, sort_order)``) replaces them by one query."""
    base = _base(agency)
    b_start, b_size = batch or (0, LIST_LIMIT)
    if base is None:
        return Page([], 0, b_start, b_size)
    query = dict(base, **_filters(filters or {}))
    if choice and choice[0] in SORTS:
        order = "descending" if choice[1] == "descending" else "ascending"
        keys = tuple(dict.fromkeys((SORTS[choice[0]], "created")))
        queries_ = [_sorted(dict(query, **_union([extra for extra, _s in segments])),
                            (keys, (order,) * len(keys)))]
    else:
        queries_ = [_sorted(dict(query, **extra), sort)
                    for segment in segments for extra, sort in _by_rank(*segment)]
    return paged(queries_, make_row or _row, b_start, b_size, keep=_issuer_keep(filters), finish=finish)


def _by_rank(extra, sort):
    """A segment sorted urgency first as one segment per urgency rank, in that order.

    The catalog sorts a result on several indexes by building and sorting a key for every
    document of the result (10,000 documents: most of the time of a page); one segment per rank
    is sorted on the other keys only when the page takes rows from it — the others are only
    counted. Page 1 of "chờ phân công" then sorts the hỏa tốc documents, not the whole list."""
    from dongthap.qlvb.desk.indexers import UNKNOWN_RANK

    indexes, orders = sort
    if not indexes or indexes[0] != "qlvb_urgency_rank" or "qlvb_urgency_rank" in extra:
        return [(extra, sort)]
    ranks = range(UNKNOWN_RANK + 1)
    if orders[0] == "descending":
        ranks = reversed(ranks)
    return [(dict(extra, qlvb_urgency_rank=rank), (indexes[1:], orders[1:])) for rank in ranks]


def _union(extras):
    """One query for the union of segments that differ by their states or a range only."""
    first = dict(extras[0])
    for extra in extras[1:]:
        for key in list(first):
            if extra.get(key) == first[key]:
                continue
            if key == "review_state":
                first[key] = sorted({*_as_list(first[key]), *_as_list(extra.get(key))})
            else:
                del first[key]
    return first


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value] if value else []


URGENT_FIRST = (("qlvb_urgency_rank", "created"), ("ascending", "ascending"))
BY_DEADLINE = (("qlvb_urgency_rank", "qlvb_deadline", "created"),
               ("ascending", "ascending", "ascending"))


def _with_duplicates(agency):
    """The rows of a page of "chờ vào sổ" completed with their duplicate warnings: one look-up
    for the whole page (:func:`dongthap.qlvb.incoming.duplicates.for_brains`: no document woken)."""
    def finish(brains, rows):
        from dongthap.qlvb.incoming import duplicates

        found = duplicates.for_brains(agency, brains)
        for row in rows:
            row["possible_duplicate"] = bool(found.get(row["uid"]))
            row["duplicates"] = found.get(row["uid"]) or []
            row["duplicates_text"] = duplicates.describe(row["duplicates"])
    return finish


def waiting_registration(agency, filters=None, batch=None, sort=None):
    """"Chờ vào sổ": received documents, hỏa tốc / thượng khẩn first, oldest first; each row says
    whether the agency already has the same document (``possible_duplicate``, ``duplicates``)."""
    return _list(agency, filters, [({"review_state": "received"}, URGENT_FIRST)],
                 finish=_with_duplicates(agency), batch=batch, choice=sort)


def waiting_assignment(agency, filters=None, batch=None, sort=None):
    """"Chờ phân công": registered documents, urgent first, then by deadline (the overdue first),
    then in order of arrival — over the whole list."""
    return _list(agency, filters, [({"review_state": "registered"}, BY_DEADLINE)], batch=batch, choice=sort)


def _my_row(userid):
    def make(brain):
        # the catalog let the user see this row: read its assignment without checking each folder
        # on the way again (getObject validates every step of the path)
        doc = brain._unrestrictedGetObject()
        mine = [e for e in A.active_entries(doc) if e["user"] == userid]
        deadlines = sorted(e["deadline"] for e in mine if e.get("deadline"))
        kind = mine[0]["kind"] if mine else None
        return _row(brain, deadline=deadlines[0] if deadlines else None, kind=kind)
    return make


def _today():
    return now().date()


def my_work(agency, userid, filters=None, batch=None, sort=None):
    """"Việc của tôi": open documents assigned to ``userid``: the overdue first, then by urgency
    and deadline."""
    mine = {"qlvb_incoming_assignees": userid}
    if not (filters or {}).get("state"):
        mine["review_state"] = list(OPEN)
    overdue = dict(mine, qlvb_deadline={"query": _today() - datetime.timedelta(days=1), "range": "max"})
    rest = dict(mine, qlvb_deadline={"query": _today(), "range": "min"})
    return _list(agency, filters, [(overdue, BY_DEADLINE), (rest, BY_DEADLINE)],
                 make_row=_my_row(userid), batch=batch, choice=sort)


def deadline_list(agency, key, userid=None, filters=None, batch=None, sort=None):
    """"Quá hạn" (``overdue``) or "sắp đến hạn" (``due_soon``, within :data:`SOON_DAYS`) among the
    open documents: of the whole agency, or those assigned to ``userid``."""
    query = {"review_state": ["registered", *OPEN]}
    if userid:
        query["qlvb_incoming_assignees"] = userid
        query["review_state"] = list(OPEN)
    today = _today()
    if key == "overdue":
        query["qlvb_deadline"] = {"query": today - datetime.timedelta(days=1), "range": "max"}
    else:
        query["qlvb_deadline"] = {"query": (today, today + datetime.timedelta(days=SOON_DAYS)),
                                  "range": "min:max"}
    make = _my_row(userid) if userid else None
    return _list(agency, filters, [(query, BY_DEADLINE)], make_row=make, batch=batch, choice=sort)


def all_documents(agency, filters=None, batch=None, sort=None):
    """Every incoming document: the open ones first (urgent first), then the newest first."""
    open_states = ["received", "registered", *OPEN]
    closed = [s for s in incoming_states() if s not in open_states]
    if (filters or {}).get("state"):
        return _list(agency, filters, [({}, (("qlvb_urgency_rank", "created"), ("ascending", "descending")))],
                     batch=batch, choice=sort)
    return _list(agency, filters, [
        ({"review_state": open_states}, (("qlvb_urgency_rank", "created"), ("ascending", "descending"))),
        ({"review_state": closed}, (("created",), ("descending",))),
    ], batch=batch, choice=sort)


def incoming_states():
    from dongthap.qlvb.incoming.api import STATES

    return STATES


def lists_for(agency, userid, filters=None, batch=None, sort=None, only=None):
    """The dashboards the current user should see in ``agency`` (key → :class:`Page`);
    ``only`` limits them to one key."""
    roles = set(api.user.get_roles(obj=agency))
    admin = bool(roles & {"Manager", "Site Administrator"})
    wanted = []
    if admin or R.CLERK in roles:
        wanted.append(("waiting_registration", lambda: waiting_registration(agency, filters, batch, sort)))
    if admin or R.LEADER in roles:
        wanted.append(("waiting_assignment", lambda: waiting_assignment(agency, filters, batch, sort)))
    wanted.append(("my_work", lambda: my_work(agency, userid, filters, batch, sort)))
    if only in DEADLINE_LISTS:
        who = None if admin or R.LEADER in roles else userid
        wanted.append((only, lambda: deadline_list(agency, only, who, filters, batch, sort)))
    return {key: make() for key, make in wanted if only in (None, key)}


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


def _register_brains(agency, date_from, date_to):
    """The registered documents' brains in register order, each with its
    ``qlvb_register_values`` (:func:`dongthap.qlvb.incoming.indexers.register_values`); a
    document catalogued before that column (or never reindexed since) is read once instead."""
    from dongthap.qlvb.incoming.indexers import register_values
    from dongthap.qlvb.incoming.indexers import REGISTER_COLUMN

    for brain in _registered_brains(agency, date_from, date_to):
        values = getattr(brain, REGISTER_COLUMN, None)
        if not isinstance(values, tuple):  # Missing.Value: not filled yet
            values = register_values(brain._unrestrictedGetObject())
        yield brain, values


class _Names:
    """Labels of assignment entries, each person and department looked up once per register."""

    def __init__(self, agency):
        self.agency = agency
        self.people = {}
        self.departments = {}

    def person(self, userid):
        from dongthap.qlvb.incoming.handling import _fullname

        if userid not in self.people:
            self.people[userid] = _fullname(userid)
        return self.people[userid]

    def department(self, department):
        if not department:
            return ""
        if department not in self.departments:
            known = department in self.agency.objectIds()
            self.departments[department] = self.agency[department].title if known else department
        return self.departments[department]

    def recipients(self, pairs):
        """"Đơn vị hoặc người nhận" (:func:`dongthap.qlvb.incoming.handling.entry_label`)."""
        labels = []
        for department, userid in pairs:
            dept, name = self.department(department), self.person(userid)
            labels.append(f"{dept} ({name})" if dept else name)
        return "; ".join(labels)


def _subject(brain):
    type_name = DOCUMENT_TYPES.get(brain.qlvb_document_type, ("", ""))[0]
    return f"{type_name}: {brain.Title}" if type_name else brain.Title


def register_rows(agency, date_from=None, date_to=None):
    """Rows of "Sổ đăng ký văn bản đến" (column keys of dongthap.qlvb.registers.columns), from
    the catalog: no document is woken (docs/capacity.md)."""
    rows = []
    names = _Names(agency)
    for brain, (recipients, assigned_on, _due, _progress, _reply) in _register_brains(
            agency, date_from, date_to):
        rows.append({
            "arrival_date": fmt_date(brain.qlvb_arrival_day),
            "arrival_number": brain.qlvb_arrival_number,
            "author": brain.qlvb_issuing_agency_name,
            "notation": notation(brain.qlvb_code_number, brain.qlvb_code_notation),
            "issued_date": fmt_date(brain.qlvb_issued_date),
            "subject": _subject(brain),
            "recipient": names.recipients(recipients),
            "transfer_date": assigned_on[8:10] + "/" + assigned_on[5:7] + "/" + assigned_on[:4]
            if assigned_on else "",
            "receipt_signature": "",
            "note": "",
        })
    return rows


def tracking_rows(agency, date_from=None, date_to=None):
    """Rows of "Sổ theo dõi giải quyết văn bản đến", from the catalog like :func:`register_rows`."""
    from zope.i18n import translate

    rows = []
    names = _Names(agency)
    states = {}
    for brain, (recipients, _assigned_on, due, progress, reply) in _register_brains(
            agency, date_from, date_to):
        type_name = DOCUMENT_TYPES.get(brain.qlvb_document_type, ("", ""))[0]
        described = f"{type_name} số {notation(brain.qlvb_code_number, brain.qlvb_code_notation)} " \
                    f"ngày {fmt_date(brain.qlvb_issued_date)} của {brain.qlvb_issuing_agency_name}"
        state = brain.review_state
        if state not in states:
            states[state] = translate(state_title(state), target_language="vi")
        status = states[state]
        if progress:
            status = f"{status}: {progress}"
        rows.append({
            "arrival_number": brain.qlvb_arrival_number,
            "document": described,
            "recipient": names.recipients(recipients),
            "due_date": fmt_date(_d(due)) if due else "",
            "progress": status,
            "reply_notation": reply,
            "note": "",
        })
    return rows


def today():
    return now().date()
