"""Classic UI pages of dossiers (Vietnamese), all through :mod:`dongthap.qlvb.dossiers.api`.

``<agency>/@@ho-so``             dossiers: mine, by state and department, unfiled documents
``<agency>/@@mo-ho-so``          open a dossier (from a schedule entry or ad hoc)
``<agency>/@@danh-muc-ho-so``    the records schedule of a year: edit, approve, copy, print
``<dossier>``                    the dossier: documents with ordinals, close / reopen / take out
``<document>/@@luu-vao-ho-so``   file a document; ``<agency>/@@luu-vao-ho-so?uids=…`` several

Destructive acts (close, reopen, take a document out, approve) ask for confirmation on
a page of their own (no script: the Content-Security-Policy allows none inline).
"""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.agencies.departments import departments
from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.dossiers import printing
from dongthap.qlvb.i18n import _
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate

import transaction


def _fmt_date(value):
    if not value:
        return ""
    if isinstance(value, str):
        try:
            y, m, d = value[:10].split("-")
            return f"{d}/{m}/{y}"
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


class _Base(BrowserView):
    errors = ()
    message = None

    def t(self, msg):
        return translate(msg, context=self.request)

    def fmt_date(self, value):
        return _fmt_date(value)

    def state_title(self, state):
        return self.t(dossiers.STATE_TITLES.get(state, state))

    def retention_title(self, value):
        return dossiers.retention_title(value)

    def retention_choices(self):
        return [{"token": t, "title": self.t(title)} for t, title in dossiers.retention_choices()]

    def agency(self):
        return get_agency(self.context)

    def departments(self):
        return [{"id": k, "title": d.title} for k, d in departments(self.agency()).items()]

    def department_title(self, dept_id):
        dept = departments(self.agency()).get(dept_id) if dept_id else None
        return dept.title if dept is not None else (dept_id or "")

    def fullname(self, userid):
        user = api.user.get(userid=userid) if userid else None
        return (user.getProperty("fullname", None) or userid) if user is not None else (userid or "")

    def action_title(self, action):
        return self.t(dossiers.LOG_TITLES.get(action, action))

    def notify(self, message, kind="info"):
        api.portal.show_message(message=self.t(message), request=self.request, type=kind)

    def fail(self, problem):
        transaction.doom()
        self.message = self.t(problem.message)
        self.errors = [{"field": e.get("field"), "message": self.t(e["message"])} for e in problem.errors]


class AgencyDossiersView(_Base):
    """``@@ho-so``: the dossiers of the agency for the current user."""

    def can_add(self):
        return api.user.has_permission(dossiers.ADD_DOSSIER, obj=self.context)

    def can_manage(self):
        return api.user.has_permission(dossiers.MANAGE_DOSSIERS, obj=self.context)

    def mine(self):
        return dossiers.my_open_dossiers(self.context)

    def filters(self):
        return {"state": self.request.form.get("state") or "",
                "department": self.request.form.get("department") or ""}

    def states(self):
        return [{"id": s, "title": self.state_title(s)} for s in dossiers.STATES]

    def listing(self):
        f = self.filters()
        return dossiers.agency_dossiers(self.context, state=f["state"] or None,
                                        department=f["department"] or None)

    def counts_by_state(self):
        counts = dict.fromkeys(dossiers.STATES, 0)
        for brain in dossiers.agency_dossiers(self.context):
            counts[brain.review_state] = counts.get(brain.review_state, 0) + 1
        return [{"id": s, "title": self.state_title(s), "count": n} for s, n in counts.items()]

    def unfiled(self):
        return dossiers.unfiled_documents(self.context, limit=200)


class AddDossierForm(_Base):
    """``@@mo-ho-so``: open a dossier."""

    values = None

    def year(self):
        return dossiers.today().year

    def schedule_entries(self):
        schedule = dossiers.get_schedule(self.context, self.year())
        if not schedule or schedule["state"] != "approved":
            return []
        return [r for r in schedule["rows"] if r["kind"] == "entry"]

    def __call__(self):
        form = self.request.form
        self.values = {k: form.get(k, "") for k in dossiers.INPUT_FIELDS}
        entry = form.get("entry")
        if entry and not form.get("submitted"):
            row = dossiers.schedule_entry(self.context, self.year(), entry)
            if row:
                self.values.update(notation=row["notation"], title=row["title"],
                                   retention=row["retention"], department=row["unit"])
        if form.get("submitted"):
            CheckAuthenticator(self.request)
            raw = {k: form.get(k) for k in dossiers.INPUT_FIELDS if form.get(k) not in (None, "")}
            for key in ("access_people", "access_units"):
                if key in raw:
                    raw[key] = str(raw[key])
            try:
                values = dossiers.clean_dossier(raw, agency=self.context)
                dossier = dossiers.create_dossier(self.context, values)
            except dossiers.DossierError as problem:
                self.fail(problem)
                return self.index()
            self.notify(_("msg_dossier_opened", default="The dossier ${code} is open.",
                          mapping={"code": dossier.file_code}))
            self.request.response.redirect(dossier.absolute_url())
            return ""
        return self.index()


class DossierView(_Base):
    """The dossier page."""

    confirm = None

    def info(self):
        return dossiers.dossier_info(self.context)

    def items(self):
        return dossiers.dossier_items(self.context)

    def log(self):
        return dossiers.log_entries(self.context)

    def can_file(self):
        return api.user.has_permission(dossiers.FILE_INTO, obj=self.context)

    def can_add_record(self):
        return api.user.has_permission(dossiers.ADD_RECORD, obj=self.context)

    def transitions(self):
        return set(dossiers.allowed_transitions(self.context))

    def problems(self):
        if api.content.get_state(self.context) != "open":
            return []
        return [self.t(p["message"]) for p in dossiers.closing_problems(self.context)]

    def __call__(self):
        form = self.request.form
        action = form.get("action")
        if not action:
            return self.index()
        CheckAuthenticator(self.request)
        if not form.get("confirmed"):
            self.confirm = {"action": action, "reason": form.get("reason", ""),
                            "uid": form.get("uid", "")}
            return self.index()
        try:
            if action == "close":
                dossiers.close_dossier(self.context, form.get("comment", ""))
                done = _("msg_dossier_closed", default="The dossier is closed.")
            elif action == "reopen":
                dossiers.reopen_dossier(self.context, form.get("reason"))
                done = _("msg_dossier_reopened", default="The dossier is open again.")
            elif action == "unfile":
                dossiers.unfile_documents(self.context, [form.get("uid", "")])
                done = _("msg_document_unfiled", default="The document was taken out of the dossier.")
            else:
                return self.index()
        except dossiers.DossierError as problem:
            self.fail(problem)
            return self.index()
        self.notify(done)
        self.request.response.redirect(self.context.absolute_url())
        return ""


class FileForm(_Base):
    """``@@luu-vao-ho-so``: file one document (on a document) or several (on the agency)."""

    def agency(self):
        return get_agency(self.context)

    def uids(self):
        if dossiers.IQlvbDocument.providedBy(self.context):
            return [api.content.get_uuid(self.context)]
        value = self.request.form.get("uids") or []
        return [value] if isinstance(value, str) else list(value)

    def documents(self):
        uids = self.uids()
        if not uids:
            return []
        return list(api.content.find(UID=uids, object_provides=dossiers.IQlvbDocument))

    def problems(self):
        """Why some of the documents cannot be filed (translated), e.g. archived ones."""
        found = []
        for brain in self.documents():
            problem = dossiers.filing_problem(brain.getObject())
            if problem is not None:
                found.append(self.t(problem))
        return found

    def choices(self):
        if dossiers.IQlvbDocument.providedBy(self.context) and self.problems():
            return []  # nothing to offer: the form could not succeed
        return dossiers.fileable_dossiers(self.agency())

    def current(self):
        if dossiers.IQlvbDocument.providedBy(self.context):
            return dossiers.dossiers_of(self.context)
        return []

    def __call__(self):
        form = self.request.form
        if form.get("submitted"):
            CheckAuthenticator(self.request)
            dossier = dossiers.get_dossier(form.get("dossier"))
            if dossier is None or get_agency(dossier).getPhysicalPath() != self.agency().getPhysicalPath():
                self.message = self.t(_("error_choose_dossier", default="Choose a dossier."))
                self.errors = [{"field": "dossier", "message": self.message}]
                return self.index()
            try:
                ordinals = dossiers.file_documents(dossier, self.uids())
            except dossiers.DossierError as problem:
                self.fail(problem)
                return self.index()
            self.notify(_("msg_documents_filed", default="${count} document(s) filed into ${code}.",
                          mapping={"count": len(ordinals), "code": dossier.file_code}))
            self.request.response.redirect(dossier.absolute_url())
            return ""
        return self.index()


class ScheduleView(_Base):
    """``@@danh-muc-ho-so?year=``: the records schedule of a year."""

    confirm = None
    text = None

    def year(self):
        try:
            return dossiers._year(self.request.form.get("year") or dossiers.today().year)
        except dossiers.DossierError:
            return dossiers.today().year

    def schedule(self):
        return dossiers.get_schedule(self.context, self.year())

    def years(self):
        return dossiers.schedule_years(self.context)

    def totals(self):
        schedule = self.schedule()
        if not schedule:
            return []
        return [{"title": dossiers.retention_title(r), "count": n}
                for r, n in dossiers.schedule_totals(schedule).items()]

    def can_manage(self):
        return api.user.has_permission(dossiers.MANAGE_SCHEDULE, obj=self.context)

    def can_approve(self):
        return api.user.has_permission(dossiers.APPROVE_SCHEDULE, obj=self.context)

    def as_text(self):
        """One line per row: ``# I | Văn phòng`` (heading) or
        ``notation | title | retention | unit | person | note``."""
        if self.text is not None:
            return self.text
        schedule = self.schedule()
        lines = []
        for row in (schedule or {}).get("rows", ()):
            if row["kind"] == "heading":
                lines.append(f"# {row['number']} | {row['title']}")
            else:
                lines.append(" | ".join([row["notation"], row["title"], row["retention"] or "",
                                         row["unit"], row["person"], row["note"]]).rstrip(" |"))
        return "\n".join(lines)

    @staticmethod
    def parse(text):
        rows = []
        for line in (text or "").splitlines():
            if not line.strip():
                continue
            if line.lstrip().startswith("#"):
                parts = [p.strip() for p in line.lstrip()[1:].split("|")]
                rows.append({"kind": "heading", "number": parts[0],
                             "title": parts[1] if len(parts) > 1 else ""})
                continue
            parts = [p.strip() for p in line.split("|")] + [""] * 6
            rows.append({"kind": "entry", "notation": parts[0], "title": parts[1], "retention": parts[2],
                         "unit": parts[3], "person": parts[4], "note": parts[5]})
        return rows

    def __call__(self):
        form = self.request.form
        action = form.get("action")
        if not action:
            return self.index()
        CheckAuthenticator(self.request)
        year = self.year()
        if action == "approve" and not form.get("confirmed"):
            self.confirm = {"action": action}
            return self.index()
        try:
            if action == "save":
                self.text = form.get("rows", "")
                dossiers.save_schedule(self.context, year, self.parse(self.text))
                done = _("msg_schedule_saved", default="The records schedule is saved.")
            elif action == "approve":
                dossiers.approve_schedule(self.context, year)
                done = _("msg_schedule_approved", default="The records schedule is approved.")
            elif action == "copy":
                dossiers.copy_forward(self.context, year)
                year += 1
                done = _("msg_schedule_copied", default="The records schedule was copied to ${year}.",
                         mapping={"year": year})
            else:
                return self.index()
        except dossiers.DossierError as problem:
            self.fail(problem)
            return self.index()
        self.notify(done)
        self.request.response.redirect(f"{self.context.absolute_url()}/@@danh-muc-ho-so?year={year}")
        return ""


class ScheduleDownload(BrowserView):
    """``@@in-danh-muc-ho-so?year=&format=pdf|xlsx``."""

    def __call__(self):
        fmt = self.request.form.get("format") or "pdf"
        try:
            year = dossiers._year(self.request.form.get("year") or dossiers.today().year)
        except dossiers.DossierError:
            year = None
        schedule = dossiers.get_schedule(self.context, year) if year else None
        if schedule is None or fmt not in printing.CONTENT_TYPES:
            self.request.response.setStatus(404)
            return translate(_("error_no_schedule", default="There is no records schedule for ${year}.",
                               mapping={"year": year or ""}), context=self.request)
        return printing.schedule_file(self.context, schedule, fmt).publish(self.request.response)


class AgencyLinkViewlet(ViewletBase):
    """The "Hồ sơ" link on the agency pages."""


class DocumentDossiersViewlet(ViewletBase):
    """"Hồ sơ chứa văn bản này" and "Lưu vào hồ sơ" on a document page."""

    def update(self):
        super().update()
        self.dossiers = dossiers.dossiers_of(self.context)
        agency = get_agency(self.context)
        self.can_file = (agency is not None and dossiers.filing_problem(self.context) is None
                         and dossiers.has_fileable_dossier(agency))
