"""Pages of tasks: ``<agency>/@@cong-viec`` (the lists), ``<agency>/@@giao-viec`` (give a task),
``<task>/@@xem-cong-viec`` (the task, its progress and the actions)."""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.agencies.api import list_staff
from dongthap.qlvb.agencies.departments import departments
from dongthap.qlvb.documents import common
from dongthap.qlvb.i18n import _
from dongthap.qlvb.tasks import api as tasks
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate

import transaction

LIST_TITLES = {
    "mine": _("tasks_list_mine", default="My tasks"),
    "assigned": _("tasks_list_assigned", default="Tasks I gave"),
    "overdue": _("tasks_list_overdue", default="Overdue"),
    "all": _("tasks_list_all", default="All tasks I may see"),
}


#: what the task page says after each action (instead of a bare "Saved.")
DONE = {
    "progress": _("msg_task_progress", default="Your progress report was recorded; the person who gave "
                                               "the task was told."),
    "start": _("msg_task_started", default="The task is marked as started."),
    "extension": _("msg_task_extension_asked", default="Your request for a later deadline was sent to the "
                                                      "person who gave the task."),
    ("extension-decision", "grant"): _("msg_task_extension_granted",
                                       default="The extension was granted; the lead was told of the new "
                                               "deadline."),
    ("extension-decision", "refuse"): _("msg_task_extension_refused",
                                        default="The extension was refused; the lead was told."),
    "complete": _("msg_task_completed", default="The task was reported done; waiting for the evaluation."),
    ("evaluate", "dat"): _("msg_task_evaluated_dat", default="The task was evaluated: achieved."),
    ("evaluate", "khong_dat"): _("msg_task_evaluated_khong_dat",
                                 default="The task was evaluated: not achieved."),
    "reopen": _("msg_task_reopened", default="The task was sent back to the lead to be done again."),
    "cancel": _("msg_task_cancelled", default="The task was cancelled; the people concerned were told."),
}


class _Page(BrowserView):
    def t(self, message):
        return translate(message, context=self.request)

    def agency(self):
        return get_agency(self.context)

    def message(self, text, kind="info"):
        api.portal.show_message(message=self.t(text), request=self.request, type=kind)

    def refused(self, problem):
        transaction.doom()
        self.general = [self.t(problem.message)]
        for e in problem.errors:
            self.errors.setdefault(e["field"], self.t(e["message"]))


class TasksList(_Page):
    """"Công việc": tabs của tôi / tôi giao / quá hạn / tất cả."""

    def current(self):
        which = self.request.form.get("list") or "mine"
        return which if which in tasks.LISTS else "mine"

    def tabs(self):
        base = f"{self.context.absolute_url()}/@@cong-viec?list="
        return [{"key": k, "title": self.t(v), "url": base + k, "active": k == self.current()}
                for k, v in LIST_TITLES.items()]

    def rows(self):
        names = {}
        return [dict(tasks.row(b, names, self.context),
                     state_title=self.t(tasks.STATE_TITLES.get(b.review_state, b.review_state)))
                for b in tasks.query(self.context, self.current())]

    def can_add(self):
        return api.user.has_permission(tasks.ADD_PERMISSION, obj=self.context)


def people_and_files(form):
    """The lead, the people and the files of a submitted task form, as :func:`tasks.clean` and
    :func:`tasks.edit` take them (the shape of the REST body): ``lead`` ``{"department"}`` or
    ``{"user"}``, ``coordinators`` and ``informed`` lists, ``attachments`` ``[(bytes, filename)]``."""
    raw = {"lead": ({"department": form.get("lead_department")} if form.get("lead_department")
                    else {"user": form.get("lead_user") or ""})}
    for name in ("coordinators", "informed"):
        value = form.get(name) or []
        raw[name] = [value] if isinstance(value, str) else list(value)
    files = form.get("attachments") or []
    files = files if isinstance(files, list) else [files]
    raw["attachments"] = [(f.read(), getattr(f, "filename", "")) for f in files
                          if getattr(f, "filename", "")]
    return raw


class _TaskForm(_Page):
    """The form of a task (``templates/form.pt``), to give one or to change one: ``mode`` is
    ``"add"`` or ``"edit"``; a subclass says what the form shows first (:meth:`initial`) and what
    a valid submission does (:meth:`save`, which answers the address to go to)."""

    mode = None
    saved = None  # the message once saved

    def initial(self):
        raise NotImplementedError

    def save(self, form):
        raise NotImplementedError

    def __call__(self):
        self.errors, self.general = {}, []
        form = self.request.form
        self.values = self.initial()
        if self.request.method == "POST" and form.get("form.submitted"):
            CheckAuthenticator(self.request)
            self.values = dict(form)
            try:
                url = self.save(form)
            except tasks.TaskError as problem:
                self.refused(problem)
                return self.index()
            self.message(self.saved)
            return self.request.response.redirect(url)
        return self.index()

    def error(self, name):
        return self.errors.get(name)

    def staff(self):
        return [{"value": s["username"], "title": s["fullname"]} for s in list_staff(agency=self.agency())]

    def departments(self):
        return [{"value": k, "title": d.title} for k, d in departments(self.agency()).items()]

    def selected(self, name, value):
        chosen = self.values.get(name) or []
        return value in ([chosen] if isinstance(chosen, str) else chosen)


class AddTaskForm(_TaskForm):
    """"Giao việc": the form of a new task (``?parent=<uid>`` for a sub-task, ``?related=<uid>``)."""

    mode = "add"
    saved = _("msg_task_given", default="The task was given.")

    def initial(self):
        form = self.request.form
        return {"parent": form.get("parent", ""), "related": form.get("related", "")}

    def save(self, form):
        raw = {k: form.get(k) for k in ("title", "text", "deadline", "parent", "related")}
        raw.update(people_and_files(form))
        return tasks.create(self.context, tasks.clean(self.context, raw))["url"]

    def parent(self):
        parent = tasks.find_by_uid(self.values.get("parent"))
        return {"title": parent.title, "url": parent.absolute_url()} if parent is not None else None

    def related(self):
        """The documents and dossiers the task will be linked to (by number and title)."""
        return tasks.linkable(self.context, self.values.get("related") or [])


class EditTaskForm(_TaskForm):
    """"Sửa công việc": who gave the task (or a leader) changes it while it is open."""

    mode = "edit"
    saved = _("msg_task_changed", default="The task was changed.")

    def __call__(self):
        if "edit" not in tasks.allowed_actions(self.context):
            self.message(_("error_task_forbidden", default="You may not do this on this task."), "error")
            return self.request.response.redirect(self.context.absolute_url())
        return super().__call__()

    def initial(self):
        task = self.context
        return {"title": task.title, "text": task.text, "deadline": common.fmt_date(task.deadline),
                "lead_user": task.lead_user or "", "lead_department": task.lead_department or "",
                "coordinators": list(task.coordinators), "informed": list(task.informed)}

    def save(self, form):
        raw = {k: form.get(k) or "" for k in ("title", "text", "deadline")}
        raw.update(people_and_files(form))
        tasks.edit(self.context, raw)
        return self.context.absolute_url()

    def parent(self):
        return None

    def attachments(self):
        return [f.filename for f in self.context.attachments or ()]


class GiveTaskViewlet(ViewletBase):
    """"Giao việc" on an incoming or outgoing document, a copy or a dossier: the form of a new task
    with this item already linked (for whoever may give tasks in the agency)."""

    def available(self):
        agency = get_agency(self.context)
        return agency is not None and self.context.portal_type in tasks.LINKABLE and \
            api.user.has_permission(tasks.ADD_PERMISSION, obj=agency)

    def url(self):
        return f"{get_agency(self.context).absolute_url()}/@@giao-viec?related={self.context.UID()}"


class TaskView(_Page):
    """The task: details, progress history, sub-tasks, links, files and the user's actions."""

    def __call__(self):
        self.errors, self.general, self.confirm = {}, [], None
        form = self.request.form
        action = form.get("task_action")
        if self.request.method == "POST" and action:
            CheckAuthenticator(self.request)
            comment = form.get("comment")
            if action == "cancel" and not form.get("confirmed") and isinstance(comment, str) \
                    and comment.strip() and "cancel" in tasks.allowed_actions(self.context):
                self.confirm = {"action": "cancel", "comment": comment}  # asked once more before it is done
                return self.index()
            try:
                tasks.act(self.context, action, {k: form.get(k) for k in
                                                 ("percent", "text", "deadline", "reason", "decision",
                                                  "comment", "result")})
            except tasks.TaskError as problem:
                self.refused(problem)
                return self.index()
            choice = form.get("decision") or form.get("result")
            self.message(DONE.get((action, choice if isinstance(choice, str) else ""), DONE.get(action))
                         or _("msg_task_saved", default="Saved."))
            return self.request.response.redirect(self.context.absolute_url())
        return self.index()

    def info(self):
        found = tasks.info(self.context)
        found["state_title"] = self.t(found["state_title"])
        for entry in found["history"]:
            entry["title"] = self.t(entry["title"])
            if entry.get("fields_titles"):
                entry["comment"] = ", ".join(self.t(f) for f in entry["fields_titles"])
        if found["evaluation"]:
            found["evaluation"]["result_title"] = self.t(found["evaluation"]["result_title"])
        for child in found["subtasks"]:
            child["state_title"] = self.t(child["state_title"])
        return found

    def error(self, name):
        return self.errors.get(name)

    def agency_url(self):
        return self.agency().absolute_url()

    def can_add_subtask(self):
        return api.user.has_permission(tasks.ADD_PERMISSION, obj=self.agency()) and \
            api.content.get_state(self.context) in tasks.OPEN_STATES


class TaskFolderView(BrowserView):
    """The task folder shows the agency's lists."""

    def __call__(self):
        return self.request.response.redirect(f"{get_agency(self.context).absolute_url()}/@@cong-viec")
