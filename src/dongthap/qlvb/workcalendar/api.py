"""The leaders' weekly work calendar (lịch công tác tuần) of an agency.

What pages, REST services and the iCal feed call::

    from dongthap.qlvb.workcalendar import api as cal

    e = cal.create(agency, {"date": "07/12/2026", "start": "08:00", "end": "10:00",
                            "content": "Họp giao ban", "place": "Phòng họp 1",
                            "chair": "stttt.lanhdao", "participants": ["stttt.truongphong"],
                            "departments": ["cntt"], "guests": "Đại diện Sở Nội vụ",
                            "preparing_unit": "Văn phòng"})        # the office (văn thư): draft
    cal.transition(agency, e["id"], "submit")                  # → submitted (leaders told)
    cal.transition(agency, e["id"], "approve")                 # a leader → published (participants told)
    cal.update(agency, e["id"], {"place": "Hội trường"})       # after publication: participants told again
    cal.transition(agency, e["id"], "cancel")                  # published → cancelled (participants told)
    cal.week(agency, cal.parse_week("2026-W50"))               # the week as the user may see it

Events live in an annotation of the agency (an ``OOBTree`` of ``PersistentMapping``, plus an
index by day and the ids of the events still in draft or submitted). Every function checks the
current user's permission on the agency and validates everything before it writes: a refused
call raises :class:`dongthap.qlvb.errors.QlvbError` and stores nothing.

Visibility: published and cancelled events to everyone with "View work calendar" on the
agency (its staff: local roles, acquisition blocked, so never another agency's staff); drafts and
submitted events only to the office ("Draft work calendar", QlvbClerk) and the leaders
("Approve work calendar", QlvbLeader).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import time
import unicodedata

from BTrees.OOBTree import OOBTree
from persistent.list import PersistentList
from persistent.mapping import PersistentMapping
from plone import api
from zope.annotation.interfaces import IAnnotations

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering.counter import VIETNAM
from dongthap.qlvb.utils.text import has_unsafe_characters, unsafe_text_message

VIEW = "dongthap.qlvb: View work calendar"
DRAFT = "dongthap.qlvb: Draft work calendar"
APPROVE = "dongthap.qlvb: Approve work calendar"

STORE_KEY = "dongthap.qlvb.workcalendar"
TOKENS_KEY = "dongthap.qlvb.workcalendar.tokens"

DRAFTED, SUBMITTED, PUBLISHED, CANCELLED = "draft", "submitted", "published", "cancelled"
STATE_TITLES = {
    DRAFTED: _("calendar_state_draft", default="Draft"),
    SUBMITTED: _("calendar_state_submitted", default="Awaiting the leader's approval"),
    PUBLISHED: _("calendar_state_published", default="Published"),
    CANCELLED: _("calendar_state_cancelled", default="Cancelled"),
}
#: transition → (from states, to state, permissions any of which allows it)
TRANSITIONS = {
    "submit": ((DRAFTED,), SUBMITTED, (DRAFT,)),
    "approve": ((SUBMITTED,), PUBLISHED, (APPROVE,)),
    "return": ((SUBMITTED,), DRAFTED, (APPROVE,)),
    "cancel": ((PUBLISHED,), CANCELLED, (DRAFT, APPROVE)),
}
TRANSITION_TITLES = {
    "create": _("calendar_action_create", default="Drafted"),
    "edit": _("calendar_action_edit", default="Changed"),
    "submit": _("calendar_action_submit", default="Submitted for approval"),
    "approve": _("calendar_action_approve", default="Approved and published"),
    "return": _("calendar_action_return", default="Returned for changes"),
    "cancel": _("calendar_action_cancel", default="Cancelled"),
}
WEEKDAYS = (
    _("weekday_monday", default="Monday"),
    _("weekday_tuesday", default="Tuesday"),
    _("weekday_wednesday", default="Wednesday"),
    _("weekday_thursday", default="Thursday"),
    _("weekday_friday", default="Friday"),
    _("weekday_saturday", default="Saturday"),
    _("weekday_sunday", default="Sunday"),
)
PERIODS = {
    "morning": _("calendar_morning", default="Morning"),
    "afternoon": _("calendar_afternoon", default="Afternoon"),
}
FIELDS = ("date", "start", "end", "place", "chair", "participants", "departments", "guests",
          "preparing_unit", "content")
FIELD_TITLES = {
    "date": _("label_calendar_date", default="Date"),
    "start": _("label_calendar_start", default="Start"),
    "end": _("label_calendar_end", default="End"),
    "place": _("label_calendar_place", default="Place"),
    "chair": _("label_calendar_chair", default="Chaired by"),
    "participants": _("label_calendar_participants", default="Participants"),
    "departments": _("label_calendar_departments", default="Departments taking part"),
    "guests": _("label_calendar_guests", default="Guests from outside"),
    "preparing_unit": _("label_calendar_preparing_unit", default="Prepared by"),
    "content": _("label_calendar_content", default="Content"),
    "week": _("label_calendar_week", default="Week"),
    "from": _("label_calendar_from", default="From"),
    "to": _("label_calendar_to", default="To"),
}
MAX_TEXT = 2000
MAX_SPAN_DAYS = 62
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")
_WEEK = re.compile(r"^\s*(\d{4})-?W(\d{1,2})\s*$", re.I)


# --------------------------------------------------------------------------- helpers
def _refuse(message, status=400, errors=()):
    raise QlvbError(message, list(errors), status)


def _forbidden():
    _refuse(_("error_calendar_forbidden", default="You may not do this."), 403)


def _userid():
    user = api.user.get_current()
    return user.getId() if user is not None else None


def _now():
    from dongthap.qlvb.documents.common import now

    return now()


def today():
    return _now().date()


def _may(permission, agency):
    return bool(api.user.has_permission(permission, obj=agency))


def is_office(agency):
    return _may(DRAFT, agency) or _may(APPROVE, agency)


def _store(agency, create=False):
    annotations = IAnnotations(agency)
    store = annotations.get(STORE_KEY)
    if store is None and create:
        store = annotations[STORE_KEY] = OOBTree()
        store["events"] = OOBTree()
        store["by_day"] = OOBTree()
        store["open"] = OOBTree()
    return store


def _day_key(date_iso, eid):
    return f"{date_iso.replace('-', '')}|{eid}"


def _fullname(userid):
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") if user is not None else "") or userid or ""


def staff_ids(agency):
    """User ids of everyone holding a role in ``agency``."""
    from dongthap.qlvb.agencies.api import group_ids, group_members

    found = set()
    for gid in group_ids(agency).values():
        found |= group_members(gid)
    return found


def leaders(agency):
    from dongthap.qlvb.agencies.api import group_id, group_members

    gid = group_id(agency, "QlvbLeader")
    return group_members(gid) if gid else set()


def people(agency):
    """``[(userid, fullname)]`` of the agency's staff, sorted by Vietnamese name (the form)."""
    from dongthap.qlvb.agencies.api import list_staff

    return [(s["userid"], s["fullname"]) for s in list_staff(agency=agency)]


def department_titles(agency):
    from dongthap.qlvb.agencies.departments import departments

    return {did: d.title for did, d in departments(agency).items()}


# --------------------------------------------------------------------------- weeks and dates
def parse_day(value):
    """``dd/mm/yyyy`` or ``yyyy-mm-dd`` → date; ValueError otherwise."""
    from dongthap.qlvb.documents.common import parse_date

    if value is None or not str(value).strip():
        raise ValueError(value)
    day = parse_date(value)
    if not isinstance(day, dt.date) or not 2000 <= day.year <= 2100:
        raise ValueError(value)
    return day


def parse_week(value):
    """``2026-W49`` (ISO week) → its Monday; ValueError otherwise."""
    match = _WEEK.match(str(value or ""))
    if not match:
        raise ValueError(value)
    year, week = int(match.group(1)), int(match.group(2))
    return dt.date.fromisocalendar(year, week, 1)


def week_key(monday):
    year, week, _day = monday.isocalendar()
    return f"{year}-W{week:02d}"


def monday_of(day):
    return day - dt.timedelta(days=day.weekday())


def fmt(day):
    return day.strftime("%d/%m/%Y")


def range_from_request(form):
    """``(first, last, monday or None)`` from ``week`` or ``from``/``to`` (400 when bad)."""
    week = form.get("week")
    if week or not (form.get("from") or form.get("to")):
        if not week:
            monday = monday_of(today())
        else:
            try:
                monday = parse_week(week)
            except ValueError:
                _refuse(_("error_calendar_bad_week", default="Give the week as 2026-W49."), 400,
                        [{"field": "week", "message": _("error_calendar_bad_week_short",
                                                        default="Not a week (2026-W49).")}])
        return monday, monday + dt.timedelta(days=6), monday
    errors = []
    found = {}
    for key in ("from", "to"):
        try:
            found[key] = parse_day(form.get(key))
        except (ValueError, TypeError):
            errors.append({"field": key, "message": _("error_calendar_bad_date_short",
                                                      default="Not a date (dd/mm/yyyy).")})
    if errors:
        _refuse(_("error_calendar_bad_range", default="Give the period as dates (dd/mm/yyyy)."), 400, errors)
    first, last = found["from"], found["to"]
    if last < first or (last - first).days > MAX_SPAN_DAYS:
        _refuse(_("error_calendar_span",
                  default="The period must end after it starts and last at most ${days} days.",
                  mapping={"days": MAX_SPAN_DAYS}), 400,
                [{"field": "to", "message": _("error_calendar_span_short", default="Period not accepted.")}])
    return first, last, None


# --------------------------------------------------------------------------- validation
def _text(value):
    return unicodedata.normalize("NFC", str(value).strip()) if value is not None else ""


def _list(value):
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if str(v).strip()]
    raise ValueError(value)


def _time(value):
    match = _TIME.match(str(value or ""))
    if not match:
        raise ValueError(value)
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise ValueError(value)
    return f"{hour:02d}:{minute:02d}"


def _unknown_person(value):
    return _("error_calendar_unknown_person", default="Not a member of the agency's staff: ${value}.",
             mapping={"value": value})


def _err(field, message):
    return {"field": field, "message": message}


def _named(values):
    """Every user id ``values`` names (chair and participants), to look only those up."""
    named = {values.get("chair")} if isinstance(values.get("chair"), str) else set()
    try:
        named |= set(_list(values.get("participants")))
    except ValueError:
        pass
    return {str(n).strip() for n in named if n}


def clean(agency, data, current=None):
    """The stored values of an event from ``data`` (merged over ``current`` when editing).

    Raises a 400 :class:`QlvbError` listing every bad field; unknown fields are refused too."""
    if not isinstance(data, dict):
        _refuse(_("error_calendar_body", default="Send the event as a JSON object."))
    errors = []
    unknown = [k for k in data if k not in FIELDS and not k.startswith("@")]
    for key in unknown:
        errors.append(_err(key, _("error_calendar_unknown_field", default="Unknown field.")))
    merged = dict(current or {})
    merged.update({k: v for k, v in data.items() if k in FIELDS})
    out = {}
    try:
        out["date"] = parse_day(merged.get("date")).isoformat()
    except (ValueError, TypeError):
        errors.append(_err("date", _("error_calendar_bad_date_short", default="Not a date (dd/mm/yyyy).")))
    try:
        out["start"] = _time(merged.get("start"))
    except ValueError:
        errors.append(_err("start", _("error_calendar_bad_time", default="Not a time (hh:mm).")))
    end = merged.get("end")
    if end in (None, ""):
        out["end"] = ""
    else:
        try:
            out["end"] = _time(end)
        except ValueError:
            errors.append(_err("end", _("error_calendar_bad_time", default="Not a time (hh:mm).")))
    if out.get("start") and out.get("end") and out["end"] <= out["start"]:
        errors.append(_err("end", _("error_calendar_end_before_start",
                                     default="The end must be after the start.")))
    for key in ("place", "guests", "preparing_unit", "content"):
        value = merged.get(key)
        if value is not None and not isinstance(value, str):
            errors.append(_err(key, _("error_calendar_not_text", default="Must be text.")))
            continue
        if has_unsafe_characters(value):
            errors.append(_err(key, unsafe_text_message()))
            continue
        value = _text(value)
        if len(value) > MAX_TEXT:
            errors.append(_err(key, _("error_calendar_too_long", default="At most ${max} characters.",
                                      mapping={"max": MAX_TEXT})))
        out[key] = value
    if not out.get("content") and not any(e["field"] == "content" for e in errors):
        errors.append(_err("content", _("error_calendar_required", default="Required.")))
    staff = {u for u in staff_ids(agency) if u in _named(merged)}
    staff = {u for u in staff if api.user.get(userid=u) is not None}  # not an account deleted since
    chair = merged.get("chair")
    if chair is not None and not isinstance(chair, str):
        errors.append(_err("chair", _("error_calendar_not_text", default="Must be text.")))
    else:
        chair = _text(chair)
        if not chair:
            errors.append(_err("chair", _("error_calendar_required", default="Required.")))
        elif chair not in staff:
            errors.append(_err("chair", _unknown_person(chair)))
        out["chair"] = chair
    try:
        participants = list(dict.fromkeys(_list(merged.get("participants"))))
        strangers = [p for p in participants if p not in staff]
        if strangers:
            errors.append(_err("participants", _unknown_person(", ".join(strangers))))
        out["participants"] = [p for p in participants if p != out.get("chair")]
    except ValueError:
        errors.append(_err("participants", _("error_calendar_not_list", default="Must be a list.")))
    try:
        departments = list(dict.fromkeys(_list(merged.get("departments"))))
        known = department_titles(agency)
        unknown_departments = [d for d in departments if d not in known]
        if unknown_departments:
            errors.append(_err("departments", _("error_calendar_unknown_department",
                                                default="Unknown department: ${value}.",
                                                mapping={"value": ", ".join(unknown_departments)})))
        out["departments"] = departments
    except ValueError:
        errors.append(_err("departments", _("error_calendar_not_list", default="Must be a list.")))
    if errors:
        _refuse(_("error_calendar_invalid", default="The event was not saved: check the fields marked."),
                400, errors)
    return out


# --------------------------------------------------------------------------- reading
def _event(agency, eid):
    store = _store(agency)
    event = store["events"].get(eid) if store is not None and isinstance(eid, str) else None
    if event is None or not may_see(agency, event):
        _refuse(_("error_calendar_not_found", default="No such event in this work calendar."), 404)
    return event


def may_see(agency, event):
    if event["state"] in (PUBLISHED, CANCELLED):
        return _may(VIEW, agency)
    return is_office(agency)


def _may_edit(agency, event):
    if event["state"] == CANCELLED:
        return False
    if event["state"] == DRAFTED:
        return _may(DRAFT, agency)
    return _may(DRAFT, agency) or _may(APPROVE, agency)


def _may_transition(agency, event, name):
    sources, _target, permissions = TRANSITIONS[name]
    return event["state"] in sources and any(_may(p, agency) for p in permissions)


def period_of(start):
    return "morning" if start < "12:00" else "afternoon"


def involved(agency, event):
    """User ids the event concerns: chair, participants, members of its departments."""
    from dongthap.qlvb.agencies.departments import department, members

    found = {event.get("chair")} | set(event.get("participants") or ())
    for did in event.get("departments") or ():
        dept = department(agency, did)
        if dept is not None:
            found |= members(dept)
    found.discard(None)
    found.discard("")
    return found


def info(agency, event, *, with_actions=True, titles=None):
    """The JSON of one event (``titles``: department titles, to read them once per page)."""
    titles = titles if titles is not None else department_titles(agency)
    day = dt.date.fromisoformat(event["date"])
    out = {
        "@id": f"{agency.absolute_url()}/@calendar/{event['id']}",
        "id": event["id"],
        "date": event["date"],
        "date_text": fmt(day),
        "weekday": WEEKDAYS[day.weekday()],
        "start": event["start"],
        "end": event.get("end") or "",
        "time_text": event["start"] + (f" – {event['end']}" if event.get("end") else ""),
        "period": period_of(event["start"]),
        "period_title": PERIODS[period_of(event["start"])],
        "content": event["content"],
        "place": event.get("place") or "",
        "chair": event.get("chair") or "",
        "chair_name": _fullname(event.get("chair")),
        "participants": [{"userid": p, "fullname": _fullname(p)} for p in event.get("participants") or ()],
        "departments": [{"id": d, "title": titles.get(d, d)} for d in event.get("departments") or ()],
        "guests": event.get("guests") or "",
        "preparing_unit": event.get("preparing_unit") or "",
        "state": event["state"],
        "state_title": STATE_TITLES[event["state"]],
        "version": event.get("version", 1),
        "created_by": event.get("created_by") or "",
        "history": [dict(h, title=TRANSITION_TITLES.get(h.get("action"), h.get("action"))) for h in
                    event.get("history") or ()],
    }
    if with_actions:
        out["may_edit"] = _may_edit(agency, event)
        out["transitions"] = [name for name in TRANSITIONS if _may_transition(agency, event, name)]
    return out


def events_between(agency, first, last):
    """The stored events (mappings) from ``first`` to ``last`` inclusive, by day and time (unchecked)."""
    store = _store(agency)
    if store is None:
        return []
    low = f"{first.isoformat().replace('-', '')}|"
    high = f"{last.isoformat().replace('-', '')}|~"
    found = [store["events"][eid] for eid in store["by_day"].values(min=low, max=high)
             if eid in store["events"]]
    return sorted(found, key=lambda e: (e["date"], e["start"], e.get("end") or "", e["id"]))


def week(agency, first, last=None, monday=None):
    """The period as the user may see it: days with their morning and afternoon events."""
    if not _may(VIEW, agency):
        _forbidden()
    last = last or first + dt.timedelta(days=6)
    titles = department_titles(agency)
    visible = [info(agency, e, titles=titles) for e in events_between(agency, first, last)
               if may_see(agency, e)]
    days = []
    day = first
    while day <= last:
        items = [e for e in visible if e["date"] == day.isoformat()]
        days.append({"date": day.isoformat(), "date_text": fmt(day), "weekday": WEEKDAYS[day.weekday()],
                     "today": day == today(),
                     "periods": [{"key": key, "title": PERIODS[key],
                                  "items": [e for e in items if e["period"] == key]}
                                 for key in PERIODS if any(e["period"] == key for e in items)],
                     "items": items})
        day += dt.timedelta(days=1)
    out = {"@id": f"{agency.absolute_url()}/@calendar", "agency": agency.title,
           "from": first.isoformat(), "to": last.isoformat(), "from_text": fmt(first), "to_text": fmt(last),
           "days": days, "items": visible, "items_total": len(visible)}
    if monday is not None:
        year, number, _day = monday.isocalendar()
        out.update(week=week_key(monday), week_number=number, week_year=year,
                   previous=week_key(monday - dt.timedelta(days=7)),
                   next=week_key(monday + dt.timedelta(days=7)))
    return out


def get(agency, eid):
    return info(agency, _event(agency, eid))


def open_events(agency, state):
    """Events in ``state`` (draft or submitted) the user may see (the desk)."""
    store = _store(agency)
    if store is None or not is_office(agency):
        return []
    return [store["events"][eid] for eid, s in store["open"].items() if s == state and eid in store["events"]]


# --------------------------------------------------------------------------- writing
def _history(event, action, comment=""):
    entry = {"action": action, "by": _userid() or "", "by_name": _fullname(_userid()),
             "at": _now().isoformat(timespec="seconds")}
    if comment:
        entry["comment"] = comment
    event["history"].append(entry)


def _index(store, event, old_date=None):
    if old_date is not None:
        store["by_day"].pop(_day_key(old_date, event["id"]), None)
    store["by_day"][_day_key(event["date"], event["id"])] = event["id"]
    if event["state"] in (DRAFTED, SUBMITTED):
        store["open"][event["id"]] = event["state"]
    else:
        store["open"].pop(event["id"], None)


def create(agency, data):
    """A new event drafted by the office (QlvbClerk): state draft."""
    if not _may(DRAFT, agency):
        _forbidden()
    values = clean(agency, data)
    store = _store(agency, create=True)
    eid = f"lct-{secrets.token_hex(5)}"
    while eid in store["events"]:
        eid = f"lct-{secrets.token_hex(5)}"
    event = PersistentMapping(values)
    event.update(id=eid, state=DRAFTED, version=1, created_by=_userid() or "",
                 created=_now().isoformat(timespec="seconds"), history=PersistentList())
    _history(event, "create")
    store["events"][eid] = event
    _index(store, event)
    _audit("calendar_create", agency, event)
    return info(agency, event)


def update(agency, eid, data):
    """Change an event; a change of a published event tells its people again (old and new)."""
    event = _event(agency, eid)
    if not _may_edit(agency, event):
        _forbidden()
    current = {k: event.get(k) for k in FIELDS}
    values = clean(agency, data, current)
    before = involved(agency, event)
    changed = [k for k in FIELDS if values.get(k) != current.get(k) and not (
        isinstance(current.get(k), (list, tuple)) and list(current.get(k)) == values.get(k))]
    if not changed:
        return info(agency, event)
    old_date = event["date"]
    event.update(values)
    event["version"] = event.get("version", 1) + 1
    _history(event, "edit", ", ".join(changed))
    _index(_store(agency), event, old_date=old_date)
    if event["state"] == PUBLISHED:
        _notify(agency, event, "calendar_changed", before | involved(agency, event))
    _audit("calendar_edit", agency, event, fields=changed)
    return info(agency, event)


def transition(agency, eid, name, comment=""):
    event = _event(agency, eid)
    if not isinstance(name, str) or name not in TRANSITIONS:
        _refuse(_("error_unknown_transition", default="Unknown action."), 404)
    sources, target, _permissions = TRANSITIONS[name]
    if event["state"] not in sources:
        _refuse(_("error_calendar_wrong_state", default="This cannot be done to an event that is ${state}.",
                  mapping={"state": STATE_TITLES[event["state"]]}), 409)
    if not _may_transition(agency, event, name):
        _forbidden()
    problem = _comment_problem(comment)
    if problem is not None:
        _refuse(_("error_calendar_bad_comment", default="The reason was not accepted."), 400,
                [_err("comment", problem)])
    comment = _text(comment)
    if name == "return" and not comment:
        _refuse(_("error_calendar_reason", default="Say why the event is returned."), 400,
                [_err("comment", _("error_calendar_required", default="Required."))])
    event["state"] = target
    _history(event, name, comment)
    _index(_store(agency), event)
    if name == "submit":
        _notify(agency, event, "calendar_to_approve", leaders(agency))
    elif name == "approve":
        _notify(agency, event, "calendar_published", involved(agency, event))
    elif name == "cancel":
        _notify(agency, event, "calendar_cancelled", involved(agency, event))
    elif name == "return":
        _notify(agency, event, "calendar_returned", {event.get("created_by")})
    _audit(f"calendar_{name}", agency, event)
    return info(agency, event)


def _comment_problem(comment):
    """Why the comment of a transition is refused (None: accepted)."""
    if comment is None:
        return None
    if not isinstance(comment, str):
        return _("error_calendar_not_text", default="Must be text.")
    if has_unsafe_characters(comment):
        return unsafe_text_message()
    if len(comment) > MAX_TEXT:
        return _("error_calendar_too_long", default="At most ${max} characters.", mapping={"max": MAX_TEXT})
    return None


_QUIET = []


class quiet:
    """``with quiet():`` no notification is sent (the demo data seeds events silently)."""

    def __enter__(self):
        _QUIET.append(True)

    def __exit__(self, *exc):
        _QUIET.pop()


def _notify(agency, event, kind, userids):
    if _QUIET:
        return
    from dongthap.qlvb.notifications import api as notifications

    day = dt.date.fromisoformat(event["date"])
    site_path = "/".join(api.portal.get().getPhysicalPath())
    path = "/".join(agency.getPhysicalPath())[len(site_path) + 1:]
    notifications.notify(
        userids, kind, title=event["content"], path=f"{path}/@@lich-cong-tac?week={week_key(monday_of(day))}",
        actor=_userid() or "",
        mapping={"when": f"{event['start']} {fmt(day)}", "place": event.get("place") or ""})


def _audit(action, agency, event, **detail):
    try:
        from dongthap.qlvb.audit.log import log
    except ImportError:  # pragma: no cover
        return
    detail = dict(detail, event=event["id"], date=event["date"], state=event["state"])
    log(action, agency, detail={k: v for k, v in detail.items() if v not in (None, "", [])})


# --------------------------------------------------------------------------- iCal tokens
# ``by_token``: token → userid; ``by_user``: userid → token; ``issued``: token → when it was made
# (seconds since the epoch). A token is valid for ``feed_token_days`` (registry) after it was made;
# an expired one is kept (its feed answers 410 "expired") until its owner renews or revokes it.
def _tokens(create=False):
    site = api.portal.get()
    annotations = IAnnotations(site)
    tokens = annotations.get(TOKENS_KEY)
    if tokens is None and create:
        tokens = annotations[TOKENS_KEY] = OOBTree()
        tokens["by_token"] = OOBTree()
        tokens["by_user"] = OOBTree()
    if tokens is not None and create and "issued" not in tokens:
        tokens["issued"] = OOBTree()
    return tokens


def feed_token(userid, *, reset=False):
    """The user's secret token of the iCal feed (made on first use; a new one on ``reset``). An
    expired token is returned as it is: its owner renews it (``reset``) when he chooses."""
    tokens = _tokens(create=True)
    old = tokens["by_user"].get(userid)
    if old and not reset:
        return old
    if old:
        tokens["by_token"].pop(old, None)
        tokens["issued"].pop(old, None)
    token = secrets.token_urlsafe(24)
    tokens["by_token"][token] = userid
    tokens["by_user"][userid] = token
    tokens["issued"][token] = time.time()
    return token


def revoke_feed_token(userid) -> bool:
    """Remove the user's token (its addresses answer 404 "unknown" from now); False when he had none."""
    tokens = _tokens()
    old = tokens["by_user"].get(userid) if tokens is not None else None
    if old is None:
        return False
    del tokens["by_user"][userid]
    tokens["by_token"].pop(old, None)
    if "issued" in tokens:
        tokens["issued"].pop(old, None)
    return True


def token_expires(token):
    """When ``token`` expires (an aware datetime in the site's time zone); None for a token made before
    tokens had a date and not yet dated by the upgrade step."""
    from dongthap.qlvb.workcalendar.settings import feed_token_days

    tokens = _tokens()
    issued = tokens.get("issued", {}).get(token) if tokens is not None else None
    if issued is None:
        return None
    return (dt.datetime.fromtimestamp(issued, dt.UTC) + dt.timedelta(days=feed_token_days())
            ).astimezone(VIETNAM)


def token_expired(token) -> bool:
    expires = token_expires(token)
    return expires is not None and expires <= dt.datetime.now(dt.UTC)


def user_of_token(token):
    tokens = _tokens()
    if tokens is None or not isinstance(token, str) or not token:
        return None
    return tokens["by_token"].get(token)


def feed_url(userid, scope="mine", *, reset=False, create=True):
    """The address of the user's feed; None when he has none yet and ``create`` is false
    (pages read it on GET without writing)."""
    token = _current_token(userid, reset=reset, create=create)
    if token is None:
        return None
    base = f"{api.portal.get().absolute_url()}/@@lich-cong-tac.ics?token={token}"
    return base + ("&scope=all" if scope == "all" else "")


def _current_token(userid, *, reset=False, create=True):
    if not create:
        tokens = _tokens()
        return tokens["by_user"].get(userid) if tokens is not None else None
    return feed_token(userid, reset=reset)


def feed_info(userid, *, reset=False, create=True):
    """``{"url", "url_all", "expires" (ISO), "expires_text" (dd/mm/yyyy), "expired"}`` of the user's
    feed; None when he has none and ``create`` is false."""
    token = _current_token(userid, reset=reset, create=create)
    if token is None:
        return None
    base = f"{api.portal.get().absolute_url()}/@@lich-cong-tac.ics?token={token}"
    expires = token_expires(token)
    return {"url": base, "url_all": base + "&scope=all",
            "expires": expires.isoformat() if expires else None,
            "expires_text": expires.strftime("%d/%m/%Y") if expires else None,
            "expired": token_expired(token)}
