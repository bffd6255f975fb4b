"""Assignment (phiếu giải quyết), re-assignment, progress — the handling of a document."""

from Acquisition import aq_inner
from dongthap.qlvb.agencies import departments
from dongthap.qlvb.reports.indexers import ASSIGNMENT_REPORT_INDEXES
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.errors import forbidden
from dongthap.qlvb.i18n import _
from dongthap.qlvb.incoming import assignment as A
from dongthap.qlvb.documents.common import actor as _actor
from dongthap.qlvb.documents.indexers import refresh_metadata
from dongthap.qlvb.incoming.api import _transition
from dongthap.qlvb.incoming.api import add_trail
from dongthap.qlvb.incoming.api import ASSIGN_PERMISSION
from dongthap.qlvb.incoming.api import fmt_date
from dongthap.qlvb.incoming.api import fmt_datetime
from dongthap.qlvb.incoming.api import IncomingError
from dongthap.qlvb.incoming.api import now
from dongthap.qlvb.incoming.api import parse_date
from dongthap.qlvb.incoming.api import PROGRESS_PERMISSION
from dongthap.qlvb.incoming.api import state_title
from dongthap.qlvb.incoming.api import TRANSITION_TITLES
from dongthap.qlvb.numbering import run_in_transaction
from dongthap.qlvb.security import roles as R
from persistent.list import PersistentList
from plone import api

KIND_TITLES = {
    "lead": _("kind_lead", default="Lead (chủ trì)"),
    "coordinator": _("kind_coordinator", default="Coordination (phối hợp)"),
    "fyi": _("kind_fyi", default="For information (để biết)"),
}


def _not_frozen(doc):
    """A copy its sender recalled is frozen: no assignment, no progress (409)."""
    from dongthap.qlvb.recall.api import check_not_frozen

    check_not_frozen(doc)


def _agency_roles(agency, userid):
    user = api.user.get(userid=userid)
    if user is None:
        return None
    return set(api.user.get_roles(user=user, obj=agency))


def _resolve_user(username):
    user = api.user.get(username=username) or api.user.get(userid=username)
    return user.getId() if user is not None else None


def _parse_entry(agency, spec, kind, errors, *, specialists_only=False):
    if isinstance(spec, str):
        spec = {"user": spec}
    if not isinstance(spec, dict):
        errors.append({"field": kind, "message": _("error_bad_assignee", default="Invalid assignee.")})
        return None
    department = (spec.get("department") or "").strip() or None
    username = (spec.get("user") or "").strip()
    if department and departments.department(agency, department) is None:
        errors.append({"field": kind, "message": _(
            "error_unknown_department", default="Unknown department: ${value}.",
            mapping={"value": department})})
        return None
    if not username and department and not specialists_only:
        username = department_head(agency, department)
        if username is None:
            errors.append({"field": kind, "message": _(
                "error_department_without_head",
                default="${department} has no department head: choose a person.",
                mapping={"department": agency[department].title})})
            return None
    if not username:
        errors.append({"field": kind, "message": _(
            "error_assignee_user_required",
            default="Choose the person who receives the document (for a department: its head).")})
        return None
    userid = _resolve_user(username)
    roles = _agency_roles(agency, userid) if userid else None
    if not roles or not roles & set(R.AGENCY_ROLES):
        errors.append({"field": kind, "message": _(
            "error_not_agency_staff", default="${user} is not staff of this agency.",
            mapping={"user": username})})
        return None
    if department and R.DEPARTMENT_HEAD not in roles and not specialists_only:
        errors.append({"field": kind, "message": _(
            "error_not_department_head", default="${user} is not a department head.",
            mapping={"user": username})})
        return None
    if specialists_only and not roles & {R.SPECIALIST, R.DEPARTMENT_HEAD}:
        errors.append({"field": kind, "message": _(
            "error_not_specialist",
            default="${user} is not a specialist or department head of this agency.",
            mapping={"user": username})})
        return None
    if department and not departments.is_member(agency[department], userid):
        errors.append({"field": kind, "message": _(
            "error_not_in_department", default="${user} does not belong to ${department}.",
            mapping={"user": username, "department": agency[department].title})})
        return None
    deadline = None
    if spec.get("deadline"):
        try:
            deadline = parse_date(spec["deadline"])
        except ValueError:
            errors.append({"field": kind, "message": _(
                "error_bad_deadline", default="Deadline: enter a date as dd/mm/yyyy.")})
            return None
        if deadline < now().date():
            errors.append({"field": kind, "message": _(
                "error_deadline_past", default="A deadline cannot be in the past.")})
            return None
    return {"kind": kind, "user": userid, "department": department,
            "deadline": deadline.isoformat() if deadline else None}


def department_head(agency, department):
    """The head who receives a document assigned to ``department`` alone (he then distributes it):
    the department's member holding the department-head role in the agency, the first by user id
    when there are several; None when it has none."""
    heads = sorted(userid for userid in departments.members(agency[department])
                   if R.DEPARTMENT_HEAD in (_agency_roles(agency, userid) or ()))
    if not heads:
        return None
    user = api.user.get(userid=heads[0])
    return user.getUserName() if user is not None else heads[0]


def _is_leader(doc, agency):
    roles = set(api.user.get_roles(obj=doc))
    return bool(roles & {R.LEADER, "Manager", "Site Administrator"})


def assign(doc, data):
    """Leader: write the assignment; department head: re-assign within his department.

    ``data``: ``{"lead": {"user"?, "department"?, "deadline"?}, "coordinators": [...],
    "fyi": [...], "direction": "…"}`` (a department without a user goes to its head, see
    :func:`department_head`) — or for a department head
    ``{"reassign": [{"user", "deadline"?}], "entry"?: id, "direction"?: "…"}``.
    """
    _not_frozen(doc)
    doc = aq_inner(doc)
    if not api.user.has_permission(ASSIGN_PERMISSION, obj=doc):
        raise forbidden()
    agency = get_agency(doc)
    if "reassign" in data:
        return _reassign(doc, agency, data)
    if not _is_leader(doc, agency):
        raise forbidden()
    from dongthap.qlvb.delegation import api as delegation

    under = delegation.acting_for(doc, "assign")  # a delegate writing it for the leader
    errors = []
    lead_spec = data.get("lead")
    if not lead_spec:
        errors.append({"field": "lead", "message": _(
            "error_lead_required", default="Choose the lead unit or person (chủ trì).")})
        lead = None
    else:
        lead = _parse_entry(agency, lead_spec, "lead", errors)
    wanted = [lead] if lead else []
    for key, kind in (("coordinators", "coordinator"), ("fyi", "fyi")):
        specs = data.get(key) or []
        if not isinstance(specs, list):
            specs = [specs]
        for spec in specs:
            entry = _parse_entry(agency, spec, kind, errors)
            if entry:
                wanted.append(entry)
    if errors:
        raise IncomingError(_("error_assignment_invalid",
                              default="The assignment was not saved: please correct the errors."), errors)
    direction = (data.get("direction") or "").strip()

    def work():
        state = api.content.get_state(doc)
        if state not in ("registered", "assigned", "in_progress"):
            raise IncomingError(_("error_not_assignable",
                                  default="Only registered documents in progress can be assigned."))
        when = now().isoformat()
        actor = _actor()
        old = A.entries(doc)
        result = []
        matched = set()
        for entry in old:
            if entry.get("parent") is None and entry.get("active"):
                same = next((w for w in wanted if w["user"] == entry["user"]
                             and w["kind"] == entry["kind"]), None)
                if same is not None and id(same) not in matched:
                    matched.add(id(same))
                    entry = dict(entry, department=same["department"], deadline=same["deadline"])
                else:
                    entry = dict(entry, active=False, ended_at=when, ended_by=actor)
            result.append(entry)
        ended = {e["id"] for e in result if not e.get("active")}
        result = [dict(e, active=False, ended_at=when, ended_by=actor)
                  if e.get("parent") in ended and e.get("active") else e for e in result]
        for w in wanted:
            if id(w) not in matched:
                result.append(dict(w, id=A.new_entry_id(), parent=None, active=True,
                                   assigned_by=actor, assigned_at=when, ended_at=None, ended_by=None))
        A.store(doc, result)
        doc.qlvb_direction = direction
        doc.qlvb_assigned_at = when
        doc.qlvb_assigned_by = actor
        if state == "registered":
            _transition(doc, "assign", direction)
        else:
            A.sync_local_roles(doc, state)
            add_trail(doc, "reassign", direction)
        doc.reindexObject(idxs=["qlvb_incoming_assignees", "allowedRolesAndUsers", "qlvb_deadline",
                                 *ASSIGNMENT_REPORT_INDEXES])
        return info(doc)

    if under is None:
        return run_in_transaction(work, note="qlvb: assign incoming document")
    from dongthap.qlvb.documents.trail import trail_extra

    with trail_extra(doc, **delegation.trail_fields(under)):
        result = run_in_transaction(work, note="qlvb: assign incoming document (delegated)")
    delegation.log_act(doc, under, "assign")
    return result


def _reassign(doc, agency, data):
    actor = _actor()
    roles = _agency_roles(agency, actor) or set()
    own = [e for e in A.active_entries(doc)
           if e["user"] == actor and e.get("department") and e["kind"] in ("lead", "coordinator")]
    if data.get("entry"):
        own = [e for e in own if e["id"] == data["entry"]]
    if R.DEPARTMENT_HEAD not in roles or len(own) != 1:
        raise forbidden()
    parent = own[0]
    errors = []
    specs = data.get("reassign") or []
    if not isinstance(specs, list):
        specs = [specs]
    specs = [dict(s, department=parent["department"]) if isinstance(s, dict)
             else {"user": s, "department": parent["department"]} if isinstance(s, str) else s
             for s in specs]
    wanted = [e for e in (_parse_entry(agency, s, parent["kind"], errors, specialists_only=True)
                          for s in specs) if e]
    if errors:
        raise IncomingError(_("error_assignment_invalid",
                              default="The assignment was not saved: please correct the errors."), errors)
    direction = (data.get("direction") or "").strip()

    def work():
        when = now().isoformat()
        result = []
        for entry in A.entries(doc):
            if entry.get("parent") == parent["id"] and entry.get("active"):
                entry = dict(entry, active=False, ended_at=when, ended_by=actor)
            result.append(entry)
        for w in wanted:
            result.append(dict(w, id=A.new_entry_id(), parent=parent["id"], active=True,
                               department=parent["department"],
                               deadline=w["deadline"] or parent.get("deadline"),
                               assigned_by=actor, assigned_at=when, ended_at=None, ended_by=None))
        A.store(doc, result)
        A.sync_local_roles(doc)
        add_trail(doc, "reassign", direction)
        doc.reindexObject(idxs=["qlvb_incoming_assignees", "allowedRolesAndUsers", "qlvb_deadline",
                                 *ASSIGNMENT_REPORT_INDEXES])
        return info(doc)

    return run_in_transaction(work, note="qlvb: re-assign incoming document")


def end_entry(doc, entry_id):
    """End one entry (and its sub-entries): its holder loses access to the document."""
    _not_frozen(doc)
    doc = aq_inner(doc)
    if not api.user.has_permission(ASSIGN_PERMISSION, obj=doc):
        raise forbidden()
    entry = next((e for e in A.active_entries(doc) if e["id"] == entry_id), None)
    if entry is None:
        raise IncomingError(_("error_no_such_entry", default="There is no such active assignment."),
                            status=404)
    actor = _actor()
    parent = next((e for e in A.entries(doc) if e["id"] == entry.get("parent")), None)
    allowed = _is_leader(doc, get_agency(doc)) or (parent is not None and parent["user"] == actor)
    if not allowed:
        raise forbidden()

    def work():
        when = now().isoformat()
        result = [dict(e, active=False, ended_at=when, ended_by=actor)
                  if e.get("active") and (e["id"] == entry_id or e.get("parent") == entry_id) else e
                  for e in A.entries(doc)]
        A.store(doc, result)
        A.sync_local_roles(doc)
        add_trail(doc, "end_assignment", "", entry=entry_id, user=entry["user"])
        doc.reindexObject(idxs=["qlvb_incoming_assignees", "allowedRolesAndUsers", "qlvb_deadline",
                                 *ASSIGNMENT_REPORT_INDEXES])
        return info(doc)

    return run_in_transaction(work, note="qlvb: end assignment")


def record_progress(doc, text, *, result=False, reply_notation=""):
    """A handler records progress (or the result) of his work; starts handling if needed."""
    _not_frozen(doc)
    doc = aq_inner(doc)
    if not api.user.has_permission(PROGRESS_PERMISSION, obj=doc):
        raise forbidden()
    text = (text or "").strip()
    if not text:
        raise IncomingError(_("error_progress_required", default="Describe the progress."),
                            [{"field": "text", "message": _("error_progress_required",
                                                            default="Describe the progress.")}])

    def work():
        if api.content.get_state(doc) == "assigned":
            _transition(doc, "start", "")
        progress = getattr(doc, "qlvb_progress", None)
        if progress is None:
            progress = doc.qlvb_progress = PersistentList()
        progress.append({"at": now().isoformat(), "user": _actor(), "text": text,
                         "result": bool(result), "reply_notation": (reply_notation or "").strip()})
        if reply_notation:
            doc.qlvb_reply_notation = reply_notation.strip()
        add_trail(doc, "progress", text)
        refresh_metadata(doc)  # the tracking register's progress and reply
        return info(doc)

    return run_in_transaction(work, note="qlvb: progress")


def _fullname(userid):
    from dongthap.qlvb.incoming.factory import actor_title

    if actor_title(userid) is not None:
        return actor_title(userid)
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") or userid) if user is not None else (userid or "")


def _department_title(doc, department):
    if not department:
        return ""
    agency = get_agency(doc)
    return agency[department].title if department in agency.objectIds() else department


def deadline_flags(deadline, today=None, soon_days=3):
    """(overdue, due_soon) of an ISO date or date."""
    if not deadline:
        return False, False
    if isinstance(deadline, str):
        deadline = parse_date(deadline)
    today = today or now().date()
    return deadline < today, 0 <= (deadline - today).days <= soon_days


def entry_label(doc, entry):
    dept = _department_title(doc, entry.get("department"))
    name = _fullname(entry["user"])
    return f"{dept} ({name})" if dept else name


def info(doc):
    """The assignment, progress and trail of a document as JSON-ready data."""
    state = api.content.get_state(doc)
    out_entries = []
    for e in A.entries(doc):
        overdue, soon = deadline_flags(e.get("deadline")) if e.get("active") else (False, False)
        out_entries.append({
            "id": e["id"], "kind": e["kind"], "kind_title": KIND_TITLES[e["kind"]],
            "user": (api.user.get(userid=e["user"]) or None) and api.user.get(userid=e["user"]).getUserName(),
            "fullname": _fullname(e["user"]), "department": e.get("department"),
            "department_title": _department_title(doc, e.get("department")),
            "deadline": e.get("deadline"), "deadline_display": fmt_date(parse_date(e.get("deadline"))),
            "parent": e.get("parent"), "active": bool(e.get("active")),
            "assigned_by": e.get("assigned_by"), "assigned_at": e.get("assigned_at"),
            "ended_at": e.get("ended_at"), "overdue": overdue, "due_soon": soon,
        })
    return {
        "state": state,
        "state_title": state_title(state),
        "direction": getattr(doc, "qlvb_direction", ""),
        "entries": out_entries,
        "progress": [dict(p, fullname=_fullname(p["user"]))
                     for p in getattr(doc, "qlvb_progress", None) or ()],
        "trail": [
            dict(t, title=TRANSITION_TITLES.get(t["action"], t["action"]), fullname=_fullname(t["actor"]),
                 at_display=fmt_datetime(_iso(t["at"])),
                 **({"behalf_fullname": _fullname(t["on_behalf_of"])} if t.get("on_behalf_of") else {}))
            for t in getattr(doc, "qlvb_trail", None) or ()
        ],
    }


def _iso(text):
    import datetime

    try:
        return datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
