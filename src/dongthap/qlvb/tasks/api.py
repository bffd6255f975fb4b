"""Tasks (giao việc): what pages, REST services, the desk and the reminder job call.

A leader (or a department head, within his departments) gives a task in his agency: title,
content, a lead person or department, coordinators, people informed, a deadline, files
(scanned by the antivirus first, like every upload), a parent task, links to documents and
dossiers of the agency. The lead reports progress (percentage and text, Vietnam time), may ask
for an extension (the giver grants or refuses it) and completes the task; the giver evaluates it
(đạt / không đạt with a comment) or cancels it. Completion records ``completed_on`` and ``late``.

Every function checks the current user's permission on the task (workflow permissions of
``qlvb_task_workflow``) and raises :class:`TaskError` (translated, nothing stored) otherwise.
"""

from __future__ import annotations

from dongthap.qlvb.agencies import departments as D
from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.documents import common
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.tasks.content import ID_PREFIX
from dongthap.qlvb.tasks.content import ROOT_ID
from dongthap.qlvb.utils.text import has_unsafe_characters
from dongthap.qlvb.utils.text import normalize_text
from dongthap.qlvb.utils.text import unsafe_text_message
from plone import api

import datetime
import unicodedata

WORKFLOW_ID = "qlvb_task_workflow"
ADD_PERMISSION = "dongthap.qlvb: Add task"
VIEW_TASKS_PERMISSION = "dongthap.qlvb: View tasks"
PROGRESS_PERMISSION = "dongthap.qlvb: Report task progress"
MANAGE_PERMISSION = "dongthap.qlvb: Manage task"
OPEN_STATES = ("assigned", "in_progress", "extension_requested")
#: a deadline (or an extension) at most this many years ahead, as the documents' due dates
MAX_DEADLINE_YEARS = 5
LISTS = ("mine", "assigned", "overdue", "all")
LINKABLE = ("IncomingDocument", "OutgoingDocument", "DocumentCopy", "Dossier")
RESULTS = {"dat": _("task_result_dat", default="Achieved (đạt)"),
           "khong_dat": _("task_result_khong_dat", default="Not achieved (không đạt)")}
STATE_TITLES = {
    "assigned": _("task_state_assigned", default="Assigned"),
    "in_progress": _("task_state_in_progress", default="In progress"),
    "extension_requested": _("task_state_extension_requested", default="Extension requested"),
    "done": _("task_state_done", default="Done, waiting for evaluation"),
    "evaluated": _("task_state_evaluated", default="Evaluated"),
    "cancelled": _("task_state_cancelled", default="Cancelled"),
}
ACTION_TITLES = {
    "create": _("task_action_create", default="Task given"),
    "start": _("task_action_start", default="Started"),
    "progress": _("task_action_progress", default="Progress reported"),
    "request_extension": _("task_action_request_extension", default="Extension requested"),
    "grant_extension": _("task_action_grant_extension", default="Extension granted"),
    "refuse_extension": _("task_action_refuse_extension", default="Extension refused"),
    "complete": _("task_action_complete", default="Completed"),
    "reopen": _("task_action_reopen", default="Sent back to be done again"),
    "evaluate": _("task_action_evaluate", default="Evaluated"),
    "cancel": _("task_action_cancel", default="Cancelled"),
    "edit": _("task_action_edit", default="Task changed"),
}
#: what the giver (or a leader) may change after creation (``edit``), with the labels the history shows
EDITABLE = {
    "title": _("label_task_title", default="Task"),
    "text": _("label_task_text", default="Content"),
    "deadline": _("label_task_deadline", default="Deadline"),
    "lead": _("label_task_lead", default="Lead"),
    "coordinators": _("label_task_coordinators", default="Coordinators"),
    "informed": _("label_task_informed", default="People informed"),
    "attachments": _("label_task_attachments", default="Attached files"),
}
#: what each POST action of ``@tasks/<id>/<action>`` (and the task page) needs
ACTIONS = ("progress", "start", "extension", "extension-decision", "complete", "evaluate", "reopen", "cancel",
           "edit")


class TaskError(QlvbError):
    msgid = "error_task_refused"
    default = "The task was not saved: please correct the errors."


def _invalid(errors, status=400):
    raise TaskError(_("error_task_invalid", default="The task was not saved: please correct the errors."),
                    errors, status=status)


def _forbidden():
    raise TaskError(_("error_task_forbidden", default="You may not do this on this task."), status=403)


def _conflict():
    raise TaskError(_("error_task_wrong_state", default="This cannot be done in the task's present state."),
                    status=409)


def today():
    return common.now().date()


# ----------------------------------------------------------------------------- storage
def root(agency, create=False):
    """The agency's task folder (created with its first task when ``create``)."""
    folder = agency.get(ROOT_ID) if agency is not None else None
    if folder is None and create:
        with api.env.adopt_roles(["Manager"]):
            folder = api.content.create(container=agency, type="TaskFolder", id=ROOT_ID, title="Công việc",
                                        safe_id=False)
            # whoever gave the first task must not own every task of the agency (Owner is acquired)
            owners = [p for p, roles in folder.get_local_roles() if "Owner" in roles]
            if owners:
                folder.manage_delLocalRoles(owners)
                folder.reindexObjectSecurity()
    return folder


def find(agency, task_id):
    """The task ``task_id`` of ``agency`` the user may see; 404 otherwise (also another agency's)."""
    folder = root(agency)
    task = folder.get(task_id) if folder is not None and isinstance(task_id, str) else None
    if task is None or task.portal_type != "Task" or not api.user.has_permission("View", obj=task):
        raise TaskError(_("error_task_not_found", default="No such task."), status=404)
    return task


def find_by_uid(uid):
    """The task of ``uid`` the user may see, else None."""
    if not isinstance(uid, str) or not uid:
        return None
    brains = api.content.find(UID=uid, portal_type="Task")
    return brains[0].getObject() if brains else None


# ----------------------------------------------------------------------------- people
def _userid(value):
    if not isinstance(value, str) or not value.strip():
        return None
    user = api.user.get(username=value.strip()) or api.user.get(userid=value.strip())
    return user.getId() if user is not None else None


def _roles_in(agency, userid):
    user = api.user.get(userid=userid)
    return set(api.user.get_roles(user=user, obj=agency)) if user is not None else set()


def _staff_problem(agency, field, value, allowed_departments):
    """(userid, problem) for one person given by username."""
    userid = _userid(value)
    if userid is None:
        return None, {"field": field, "message": _("error_task_unknown_user",
                                                   default="Unknown user: ${user}.",
                                                   mapping={"user": str(value)[:60]})}
    if not _roles_in(agency, userid) & set(R.AGENCY_ROLES):
        return None, {"field": field, "message": _("error_not_agency_staff",
                                                   default="${user} is not staff of this agency.",
                                                   mapping={"user": str(value)[:60]})}
    if allowed_departments is not None and not any(
            D.is_member(D.department(agency, did), userid) for did in allowed_departments):
        return None, {"field": field, "message": _(
            "error_task_not_my_department", default="${user} is not in your department.",
            mapping={"user": str(value)[:60]})}
    return userid, None


def _my_departments(agency):
    """None for a leader (every department); else the ids of the user's departments."""
    me = api.user.get_current()
    roles = set(api.user.get_roles(obj=agency))
    if roles & {R.LEADER, "Manager", "Site Administrator"}:
        return None
    return D.departments_of(agency=agency, userid=me.getId())


def lead_people(task):
    """User ids who lead ``task``: its lead person, or the members of its lead department."""
    if task.lead_user:
        return [task.lead_user]
    agency = get_agency(task)
    dept = D.department(agency, task.lead_department) if agency is not None else None
    return sorted(D.members(dept)) if dept is not None else []


def sync_local_roles(task):
    """The task's local roles from its people (never on the agency)."""
    wanted = {}

    def give(principal, role):
        if principal:
            wanted.setdefault(principal, set()).add(role)

    give(task.assigner, "QlvbTaskAssigner")
    give(task.lead_user, "QlvbTaskLead")
    if task.lead_department:
        dept = D.department(get_agency(task), task.lead_department)
        give(D.ensure_members_group(dept) if dept is not None else None, "QlvbTaskLead")
    for userid in task.coordinators:
        give(userid, "QlvbTaskCoordinator")
    for userid in task.informed:
        give(userid, "QlvbTaskReader")
    ours = {"QlvbTaskAssigner", "QlvbTaskLead", "QlvbTaskCoordinator", "QlvbTaskReader"}
    for principal, roles in list(task.get_local_roles()):
        keep = set(roles) - ours - {"Owner"}
        if keep:
            task.manage_setLocalRoles(principal, sorted(keep))
        else:
            task.manage_delLocalRoles([principal])
    for principal, roles in wanted.items():
        task.manage_setLocalRoles(principal, sorted(roles))
    task.reindexObjectSecurity()


# ----------------------------------------------------------------------------- input
INPUT_FIELDS = ("title", "text", "deadline", "lead", "coordinators", "informed", "attachments", "parent",
                "related")


def _people_list(agency, data, field, allowed, errors):
    value = data.get(field)
    if value in (None, "", []):
        return []
    if isinstance(value, str):
        value = [v for v in value.replace(";", ",").split(",") if v.strip()]
    if not isinstance(value, list):
        errors.append({"field": field, "message": _("error_task_people_list",
                                                    default="Give a list of user names.")})
        return []
    found = []
    for item in value:
        userid, problem = _staff_problem(agency, field, item, allowed)
        if problem:
            errors.append(problem)
        elif userid not in found:
            found.append(userid)
    return found


def parse_deadline(value, field="deadline", errors=None, *, not_before=None):
    """The date of ``value`` (dd/mm/yyyy or ISO); a problem is appended to ``errors``."""
    if value in (None, ""):
        errors.append({"field": field, "message": _("error_task_deadline_required",
                                                    default="Enter the deadline (dd/mm/yyyy).")})
        return None
    try:
        day = common.parse_date(value) if isinstance(value, str) else None
    except ValueError:
        day = None
    if isinstance(day, datetime.datetime):
        day = day.date()
    if not isinstance(day, datetime.date):
        errors.append({"field": field, "message": _("error_task_bad_date",
                                                    default="Enter the deadline as dd/mm/yyyy.")})
        return None
    limit = not_before or today()
    if day < limit:
        errors.append({"field": field, "message": _("error_task_deadline_past",
                                                    default="The deadline cannot be before ${day}.",
                                                    mapping={"day": limit.strftime("%d/%m/%Y")})})
        return None
    latest = _years_after(today(), MAX_DEADLINE_YEARS)
    if day > latest:
        errors.append({"field": field, "message": _("error_task_deadline_far",
                                                    default="The deadline cannot be after ${day}.",
                                                    mapping={"day": latest.strftime("%d/%m/%Y")})})
        return None
    return day


def _years_after(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _files(data, errors):
    """``[(bytes, filename)]`` of ``attachments`` (already decoded by the caller)."""
    from dongthap.qlvb.documents import validation

    value = data.get("attachments")
    if value in (None, []):
        return []
    if not isinstance(value, list):
        errors.append({"field": "attachments", "message": _("error_not_a_list",
                                                            default="${field} must be a list of files.",
                                                            mapping={"field": "attachments"})})
        return []
    good = []
    limit = validation.max_upload_bytes()
    for item in value:
        if not (isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], bytes) and item[0]):
            errors.append({"field": "attachments", "message": _(
                "error_task_bad_file", default="Send each file as {data, encoding: base64, filename}.")})
            continue
        data_, filename = item
        if isinstance(filename, str) and (has_unsafe_characters(filename) or
                                          any(c in filename for c in "\r\n\t")):
            errors.append({"field": "attachments", "message": _(
                "error_task_bad_filename",
                default="The file name must not contain line breaks or control characters.")})
            continue
        filename = str(filename or "tep-dinh-kem").replace("\\", "/").rsplit("/", 1)[-1]
        filename = (filename or "tep-dinh-kem")[:200]
        if len(data_) > limit:
            errors.append({"field": "attachments", "message": _(
                "error_task_file_too_large",
                default="The file ${filename} is larger than the limit of ${limit}.",
                mapping={"filename": filename, "limit": validation.format_size(limit)}), "status": 413})
            continue
        good.append((data_, filename))
    return good


def _clean_fields(agency, data, errors, only=None) -> dict:
    """The values of title, text, deadline, lead, coordinators and informed (``only`` those named);
    problems appended to ``errors``."""
    values = {}
    only = set(EDITABLE) if only is None else set(only)
    if "title" in only:
        title = data.get("title")
        if not isinstance(title, str) or not " ".join(title.split()):
            errors.append({"field": "title",
                           "message": _("error_task_title_required", default="Enter the task.")})
        elif len(title) > 500:
            errors.append({"field": "title", "message": _("error_task_title_long",
                                                          default="The task is at most 500 characters.")})
        elif has_unsafe_characters(title):
            errors.append({"field": "title", "message": unsafe_text_message()})
        else:
            values["title"] = normalize_text(title)
    if "text" in only:
        text = data.get("text") or ""
        if not isinstance(text, str) or len(text) > 20000:
            errors.append({"field": "text", "message": _(
                "error_task_text", default="The content is text of at most 20,000 characters.")})
        elif has_unsafe_characters(text):
            errors.append({"field": "text", "message": unsafe_text_message()})
        else:
            values["text"] = unicodedata.normalize("NFC", text.strip())
    if "deadline" in only:
        values["deadline"] = parse_deadline(data.get("deadline"), errors=errors)
    allowed = _my_departments(agency)
    if "lead" in only:
        values.update(_clean_lead(agency, data.get("lead"), allowed, errors))
    if "coordinators" in only:
        values["coordinators"] = _people_list(agency, data, "coordinators", allowed, errors)
    if "informed" in only:
        values["informed"] = _people_list(agency, data, "informed", None, errors)
    return values


def _clean_lead(agency, lead, allowed, errors) -> dict:
    if isinstance(lead, str):
        lead = {"user": lead}
    values = {"lead_user": None, "lead_department": None}
    if not isinstance(lead, dict) or not (lead.get("user") or lead.get("department")):
        errors.append({"field": "lead", "message": _(
            "error_task_lead_required", default="Choose the person or department who leads it.")})
    elif lead.get("user") and lead.get("department"):
        errors.append({"field": "lead", "message": _(
            "error_task_lead_both", default="Choose either a person or a department to lead it, not both.")})
    elif lead.get("department"):
        dept = D.department(agency, lead["department"]) if isinstance(lead["department"], str) else None
        if dept is None:
            errors.append({"field": "lead", "message": _("error_task_unknown_department",
                                                         default="Unknown department.")})
        elif allowed is not None and dept.getId() not in allowed:
            errors.append({"field": "lead", "message": _(
                "error_task_department_not_mine", default="You may give tasks only to your department.")})
        else:
            values["lead_department"] = dept.getId()
    else:
        userid, problem = _staff_problem(agency, "lead", lead.get("user"), allowed)
        if problem:
            errors.append(problem)
        values["lead_user"] = userid
    return values


def clean(agency, data) -> dict:
    """Validate the raw input of a new task (REST JSON or the form); raises :class:`TaskError`.

    Files are scanned for malware first (an infected file is refused as such, with an incident).
    """
    from dongthap.qlvb.documents import validation

    if not api.user.has_permission(ADD_PERMISSION, obj=agency):
        _forbidden()
    common.scan_raw_uploads({"attachments": data.get("attachments")}, TaskError, path_of_entry="tasks",
                            partial=True, agency=agency)
    errors = []
    values = _clean_fields(agency, data, errors)
    values["parent"] = None
    if data.get("parent"):
        parent = find_by_uid(data["parent"]) if isinstance(data["parent"], str) else None
        if parent is None or get_agency(parent) != agency:
            errors.append({"field": "parent", "message": _("error_task_unknown_parent",
                                                           default="Unknown parent task.")})
        elif api.content.get_state(parent) not in OPEN_STATES:
            errors.append({"field": "parent", "message": _("error_task_parent_closed",
                                                           default="The parent task is no longer open.")})
        else:
            values["parent"] = parent.UID()
            if values["deadline"] and parent.deadline and values["deadline"] > parent.deadline:
                errors.append({"field": "deadline", "message": _(
                    "error_task_after_parent", default="A sub-task is due by its parent's deadline (${day}).",
                    mapping={"day": parent.deadline.strftime("%d/%m/%Y")})})
    values["related"] = []
    related = data.get("related") or []
    if isinstance(related, str):
        related = [r for r in related.replace(",", " ").split() if r]
    if not isinstance(related, list):
        related = [None]
    for uid in related:
        brains = api.content.find(UID=uid, portal_type=LINKABLE) if isinstance(uid, str) else []
        if not brains or get_agency(brains[0].getObject()) != agency:
            errors.append({"field": "related", "message": _(
                "error_task_unknown_related", default="Unknown document or dossier of this agency: ${uid}.",
                mapping={"uid": str(uid)[:40]})})
        elif uid not in values["related"]:
            values["related"].append(uid)
    values["attachments"] = _files(data, errors)
    if errors:
        raise TaskError(_("error_task_invalid", default="The task was not saved: please correct the errors."),
                        validation.strip_status(errors), status=validation.status_of(errors))
    return values


# ----------------------------------------------------------------------------- creation
def _log(task, action, comment=None, **extra):
    entry = {"action": action, "by": common.actor(), "at": common.now().isoformat()}
    if comment:
        entry["comment"] = comment
    entry.update(extra)
    task.log = (*task.log, entry)


def create(agency, values) -> dict:
    """Create the task of the cleaned ``values``; notify its people; ``info`` of the new task."""
    from dongthap.qlvb.content.documents import new_document_id
    from plone.namedfile.file import NamedBlobFile

    if not api.user.has_permission(ADD_PERMISSION, obj=agency):
        _forbidden()
    folder = root(agency, create=True)
    with common.antivirus_errors(TaskError), api.env.adopt_roles(["Manager"]):
        task = api.content.create(container=folder, type="Task", id=new_document_id(folder, ID_PREFIX),
                                  title=values["title"], safe_id=False)
        task.text = values.get("text") or ""
        task.deadline = values["deadline"]
        task.assigner = common.actor()
        task.lead_user = values.get("lead_user")
        task.lead_department = values.get("lead_department")
        task.coordinators = tuple(values.get("coordinators") or ())
        task.informed = tuple(values.get("informed") or ())
        task.parent = values.get("parent")
        task.related = tuple(values.get("related") or ())
        task.attachments = [NamedBlobFile(data=data, filename=name)
                            for data, name in values.get("attachments") or ()]
        _log(task, "create")
        sync_local_roles(task)
        task.reindexObject()
    _notify_assigned(task)
    return info(task)


# ----------------------------------------------------------------------------- editing
def edit(task, data) -> dict:
    """Who gave the task (or a leader) changes it while it is open: any of ``title``, ``text``,
    ``deadline``, ``lead``, ``coordinators``, ``informed`` (the fields sent, the others are kept) and
    new ``attachments`` (added, scanned first like on creation). Logged in the task's history;
    people added get their usual notification, the others concerned a "task changed" one."""
    from dongthap.qlvb.documents import validation
    from plone.namedfile.file import NamedBlobFile

    if not api.user.has_permission(MANAGE_PERMISSION, obj=task):
        _forbidden()
    if api.content.get_state(task) not in OPEN_STATES:
        _conflict()
    if not isinstance(data, dict):
        data = {}
    agency = get_agency(task)
    common.scan_raw_uploads({"attachments": data.get("attachments")}, TaskError, path_of_entry="tasks",
                            partial=True, agency=agency)
    errors = [{"field": str(f)[:40], "message": _("error_task_not_editable",
                                                  default="This cannot be changed after the task is given.")}
              for f in data if f not in EDITABLE]
    sent = [f for f in EDITABLE if f in data and f != "attachments"]
    if task.deadline and data.get("deadline") in (common.fmt_date(task.deadline), task.deadline.isoformat()):
        sent.remove("deadline")  # unchanged: a deadline already past stays valid
    values = _clean_fields(agency, data, errors, sent)
    day = values.get("deadline")
    if day:
        parent = find_by_uid(task.parent)
        if parent is not None and parent.deadline and day > parent.deadline:
            errors.append({"field": "deadline", "message": _(
                "error_task_after_parent", default="A sub-task is due by its parent's deadline (${day}).",
                mapping={"day": parent.deadline.strftime("%d/%m/%Y")})})
        with api.env.adopt_roles(["Manager"]):
            children = api.content.find(portal_type="Task", qlvb_task_parent=task.UID(),
                                        review_state=OPEN_STATES)
        latest = max((b.qlvb_task_deadline for b in children if b.qlvb_task_deadline), default=None)
        if latest and day < latest:
            errors.append({"field": "deadline", "message": _(
                "error_task_before_subtasks", default="An open sub-task is due on ${day}: the deadline "
                                                      "cannot be earlier.",
                mapping={"day": latest.strftime("%d/%m/%Y")})})
    files = _files(data, errors)
    if errors:
        raise TaskError(_("error_task_invalid", default="The task was not saved: please correct the errors."),
                        validation.strip_status(errors), status=validation.status_of(errors))
    before = {"lead": set(lead_people(task)), "coordinators": set(task.coordinators),
              "informed": set(task.informed)}
    changed = []
    old_deadline = task.deadline
    for field in ("title", "text", "deadline", "coordinators", "informed"):
        if field in values:
            new = tuple(values[field]) if field in ("coordinators", "informed") else values[field]
            if new != getattr(task, field):
                setattr(task, field, new)
                changed.append(field)
    if "lead_user" in values and (values["lead_user"], values["lead_department"]) != \
            (task.lead_user, task.lead_department):
        task.lead_user, task.lead_department = values["lead_user"], values["lead_department"]
        changed.append("lead")
    if files:
        with common.antivirus_errors(TaskError):
            task.attachments = [*(task.attachments or ()),
                                *(NamedBlobFile(data=d, filename=n) for d, n in files)]
        changed.append("attachments")
    if not changed:
        return info(task)
    extra = {"fields": changed}
    if "deadline" in changed:
        extra["deadline"] = {"from": old_deadline.isoformat() if old_deadline else None,
                             "to": task.deadline.isoformat()}
    if files:
        extra["files"] = [n for _d, n in files]
    _log(task, "edit", **extra)
    sync_local_roles(task)
    task.reindexObject()
    me = common.actor()
    added_lead = set(lead_people(task)) - before["lead"]
    added_coord = set(task.coordinators) - before["coordinators"]
    added_informed = set(task.informed) - before["informed"]
    _tell(task, added_lead, "task_lead")
    _tell(task, added_coord, "task_coordinator")
    _tell(task, added_informed, "task_informed")
    concerned = {task.assigner, *lead_people(task), *task.coordinators, *task.informed}
    _tell(task, concerned - added_lead - added_coord - added_informed - {me}, "task_changed")
    return info(task)


# ----------------------------------------------------------------------------- reading
def _fullname(userid):
    user = api.user.get(userid=userid) if userid else None
    return (user.getProperty("fullname") or userid) if user is not None else (userid or "")


def _person(userid):
    return {"user": userid, "fullname": _fullname(userid)} if userid else None


def is_overdue(task, day=None):
    return api.content.get_state(task) in OPEN_STATES and task.deadline is not None and \
        task.deadline < (day or today())


def allowed_actions(task):
    """The actions of ``@tasks/<id>/<action>`` the current user may take now."""
    state = api.content.get_state(task)
    me = common.actor()
    may_progress = api.user.has_permission(PROGRESS_PERMISSION, obj=task)
    may_manage = api.user.has_permission(MANAGE_PERMISSION, obj=task)
    is_lead = _is_lead(task, me)
    found = []
    if may_progress and state in OPEN_STATES:
        found.append("progress")
    if state == "assigned" and may_progress:
        found.append("start")
    if is_lead and state in ("assigned", "in_progress"):
        found += ["extension", "complete"]
    if may_manage and state == "extension_requested":
        found.append("extension-decision")
    if may_manage and state == "done":
        found += ["evaluate", "reopen"]
    if may_manage and state in OPEN_STATES:
        found += ["edit", "cancel"]
    return found


def _is_lead(task, userid):
    if "QlvbTaskLead" in api.user.get_roles(obj=task) or \
            set(api.user.get_roles(obj=task)) & {"Manager", "Site Administrator"}:
        return True
    return userid in lead_people(task)


def summary(task) -> dict:
    state = api.content.get_state(task)
    dept = D.department(get_agency(task), task.lead_department) if task.lead_department else None
    return {
        "@id": task.absolute_url(), "id": task.getId(), "uid": task.UID(), "title": task.title,
        "state": state, "state_title": STATE_TITLES.get(state, state),
        "deadline": common.fmt_date(task.deadline), "overdue": is_overdue(task),
        "percent": task.percent, "assigner": _person(task.assigner),
        "lead": _person(task.lead_user) if task.lead_user else
        ({"department": task.lead_department,
          "title": dept.title if dept is not None else task.lead_department}),
        "completed_on": common.fmt_date(task.completed_on), "late": task.late,
    }


def info(task) -> dict:
    """Everything the task page and ``GET @tasks/<id>`` show."""
    found = summary(task)
    parent = api.content.find(UID=task.parent, portal_type="Task") if task.parent else []
    children = api.content.find(portal_type="Task", qlvb_task_parent=task.UID(), sort_on="created")
    related = [linked(b) for uid in task.related for b in api.content.find(UID=uid)[:1]]
    found.update({
        "url": task.absolute_url(), "path": "/".join(task.getPhysicalPath()),
        "text": task.text or "",
        "coordinators": [_person(u) for u in task.coordinators],
        "informed": [_person(u) for u in task.informed],
        "parent": ({"uid": parent[0].UID, "title": parent[0].Title, "@id": parent[0].getURL()}
                   if parent else None),
        "subtasks": [{"uid": b.UID, "title": b.Title, "@id": b.getURL(), "state": b.review_state,
                      "state_title": STATE_TITLES.get(b.review_state, b.review_state)} for b in children],
        "related": related,
        "attachments": [{"filename": f.filename, "size": f.getSize(),
                         "@id": f"{task.absolute_url()}/@@tep-dinh-kem/{i}"}
                        for i, f in enumerate(task.attachments or ())],
        "progress": [dict(p, at=common.fmt_datetime(p["at"]), fullname=_fullname(p["by"]))
                     for p in task.progress],
        "history": [dict(e, at=common.fmt_datetime(e["at"]), fullname=_fullname(e["by"]),
                         title=ACTION_TITLES.get(e["action"], e["action"]),
                         **({"fields_titles": [EDITABLE.get(f, f) for f in e.get("fields", ())]}
                            if e["action"] == "edit" else {})) for e in task.log],
        "extension": dict(task.extension, at=common.fmt_datetime(task.extension["at"]),
                          deadline=common.fmt_date(datetime.date.fromisoformat(task.extension["deadline"])))
        if task.extension else None,
        "evaluation": dict(task.evaluation, at=common.fmt_datetime(task.evaluation["at"]),
                           result_title=RESULTS.get(task.evaluation["result"]))
        if task.evaluation else None,
        "actions": allowed_actions(task),
    })
    return found


def linked(brain) -> dict:
    """A linked document or dossier as the task shows it: its number (số/ký hiệu, or the dossier's
    code), its title and its address — from the catalog, nothing woken."""
    number = brain.qlvb_code_number or ""
    if number and brain.qlvb_code_notation:
        number = f"{number}/{brain.qlvb_code_notation}"
    if brain.portal_type == "Dossier":
        number = getattr(brain, "qlvb_file_code", None) or ""
    number = number if isinstance(number, str) else ""
    return {"uid": brain.UID, "number": number, "title": brain.Title, "@id": brain.getURL(),
            "portal_type": brain.portal_type,
            "label": f"{number} — {brain.Title}" if number else brain.Title}


def linkable(agency, uids) -> list:
    """The linked items of ``uids`` (documents, copies, dossiers of ``agency`` the user may see)."""
    if isinstance(uids, str):
        uids = [r for r in uids.replace(",", " ").split() if r]
    found = []
    for uid in uids if isinstance(uids, list) else []:
        brains = api.content.find(UID=uid, portal_type=LINKABLE) if isinstance(uid, str) else []
        if brains and get_agency(brains[0].getObject()) == agency:
            found.append(linked(brains[0]))
    return found


def _my_principals(user=None):
    user = user or api.user.get_current()
    return [user.getId(), *[g for g in (user.getGroups() or ()) if g]]


def query(agency, which, *, userid=None):
    """Brains of the list ``which`` (``mine``, ``assigned``, ``overdue``, ``all``) the user may see."""
    if which not in LISTS:
        raise TaskError(_("error_task_unknown_list", default="Unknown list: ${name}.",
                          mapping={"name": str(which)[:40]}),
                        [{"field": "list", "message": _("error_task_lists",
                                                        default="One of: mine, assigned, overdue, all.")}])
    folder = root(agency)
    if folder is None:
        return []
    q = {"path": "/".join(folder.getPhysicalPath()), "portal_type": "Task"}
    me = api.user.get_current()
    if which == "mine":
        q.update(qlvb_task_people=_my_principals(me), review_state=OPEN_STATES)
    elif which == "assigned":
        q.update(qlvb_task_assigner=me.getId())
    elif which == "overdue":
        q.update(review_state=OPEN_STATES, qlvb_task_deadline={"query": today() - datetime.timedelta(days=1),
                                                               "range": "max"})
    return api.content.find(sort_on="qlvb_task_deadline", **q)


def overdue_for(agency, roles):
    """The overdue tasks counted for the user: his own and those he gave; a leader: every one."""
    brains = query(agency, "overdue")
    if roles & {R.LEADER, "Manager", "Site Administrator"}:
        return list(brains)
    me = api.user.get_current()
    mine = set(_my_principals(me))
    return [b for b in brains if b.qlvb_task_assigner == me.getId() or mine & set(b.qlvb_task_people or ())]


def row(brain, names=None, agency=None) -> dict:
    """One task of a list, from the catalog; ``names`` (a dict kept by the caller for the whole
    list) remembers the names of the leads already looked up; ``agency`` names a lead department."""
    deadline = brain.qlvb_task_deadline
    return {"@id": brain.getURL(), "id": brain.getId, "uid": brain.UID, "title": brain.Title,
            "state": brain.review_state,
            "state_title": STATE_TITLES.get(brain.review_state, brain.review_state),
            "deadline": common.fmt_date(deadline),
            "overdue": brain.review_state in OPEN_STATES and deadline is not None and deadline < today(),
            "assigner": brain.qlvb_task_assigner,
            "lead": _lead(brain, {} if names is None else names, agency),
            "completed_on": common.fmt_date(_column(brain, "qlvb_task_completed_on", datetime.date)),
            "late": _column(brain, "qlvb_task_late", bool)}


def _lead(brain, names, agency):
    """The lead of a listed task as :func:`summary` gives it (``{"user", "fullname"}`` or
    ``{"department", "title"}``), from the column ``qlvb_task_lead``; None before the 1009 step
    has filled it."""
    value = _column(brain, "qlvb_task_lead", str)
    if not value or ":" not in value:
        return None
    kind, key = value.split(":", 1)
    if value not in names:
        if kind == "user":
            names[value] = _fullname(key)
        else:
            dept = D.department(agency, key) if agency is not None else None
            names[value] = dept.title if dept is not None else key
    return {"user": key, "fullname": names[value]} if kind == "user" else \
        {"department": key, "title": names[value]}


def _column(brain, name, kind):
    """The column ``name`` of ``brain`` if it is a ``kind`` (None before the step that adds it)."""
    value = getattr(brain, name, None)
    return value if isinstance(value, kind) else None


# ----------------------------------------------------------------------------- actions
def _run(task, transition, comment=None, **extra):
    """Run ``transition`` through the workflow (its guard opened only here); 403/409 otherwise."""
    wf = api.portal.get_tool("portal_workflow")
    task._v_qlvb_transition = transition
    try:
        if transition not in {t["id"] for t in wf.getTransitionsFor(task)}:
            _forbidden_or_conflict(task, transition)
        api.content.transition(obj=task, transition=transition, comment=comment or "")
    finally:
        task._v_qlvb_transition = None
    _log(task, transition, comment, **extra)
    task.reindexObject()


def _forbidden_or_conflict(task, transition):
    wf = api.portal.get_tool("portal_workflow").getWorkflowById(WORKFLOW_ID)
    state = wf.states[api.content.get_state(task)]
    if transition not in state.transitions:
        _conflict()
    _forbidden()


def _text(value, field, message, errors, *, required=True, limit=5000):
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit:
        errors.append({"field": field, "message": _("error_task_text_field",
                                                    default="Enter text of at most ${limit} characters.",
                                                    mapping={"limit": str(limit)})})
        return None
    if has_unsafe_characters(value):
        errors.append({"field": field, "message": unsafe_text_message()})
        return None
    value = unicodedata.normalize("NFC", value.strip())
    if required and not value:
        errors.append({"field": field, "message": message})
        return None
    return value


def report_progress(task, percent, text) -> dict:
    """The lead or a coordinator reports progress: ``percent`` 0–100 and a text (timestamped)."""
    if api.content.get_state(task) not in OPEN_STATES:
        _conflict()
    if not api.user.has_permission(PROGRESS_PERMISSION, obj=task):
        _forbidden()
    errors = []
    if isinstance(percent, str) and percent.strip().isdigit():
        percent = int(percent.strip())
    if isinstance(percent, bool) or not isinstance(percent, int) or not 0 <= percent <= 100:
        errors.append({"field": "percent", "message": _(
            "error_task_percent", default="The percentage is a whole number from 0 to 100.")})
    text = _text(text, "text", _("error_task_progress_text", default="Describe the progress."), errors)
    if errors:
        _invalid(errors)
    if api.content.get_state(task) == "assigned":
        _run(task, "start")
    task.progress = (*task.progress, {"at": common.now().isoformat(), "by": common.actor(),
                                      "percent": percent, "text": text})
    task.percent = percent
    _log(task, "progress", text, percent=percent)
    task.reindexObject()
    _tell(task, [task.assigner], "task_progress", percent=str(percent))
    return info(task)


def start(task) -> dict:
    if api.content.get_state(task) != "assigned":
        _conflict()
    _run(task, "start")
    return info(task)


def request_extension(task, deadline, reason) -> dict:
    """The lead asks for a later deadline, with a reason."""
    if api.content.get_state(task) not in ("assigned", "in_progress"):
        _conflict()
    errors = []
    day = parse_deadline(deadline, errors=errors,
                         not_before=max(today(), (task.deadline or today()) + datetime.timedelta(days=1)))
    reason = _text(reason, "reason", _("error_task_extension_reason", default="Give the reason."), errors)
    if errors:
        _invalid(errors)
    _run(task, "request_extension", reason, deadline=day.isoformat())
    task.extension = {"deadline": day.isoformat(), "reason": reason, "by": common.actor(),
                      "at": common.now().isoformat()}
    _tell(task, [task.assigner], "task_extension_requested", deadline=day.strftime("%d/%m/%Y"))
    return info(task)


def decide_extension(task, decision, comment="") -> dict:
    """The giver (or a leader) grants or refuses the extension asked."""
    if api.content.get_state(task) != "extension_requested":
        _conflict()
    if decision not in ("grant", "refuse"):
        _invalid([{"field": "decision", "message": _("error_task_decision",
                                                     default="Decide grant or refuse.")}])
    errors = []
    comment = _text(comment, "comment", None, errors, required=False)
    if errors:
        _invalid(errors)
    requested = task.extension or {}
    _run(task, f"{decision}_extension", comment, deadline=requested.get("deadline"))
    if decision == "grant" and requested.get("deadline"):
        task.deadline = datetime.date.fromisoformat(requested["deadline"])
    task.extension = None
    task.reindexObject()
    kind = "task_extension_granted" if decision == "grant" else "task_extension_refused"
    _tell(task, lead_people(task), kind, deadline=common.fmt_date(task.deadline))
    return info(task)


def complete(task, comment="") -> dict:
    """The lead reports the task done: ``completed_on`` (Vietnam time) and ``late``."""
    if api.content.get_state(task) not in ("assigned", "in_progress"):
        _conflict()
    errors = []
    comment = _text(comment, "comment", None, errors, required=False)
    if errors:
        _invalid(errors)
    _run(task, "complete", comment)
    task.completed_on = today()
    task.late = bool(task.deadline and task.completed_on > task.deadline)
    task.percent = 100
    task.reindexObject()
    _tell(task, [task.assigner], "task_completed")
    return info(task)


def evaluate(task, result, comment="") -> dict:
    """The giver (or a leader) evaluates the completed task: ``dat`` / ``khong_dat`` and a comment."""
    if api.content.get_state(task) != "done":
        _conflict()
    errors = []
    if not isinstance(result, str) or result not in RESULTS:
        errors.append({"field": "result", "message": _("error_task_result",
                                                       default="Choose đạt (dat) or không đạt (khong_dat).")})
    comment = _text(comment, "comment", None, errors, required=False)
    if errors:
        _invalid(errors)
    _run(task, "evaluate", comment, result=result)
    task.evaluation = {"result": result, "comment": comment or "", "by": common.actor(),
                       "at": common.now().isoformat()}
    _tell(task, lead_people(task), "task_evaluated")
    return info(task)


def reopen(task, comment) -> dict:
    if api.content.get_state(task) != "done":
        _conflict()
    errors = []
    comment = _text(comment, "comment",
                    _("error_task_reopen_reason", default="Say what is still to be done."), errors)
    if errors:
        _invalid(errors)
    _run(task, "reopen", comment)
    task.completed_on = task.late = None
    task.reindexObject()
    _tell(task, lead_people(task), "task_reopened")
    return info(task)


def cancel(task, comment) -> dict:
    if api.content.get_state(task) not in OPEN_STATES:
        _conflict()
    errors = []
    comment = _text(comment, "comment", _("error_task_cancel_reason", default="Give the reason."), errors)
    if errors:
        _invalid(errors)
    _run(task, "cancel", comment)
    _tell(task, [*lead_people(task), *task.coordinators], "task_cancelled")
    return info(task)


def act(task, action, data) -> dict:
    """One POST action of ``@tasks/<id>/<action>`` or the task page (``data``: its fields)."""
    if action == "progress":
        return report_progress(task, data.get("percent"), data.get("text"))
    if action == "start":
        return start(task)
    if action == "extension":
        return request_extension(task, data.get("deadline"), data.get("reason"))
    if action == "extension-decision":
        return decide_extension(task, data.get("decision"), data.get("comment"))
    if action == "complete":
        return complete(task, data.get("comment"))
    if action == "evaluate":
        return evaluate(task, data.get("result"), data.get("comment"))
    if action == "reopen":
        return reopen(task, data.get("comment"))
    if action == "cancel":
        return cancel(task, data.get("comment"))
    if action == "edit":
        return edit(task, data)
    raise TaskError(_("error_task_unknown_action", default="Unknown action on a task."), status=404)


# ----------------------------------------------------------------------------- notifications
def _site_path(task):
    site = api.portal.get()
    return "/".join(task.getPhysicalPath())[len("/".join(site.getPhysicalPath())) + 1:]


def _tell(task, userids, kind, **mapping):
    from dongthap.qlvb.notifications import api as N

    users = sorted({u for u in userids if u})
    if users:
        N.notify(users, kind, title=task.title, path=_site_path(task), uid=task.UID(), actor=common.actor(),
                 mapping={"deadline": common.fmt_date(task.deadline), **mapping})


def _notify_assigned(task):
    _tell(task, lead_people(task), "task_lead")
    _tell(task, task.coordinators, "task_coordinator")
    _tell(task, task.informed, "task_informed")
