"""Classic UI of incoming documents: dashboards, registration form, document view, assignment form."""

from dongthap.qlvb.browser.documents import AgencyPage
from dongthap.qlvb.browser.documents import chosen_or_kept
from dongthap.qlvb.browser.documents import keep_after_error
from dongthap.qlvb.browser.documents import attachments_or_kept
from dongthap.qlvb.browser.documents import keep_attachments_after_error
from dongthap.qlvb.agencies.api import list_staff
from dongthap.qlvb.documents import kept_uploads
from dongthap.qlvb.documents.views import DashboardPage
from dongthap.qlvb.documents.views import DocumentPage
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.browser import links_html
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import assignment as A
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.utils.secrecy import SECRECY_FIELD
from dongthap.qlvb.security import roles as R
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import SOURCES
from dongthap.qlvb.vocabularies.documents import URGENCY
from plone import api
from plone.protect import CheckAuthenticator


class _Base(AgencyPage):
    def done(self, result, registered, otherwise):
        """Status messages after a document was stored or moved: its arrival number when it was
        registered, else ``otherwise``; then the warnings (possible duplicates…)."""
        if registered:
            self.message(_("msg_registered", default="Registered with arrival number ${number}.",
                           mapping={"number": result["arrival_number"]}))
        else:
            self.message(otherwise)
        for warning in result["warnings"]:
            self.message(warning, "warning")

    def sources(self):
        return [{"value": k, "title": self.t(t)} for k, t in SOURCES]

    def states(self):
        return [{"value": s, "title": self.t(incoming.STATE_TITLES[s])} for s in incoming.STATES]


class DashboardView(DashboardPage, _Base):
    """"Văn bản đến": chờ vào sổ, chờ phân công, việc của tôi, tất cả — with filters."""

    TABS = (
        ("waiting_registration", _("tab_waiting_registration", default="Waiting for registration")),
        ("waiting_assignment", _("tab_waiting_assignment", default="Waiting for assignment")),
        ("my_work", _("tab_my_work", default="My work")),
        ("all", _("tab_all", default="All incoming documents")),
        ("overdue", _("desk_overdue", default="Overdue")),
        ("due_soon", _("desk_due_soon", default="Due soon")),
    )

    def __call__(self):
        self.errors = []
        try:
            self.filters = self._filters()
        except ValueError:
            self.filters = {}
            self.errors.append(self.t(_("error_bad_date_filter", default="Enter dates as dd/mm/yyyy.")))
        return self.index()

    def _filters(self):
        form = self.request.form
        filters = {k: form[k] for k in ("document_type", "state", "issuer", "legal_validity") if form.get(k)}
        if form.get("from"):
            filters["date_from"] = incoming.parse_date(form["from"])
        if form.get("to"):
            filters["date_to"] = incoming.parse_date(form["to"])
        return filters

    def lists(self):
        agency = self.agency()
        userid = api.user.get_current().getId()
        only, batch, sort = self.only(), self.batch(), self.sort()
        lists = queries.lists_for(agency, userid, self.filters, batch=batch, sort=sort, only=only)
        roles = set(api.user.get_roles(obj=agency))
        if roles & {R.CLERK, R.LEADER, R.RECORDS_MANAGER, "Manager", "Site Administrator"} \
                and only in (None, "all"):
            lists["all"] = queries.all_documents(agency, self.filters, batch=batch, sort=sort)
        return self.tabs(lists)

    def active_tab(self):
        return self.request.form.get("tab") or ""

    def can_add(self):
        return api.user.has_permission(incoming.ADD_PERMISSION, obj=self.agency())


    def printable_registers(self):
        """Download links of the registers (this year to today, or the filtered period)."""
        period = {k: self.request.form[k] for k in ("from", "to") if self.request.form.get(k)}
        return links_html(self.agency(), ("incoming", "incoming_tracking"), self.request,
                          page="so-van-ban-den", period=period)


class RegisterForm(_Base):
    """"Vào sổ văn bản đến": the clerk enters a document (upload + metadata)."""

    choose_again = False
    #: attachments kept on the server after a refused form (``[{"token", "filename"}]``) and the
    #: names of those that could not be kept
    kept_attachments = ()
    lost_attachments = ()

    def __call__(self):
        self.errors = {}
        self.general = []
        self.values = {"urgency": "thuong", "source": "paper", "register": "1"}
        if self.request.method == "POST" and self.request.form.get("form.submitted"):
            CheckAuthenticator(self.request)
            form = self.request.form
            self.values = {k: form.get(k, "") for k in (*incoming.INPUT_FIELDS, SECRECY_FIELD)}
            self.values["register"] = form.get("register", "")
            raw = {k: form.get(k) for k in (*incoming.INPUT_FIELDS, SECRECY_FIELD)}
            raw["file"], kept_token = chosen_or_kept(form)
            raw["attachments"], attachment_tokens = attachments_or_kept(form)
            try:
                values = incoming.clean(raw, agency=self.agency())
                register = bool(form.get("register"))
                found = []
                if register and not form.get("confirm_duplicate"):
                    from dongthap.qlvb.incoming import duplicates

                    found = duplicates.for_values(self.agency(), values)
                result = incoming.create(self.agency(), values, register=register and not found)
            except incoming.IncomingError as problem:
                self.general.append(self.t(problem.message))
                for err in problem.errors:
                    self.errors.setdefault(err.get("field") or "", []).append(self.t(err["message"]))
                # the files are kept on the server (a browser never fills a file input again);
                # those that could not be kept are named: choose them again
                self.kept = keep_after_error(raw["file"], kept_token, self.errors, self.agency())
                self.kept_attachments, self.lost_attachments = keep_attachments_after_error(
                    raw["attachments"], attachment_tokens, self.errors, self.agency())
                lost_main = [raw["file"][1]] if raw["file"] and not self.kept else []
                self.choose_again = ", ".join(lost_main + self.lost_attachments)
                self.request.response.setStatus(413 if problem.status == 413 else 400)
                return self.index()
            for token in (kept_token, *attachment_tokens):
                if token:
                    kept_uploads.drop(token)
            if found:  # not numbered: the clerk registers it anyway or refuses it on its page
                from dongthap.qlvb.incoming import duplicates

                self.message(duplicates.warning(found), "warning")
                self.message(_("msg_duplicate_not_registered", default="The document was saved but not "
                               "registered: register it anyway or refuse it as a duplicate."))
            else:
                self.done(result, bool(result["arrival_number"]),
                          _("msg_received", default="The document was saved and waits for registration."))
            self.request.response.redirect(result["url"])
            return ""
        return self.index()

    def error(self, name):
        return " ".join(self.errors.get(name, []))


class DocumentView(DocumentPage, _Base):
    """An incoming document: metadata, file, assignment, progress, trail, actions."""

    error_class = incoming.IncomingError
    show_error_details = True
    dashboard_page = "van-ban-den"

    #: what each action did, said in the status message (register names its number)
    DONE = {
        "refuse": _("msg_refused", default="The document was refused."),
        "start": _("msg_started", default="Handling started."),
        "reopen": _("msg_reopened", default="The document was reopened."),
        "archive": _("msg_archived", default="The document was archived."),
    }

    def act(self, action, form):
        if action == "progress":
            handling.record_progress(self.context, form.get("text", ""),
                                     result=bool(form.get("result")),
                                     reply_notation=form.get("reply_notation", ""))
            if form.get("result"):
                self.message(_("msg_result_saved", default="The result was recorded."))
            else:
                self.message(_("msg_progress_saved", default="Progress recorded."))
        elif action == "refuse_duplicate":
            from dongthap.qlvb.incoming import duplicates

            duplicates.refuse(self.context, form.get("reason", ""))
            self.message(_("msg_refused_duplicate", default="The document was refused as a duplicate; no "
                           "arrival number was used."))
        elif action == "link_reply":
            from dongthap.qlvb.outgoing import replies

            uid, _sep, key = (form.get("reply_to") or "").partition("|")
            replies.link_by_hand(self.context, uid, key)
            self.message(_("msg_reply_linked", default="The reply was linked to the outgoing document."))
        elif action == "register":
            result = incoming.transition(self.context, "register", form.get("comment", ""),
                                         confirm_duplicate=bool(form.get("confirm_duplicate")))
            self.done(result, True, None)
        elif action == "end_entry":
            entry = next((e for e in handling.info(self.context)["entries"]
                          if e["id"] == form.get("entry", "")), None)
            handling.end_entry(self.context, form.get("entry", ""))
            self.message(_("msg_entry_ended_for", default="The assignment of ${name} was ended.",
                           mapping={"name": entry["fullname"] if entry else ""}))
        else:
            title = self.context.title
            result = incoming.transition(self.context, action, form.get("comment", ""))
            done = self.DONE.get(action) or _("msg_transition_done", default="Done: ${action}.",
                                               mapping={"action": self.t(incoming.TRANSITION_TITLES.get(
                                                   action, action))})
            if action == "complete":
                done = _("msg_completed", default="Completed: ${title}.", mapping={"title": title})
            self.done(result, action == "register", done)

    def fields(self):
        c = self.context
        dtype = DOCUMENT_TYPES.get(c.document_type, ("",))[0]
        code = queries.notation(c.code_number, c.code_notation)
        rows = [
            (_("label_arrival_number", default="Arrival number (số đến)"), c.arrival_number or ""),
            (_("label_arrival_date", default="Arrival date (ngày đến)"),
             incoming.fmt_datetime(c.arrival_date)),
            (_("label_document_type", default="Document type"), dtype),
            (_("label_notation", default="Number and notation"), code),
            (_("label_issued_date", default="Issued on"), incoming.fmt_date(c.issued_date)),
            (_("label_issuing_agency_name", default="Issuing agency"), c.issuing_agency_name),
            (_("label_signer_name", default="Signed by"),
             ", ".join(x for x in (c.signer_name, c.signer_position) if x)),
            (_("label_urgency", default="Urgency"), self.t(dict(URGENCY).get(c.urgency, ""))),
            (_("label_due_date", default="Due date"), incoming.fmt_date(c.due_date)),
            (_("label_page_amount", default="Number of pages"), c.page_amount or ""),
            (_("label_source", default="Received through"), self.t(dict(SOURCES).get(c.source, ""))),
            (_("label_receiving_agency_code", default="Code of the receiving agency"),
             c.receiving_agency_code or ""),
            (_("label_reply_notation", default="Reply (number and notation)"),
             getattr(c, "qlvb_reply_notation", "") or ""),
        ]
        # Issue 15: an empty field is not listed by its label alone.
        return [{"label": self.t(label), "value": value} for label, value in rows if value]

    def info(self):
        return handling.info(self.context)

    def duplicates(self):
        """Possible duplicates, shown while the document waits for registration."""
        from dongthap.qlvb.incoming import duplicates

        if api.content.get_state(self.context) != "received":
            return []
        return duplicates.for_document(self.context)

    def can_refuse_duplicate(self):
        return (api.content.get_state(self.context) == "received"
                and api.user.has_permission("Modify portal content", obj=self.context))

    def duplicate_record(self):
        from dongthap.qlvb.incoming import duplicates

        return duplicates.record_of(self.context)

    def transitions(self):
        wftool = api.portal.get_tool("portal_workflow")
        skip = {"assign"}
        return [{"id": t["id"], "title": self.t(incoming.TRANSITION_TITLES.get(t["id"], t["id"]))}
                for t in wftool.getTransitionsFor(self.context) if t["id"] not in skip]

    def can_assign(self):
        """"Phân công" only for who can really assign: a leader, or the department head holding a
        department entry (re-assignment within it) — not every handler."""
        if not api.user.has_permission(incoming.ASSIGN_PERMISSION, obj=self.context):
            return False
        roles = set(api.user.get_roles(obj=self.context))
        if roles & {R.LEADER, "Manager", "Site Administrator"}:
            return True
        me = api.user.get_current().getId()
        return R.DEPARTMENT_HEAD in roles and any(
            e["user"] == me and e.get("department") and e["kind"] in ("lead", "coordinator")
            for e in A.active_entries(self.context))

    def can_reply(self):
        """"Soạn văn bản trả lời": who handles the document (or leads) and may draft."""
        from dongthap.qlvb.outgoing.api import ADD_PERMISSION

        state = api.content.get_state(self.context)
        return state in ("assigned", "in_progress", "completed") and (
            self.can_progress() or bool(set(api.user.get_roles(obj=self.context)) & {R.LEADER})
        ) and api.user.has_permission(ADD_PERMISSION, obj=self.agency())

    def can_link_reply(self):
        from dongthap.qlvb.outgoing import replies

        return replies.may_link_by_hand(self.context)

    def reply_link_choices(self):
        from dongthap.qlvb.outgoing import replies

        return replies.link_choices(self.context) if self.can_link_reply() else []

    def replied_to(self):
        """The outgoing documents this reply answers (linked on arrival or by hand)."""
        from dongthap.qlvb.outgoing import replies

        return [dict(x) for x in getattr(self.context, replies.REPLIED_BY_ATTR, None) or ()]

    def reply_url(self):
        from urllib.parse import urlencode

        query = urlencode({"in_reply_to": self.context.UID()})
        return f"{self.agency().absolute_url()}/@@soan-van-ban-di?{query}"

    def progress(self):
        """Progress entries with their date and time (Vietnam time) and whether each is the result."""
        from dongthap.qlvb.incoming.handling import _iso

        return [dict(p, at_display=incoming.fmt_datetime(_iso(p.get("at")))) for p in self.info()["progress"]]

    def can_progress(self):
        return api.user.has_permission(incoming.PROGRESS_PERMISSION, obj=self.context)

    def can_end(self, entry):
        """"Kết thúc" an entry: a leader, or the holder of the entry it was re-assigned from."""
        if not entry["active"] or not self.can_assign():
            return False
        roles = set(api.user.get_roles(obj=self.context))
        if roles & {R.LEADER, "Manager", "Site Administrator"}:
            return True
        me = api.user.get_current().getId()
        parent = next((e for e in A.entries(self.context) if e["id"] == entry.get("parent")), None)
        return parent is not None and parent["user"] == me

    def state_title(self):
        return self.t(incoming.state_title(api.content.get_state(self.context)))


class AssignForm(_Base):
    """"Phân công" (phiếu giải quyết): lead, coordinators, FYI, deadlines, direction.

    After an error the form shows again what was chosen and typed (:attr:`values`); the deadlines
    start from the document's due date (hạn giải quyết). The choice lists show each person once,
    grouped by department, by name without account, never the user himself, and only those who can
    act: anyone who handles documents may lead or coordinate, anyone but the administrators may
    be informed (:meth:`groups`).
    """

    LIST_FIELDS = ("coordinators", "fyi", "reassign")

    def delegation(self):
        """``{"authority", "person"}`` when the user assigns under a delegation in force (the form says
        so before he signs the assignment with the delegator's authority), else None."""
        from dongthap.qlvb.delegation import api as delegation

        under = delegation.acting_for(self.context, "assign")
        if under is None:
            return None
        return {"authority": delegation.AUTHORITIES[under["authority"]],
                "person": delegation.fullname(under["delegator"])}
    #: who may receive each kind of entry
    HANDLING_ROLES = frozenset((R.LEADER, R.DEPARTMENT_HEAD, R.SPECIALIST))
    FYI_ROLES = frozenset((R.LEADER, R.DEPARTMENT_HEAD, R.SPECIALIST, R.CLERK, R.RECORDS_MANAGER))

    def __call__(self):
        self.errors = []
        self.values = self._defaults()
        if self.request.method == "POST" and self.request.form.get("form.submitted"):
            CheckAuthenticator(self.request)
            form = self.request.form
            self.values = {k: form.get(k, "") for k in (
                "lead_department", "lead_user", "lead_deadline", "coordinator_deadline", "deadline",
                "direction")}
            self.values.update({k: self._list(form.get(k)) for k in self.LIST_FIELDS})
            data = {"direction": form.get("direction", "")}
            if self.is_head_only():
                data["reassign"] = [{"user": u, "deadline": form.get("deadline", "")}
                                    for u in self._list(form.get("reassign"))]
            else:
                lead_user = form.get("lead_user", "")
                if lead_user or form.get("lead_department"):
                    data["lead"] = {"user": lead_user, "department": form.get("lead_department", ""),
                                    "deadline": form.get("lead_deadline", "")}
                data["coordinators"] = [{"user": u, "deadline": form.get("coordinator_deadline", "")}
                                        for u in self._list(form.get("coordinators"))]
                data["fyi"] = [{"user": u} for u in self._list(form.get("fyi"))]
            try:
                handling.assign(self.context, data)
            except incoming.IncomingError as problem:
                self.errors = [self.t(problem.message)] + [self.t(e["message"]) for e in problem.errors]
                self.request.response.setStatus(413 if problem.status == 413 else 400)
                return self.index()
            names = ", ".join(e["fullname"] for e in handling.info(self.context)["entries"] if e["active"])
            self.message(_("msg_assigned_to", default="Assigned to ${names}.", mapping={"names": names}))
            self.request.response.redirect(self.context.absolute_url())
            return ""
        return self.index()

    def _defaults(self):
        """A new form: the deadlines are the document's due date, when it is still ahead; a
        department head's is the deadline of his own entry."""
        due = getattr(self.context, "due_date", None)
        day = due.date() if hasattr(due, "date") else due
        deadline = incoming.fmt_date(day) if day and day >= incoming.now().date() else ""
        # a department head distributes within the deadline he was given
        me = api.user.get_current().getId()
        own = [e.get("deadline") for e in A.active_entries(self.context)
               if e["user"] == me and e.get("department") and e.get("deadline")]
        head_deadline = incoming.fmt_date(incoming.parse_date(min(own))) if own else deadline
        return {"lead_deadline": deadline, "coordinator_deadline": deadline, "deadline": head_deadline,
                "coordinators": [], "fyi": [], "reassign": []}

    def chosen(self, field, value):
        """Whether ``value`` is chosen in list or choice ``field`` (for ``selected``)."""
        current = self.values.get(field)
        return value in current if isinstance(current, list) else value == current

    @staticmethod
    def _list(value):
        if not value:
            return []
        return [v for v in (value if isinstance(value, list) else [value]) if v]

    def is_head_only(self):
        roles = set(api.user.get_roles(obj=self.context))
        return not roles & {R.LEADER, "Manager", "Site Administrator"}

    def staff(self):
        """The agency's staff (computed once per form: the lists below all use it)."""
        if getattr(self, "_staff", None) is None:
            self._staff = list_staff(agency=self.agency())
        return self._staff

    def department_heads(self):
        return [m for m in self.staff() if R.DEPARTMENT_HEAD in m["roles"]]

    def specialists(self):
        """Whom a department head may re-assign to: the members of his department(s) here."""
        me = api.user.get_current().getId()
        own = {e.get("department") for e in A.active_entries(self.context)
               if e["user"] == me and e.get("department")}
        return [m for m in self.staff()
                if set(m["roles"]) & {R.DEPARTMENT_HEAD, R.SPECIALIST} and own & set(m["departments"])
                and m["userid"] != me]

    @staticmethod
    def label(member):
        """"Full name — departments" for the choice lists (never the account name)."""
        text = member["fullname"]
        if member.get("department_titles"):
            text += " — " + ", ".join(member["department_titles"])
        return text

    def departments(self):
        agency = self.agency()
        return [{"id": d.getId(), "title": d.title} for d in agency.objectValues()
                if d.portal_type == "Department"]

    def heads_by_department(self):
        """For the lead choice: each department with the heads who belong to it."""
        staff = [m for m in self.staff() if R.DEPARTMENT_HEAD in m["roles"]]
        return [{"id": d["id"], "title": d["title"],
                 "heads": [m for m in staff if d["id"] in m["departments"]]}
                for d in self.departments()]

    def groups(self, kind):
        """The people who may receive an entry of ``kind`` ("lead", "coordinator", "fyi", "reassign")
        as ``[{"title", "members"}]``: each under his first department, those in none last
        ("Tất cả cán bộ"); each person once, never the current user."""
        me = api.user.get_current().getId()
        if kind == "reassign":
            people = self.specialists()
        else:
            wanted = self.FYI_ROLES if kind == "fyi" else self.HANDLING_ROLES
            people = [m for m in self.staff() if set(m["roles"]) & wanted and m["userid"] != me]
        if kind == "lead":  # the heads first: a department as lead goes to its head
            people.sort(key=lambda m: R.DEPARTMENT_HEAD not in m["roles"])
        groups = [{"id": d["id"], "title": d["title"], "members": []} for d in self.departments()]
        by_id = {g["id"]: g for g in groups}
        rest = {"id": "", "title": self.t(_("label_all_staff", default="All staff")), "members": []}
        for member in people:
            first = next((by_id[d] for d in member["departments"] if d in by_id), rest)
            first["members"].append(member)
        return [g for g in (*groups, rest) if g["members"]]

    def entries(self):
        return [e for e in handling.info(self.context)["entries"] if e["active"]]


def active_entries(doc):  # used by templates through the view
    return A.active_entries(doc)
