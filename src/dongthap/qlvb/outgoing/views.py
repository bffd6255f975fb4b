"""Classic UI of outgoing documents: dashboard, drafting form, document view, recall notice."""

from dongthap.qlvb.browser.documents import AgencyPage
from dongthap.qlvb.browser.documents import chosen_or_kept
from dongthap.qlvb.browser.documents import keep_after_error
from dongthap.qlvb.browser.documents import no_sniffing
from dongthap.qlvb.content.outgoing import AUTHORITIES
from dongthap.qlvb.documents import kept_uploads
from dongthap.qlvb.documents.views import DashboardPage
from dongthap.qlvb.documents.views import DocumentPage
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.browser import links_html
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import paper
from dongthap.qlvb.outgoing import queries
from dongthap.qlvb.restapi.traverse import OneSegment
from dongthap.qlvb.utils.secrecy import SECRECY_FIELD
from dongthap.qlvb.outgoing.vocabularies import AUTHORITY_TITLES
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES
from dongthap.qlvb.vocabularies.documents import URGENCY
from dongthap.qlvb.documents.trail import trail_of
from dongthap.qlvb.agencies.departments import departments_of
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.namedfile.utils import set_headers
from plone.namedfile.utils import stream_data
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from zope.i18n import translate

URGENCY_TITLES = dict(URGENCY)


class DashboardView(DashboardPage):
    """"Văn bản đi": dự thảo của tôi, chờ duyệt, chờ ký, chờ phát hành, đã phát hành."""

    TABS = (
        ("my_drafts", _("tab_my_drafts", default="My drafts")),
        ("waiting_review", _("tab_waiting_review", default="Waiting for review")),
        ("waiting_signature", _("tab_waiting_signature", default="Waiting for signature")),
        ("waiting_issue", _("tab_waiting_issue", default="Waiting to be issued")),
        ("issued", _("tab_issued", default="Issued documents")),
        ("awaiting_reply", _("tab_awaiting_reply", default="Awaiting replies")),
    )

    def lists(self):
        return self.tabs(queries.lists_for(self.agency(), api.user.get_current().getId(),
                                           batch=self.batch(), sort=self.sort(), only=self.only()))

    def can_add(self):
        return api.user.has_permission(outgoing.ADD_PERMISSION, obj=self.agency())

    def printable_registers(self):
        """Download links of the outgoing registers the user may see (this year to today)."""
        return links_html(self.agency(), ("outgoing", "outgoing_report"), self.request)

    def state_title(self, state):
        return self.t(outgoing.state_title(state))


def external_rows(submitted):
    """The external recipients of a form: rows of name/code/e-mail (``:records``), or the lines
    ``code | name`` of a plain text field."""
    from dongthap.qlvb.browser.widgets import rows_from_records

    if isinstance(submitted, str):
        return [line for line in submitted.splitlines() if line.strip()]
    return rows_from_records(submitted)


def recipient_tree(agency, served=()):
    """The agencies of this system that may receive a document of ``agency`` as a tree, in reading
    order: each with its ``depth`` (0: top level), ``parents`` (the UIDs above it, for the search
    of the picker to keep them) and ``served`` (its UID is in ``served``: it already got the
    document). The drafting form and the "gửi bổ sung" form show the same picker."""
    from dongthap.qlvb.utils.sorting import vietnamese_sort_key

    brains = list(outgoing.recipient_agencies(agency).values())
    by_path = {b.getPath(): b for b in brains}
    children = {}
    for b in brains:
        path = b.getPath().rsplit("/", 1)[0]
        while path and path not in by_path:
            path = path.rsplit("/", 1)[0]
        children.setdefault(path or None, []).append(b)
    rows = []

    def walk(parent, parents):
        for b in sorted(children.get(parent, ()), key=lambda b: vietnamese_sort_key(b.Title)):
            rows.append({"value": b.UID, "title": b.Title, "depth": len(parents),
                         "parents": " ".join(parents), "served": b.UID in served})
            walk(b.getPath(), (*parents, b.UID))

    walk(None, ())
    return rows


class DraftForm(AgencyPage):
    """"Soạn văn bản đi": a specialist drafts a document (upload + metadata)."""

    preview_inputs = "#f-file"
    choose_again = False

    def __call__(self):
        self.errors = {}
        self.general = []
        agency = self.agency()
        self.values = {"urgency": "thuong", "document_type": "cong_van", "signing_authority": "none",
                       "internal_recipients": [], "issued_amount": "1"}
        mine = departments_of(agency=agency, userid=api.user.get_current().getId())
        if len(mine) == 1:  # the drafter's own department, when he has exactly one
            self.values["drafting_department"] = mine[0]
        if self.request.method == "POST" and self.request.form.get("form.submitted"):
            CheckAuthenticator(self.request)
            form = self.request.form
            raw = {k: form.get(k) for k in (*outgoing.INPUT_FIELDS, SECRECY_FIELD) if k in form}
            recipients = form.get("internal_recipients") or []
            raw["internal_recipients"] = recipients if isinstance(recipients, list) else [recipients]
            raw["external_recipients"] = external_rows(form.get("external_recipients"))
            raw.pop("in_reply_to", None)
            if form.get("in_reply_to"):
                raw["in_reply_to"] = [form["in_reply_to"]]
            raw["file"], kept_token = chosen_or_kept(form)
            self.values = dict(form)
            self.values["internal_recipients"] = raw["internal_recipients"]
            try:
                values = outgoing.clean(agency, raw)
                result = outgoing.create(agency, values)
            except outgoing.OutgoingError as problem:
                self.general.append(self.t(problem.message))
                for e in problem.errors:
                    self.errors.setdefault(e["field"], self.t(e["message"]))
                # the chosen file is kept on the server for the next try (a browser never fills
                # a file input again)
                self.kept = keep_after_error(raw["file"], kept_token, self.errors, agency)
                self.choose_again = bool(raw["file"] and not self.kept)
                return self.index()
            kept_uploads.drop(kept_token)
            self.message(_("msg_draft_created", default="The draft was saved."))
            return self.request.response.redirect(result["url"])
        if self.request.form.get("in_reply_to"):
            self.values["in_reply_to"] = self.request.form["in_reply_to"]
        return self.index()

    def error(self, name):
        return self.errors.get(name)

    def external_rows(self):
        """The rows of the external recipients (what was typed, then empty rows)."""
        from dongthap.qlvb.browser.widgets import display_rows

        return display_rows(external_rows((self.values or {}).get("external_recipients")))

    def reply_to(self):
        """The incoming document this draft answers (``in_reply_to``): its title and address."""
        uid = (self.values or {}).get("in_reply_to")
        if isinstance(uid, list):
            uid = uid[0] if uid else None
        brains = api.content.find(UID=uid, portal_type="IncomingDocument") if uid else []
        return {"title": brains[0].Title, "url": brains[0].getURL()} if brains else None

    def authorities(self):
        return [{"value": k, "title": self.t(AUTHORITY_TITLES[k])} for k in AUTHORITIES]

    def signers(self):
        return [{"value": u, "title": outgoing.fullname(u)} for u in outgoing.leaders_of(self.agency())]

    def departments(self):
        return [{"value": k, "title": f"{d.title} ({d.abbreviation})"}
                for k, d in sorted(outgoing.departments_of(self.agency()).items())]

    def recipients(self):
        """The agencies that may receive the document as a tree (:func:`recipient_tree`)."""
        return recipient_tree(self.agency())


class DocumentView(DocumentPage):
    """The document: metadata, actions, comments, versions, delivery status, trail."""

    error_class = outgoing.OutgoingError

    def act(self, action, form):
        if action == "comment":
            outgoing.comment(self.context, form.get("text", ""))
            self.message(_("msg_comment_saved", default="The comment was saved."))
        elif action == "add_recipients":
            self._add_recipients(form)
        elif action == paper.TRANSITION:
            upload = form.get("scan")
            value = None
            if upload is not None and hasattr(upload, "read"):
                value = (upload.read(), getattr(upload, "filename", None) or "")
            paper.issue_paper(self.context, value, form.get("comment", ""))
            self.message(_("msg_issued_paper", default="The paper-signed original was issued with "
                           "number ${notation}.", mapping={"notation": self.context.notation()}))
        elif action == paper.HAND_ACTION:
            paper.mark_by_hand(self.context, form.get("comment", ""))
            self.message(_("msg_signs_by_hand", default="Sign the printed original by hand: the clerk "
                           "scans it and issues it on paper."))
        elif action == "reply_deadlines":
            from dongthap.qlvb.outgoing import replies

            deadlines = {key[len("deadline."):]: value.strip() for key, value in form.items()
                         if key.startswith("deadline.") and isinstance(value, str) and value.strip()}
            if deadlines:
                replies.set_deadlines(self.context, deadlines)
            self.message(_("msg_reply_deadlines_saved", default="The reply deadlines were saved."))
        else:
            outgoing.transition(self.context, action, form.get("comment", ""))
            if action == "issue":
                self.message(_("msg_issued_number", default="Issued with number ${notation}.",
                               mapping={"notation": self.context.notation()}))
            else:
                self.message(_("msg_action_done", default="Done: ${action}.",
                               mapping={"action": self.t(outgoing.TRANSITION_TITLES.get(action, action))}))

    dashboard_page = "van-ban-di"

    def _add_recipients(self, form):
        """"Gửi bổ sung" form: the same api function as ``POST @add-recipients``."""
        if not form.get("confirm"):
            raise outgoing.OutgoingError(_("error_added_confirm", default="Tick the box to confirm "
                                           "sending the document to the added recipients."))
        internal = form.get("internal_recipients") or []
        internal = internal if isinstance(internal, list) else [internal]
        # rows of name/code/e-mail as in the drafting form (``:records``), or lines "code|name"
        external = [r.strip() if isinstance(r, str) else r
                    for r in external_rows(form.get("external_recipients") or [])]
        try:
            rows = delivery.add_recipients(self.context, internal, external)
        except outgoing.OutgoingError as problem:
            if problem.errors:  # every bad recipient is named, not only the summary
                problem.message = "; ".join([self.t(problem.message)]
                                            + [self.t(e["message"]) for e in problem.errors])
            raise
        self.message(_("msg_recipients_added", default="The document was sent to: ${names}.",
                       mapping={"names": ", ".join(r["agency_name"] for r in rows)}))

    def can_sign_by_hand(self):
        return paper.may_mark_by_hand(self.context)

    def signs_by_hand(self):
        return api.content.get_state(self.context) == "approved" and paper.signs_by_hand(self.context)

    def can_add_recipients(self):
        """The clerk of the issuing agency, on an issued document that was not recalled."""
        from dongthap.qlvb.security import roles as R

        return (api.content.get_state(self.context) in delivery.ADD_STATES
                and not getattr(self.context, "qlvb_recall", None)
                and R.CLERK in set(api.user.get_roles(obj=self.context)))

    def reply_rows(self):
        """Reply deadlines per recipient (only when the document or a recipient has one)."""
        from dongthap.qlvb.outgoing import replies

        rows = replies.summary(self.context)
        return rows if any(r["reply_due"] or r["reply"] for r in rows) or self.can_set_reply_deadlines() \
            else []

    def can_set_reply_deadlines(self):
        from dongthap.qlvb.outgoing import replies

        return (api.content.get_state(self.context) in ("issued", "archived")
                and not getattr(self.context, "qlvb_recall", None) and replies.may_set(self.context))

    def reply_link(self, reply):
        brains = api.content.find(UID=reply.get("uid")) if reply.get("uid") else []
        return brains[0].getURL() if brains else None

    def added_recipient_choices(self):
        """The agencies of this system as in the drafting form (:func:`recipient_tree`); those that
        already received the document are shown, not offered (``served``)."""
        served = {row["key"].partition(":")[2] for row in delivery.delivery_status(self.context)
                  if row["key"].startswith("agency:")}
        rows = recipient_tree(self.agency(), served)
        return rows if any(not r["served"] for r in rows) else []

    def added_external_rows(self):
        """The empty rows of the external recipients of the "gửi bổ sung" form (as in the drafting
        form; "Thêm dòng" adds more)."""
        from dongthap.qlvb.browser.widgets import display_rows

        return display_rows([])

    def info(self):
        return outgoing.info(self.context)

    def fields(self):
        c = self.context
        name, abbr = DOCUMENT_TYPES.get(c.document_type, ("", ""))
        dept = outgoing.departments_of(self.agency()).get(c.drafting_department or "")
        rows = [
            (_("label_code_number", default="Number (số)"), c.notation()),
            (_("label_issued_at", default="Issue time"), outgoing.fmt_datetime(c.issued_at)),
            (_("label_original_medium", default="Original"), self.medium()),
            (_("label_document_type", default="Document type"), name),
            (_("label_drafting_department", default="Drafting department"), dept.title if dept else ""),
            (_("label_signer", default="Signer"), outgoing.signer_name(c)),
            (_("label_signer_position", default="Position of the signer"), outgoing.signer_position_text(c)),
            (_("label_reply_due_date", default="Reply due date (hạn trả lời)"),
             outgoing.fmt_date(c.due_date)),
            (_("label_copy_holder", default="Unit or person keeping the file copy"), c.copy_holder or ""),
            # Issue 15: at every review step the reviewer sees where it goes, how fast, how many copies.
            (_("label_urgency", default="Urgency"),
             self.t(URGENCY_TITLES[c.urgency]) if c.urgency in URGENCY_TITLES else ""),
            (_("label_recipients", default="Recipients"), "; ".join(self.recipient_names())),
            (_("label_issued_amount", default="Number of copies"),
             str(c.issued_amount) if getattr(c, "issued_amount", None) else ""),
        ]
        return [{"label": self.t(label), "value": value} for label, value in rows if value]

    def medium(self):
        """"Paper original, scanned copy (… dpi) for reference" for a paper-signed document."""
        info = paper.scan_info(self.context)
        if not paper.is_paper_original(self.context) or not info:
            return ""
        return self.t(_("text_paper_original",
                        default="Paper original (signed by hand, sealed); the scanned copy (${dpi} dpi) "
                                "is for reference",
                        mapping={"dpi": str(int(info["dpi"]))}))

    def recipient_names(self):
        """Names of the recipients in this system, then those outside it (through the axis)."""
        uids = list(self.context.internal_recipients or ())
        titles = {b.UID: b.Title for b in api.content.find(UID=uids, unrestricted=True)} if uids else {}
        names = [titles.get(uid, uid) for uid in uids]
        names.extend(r.get("name") or r.get("code", "") for r in self.context.external_recipients or ()
                     if isinstance(r, dict))
        return [name for name in names if name]

    def returned(self):
        """The return of a draft to its drafter (who, when, why) while it is a draft again."""
        if api.content.get_state(self.context) != "draft":
            return None
        moves = [t for t in trail_of(self.context) if t.get("action") in outgoing.TRANSITION_TITLES
                 and t.get("action") not in ("comment", "edit", "add_recipients")]
        if not moves or moves[-1].get("action") != "return":
            return None
        last = moves[-1]
        return {"by": outgoing.fullname(last.get("actor")), "at": outgoing.fmt_datetime(last.get("at")),
                "comment": last.get("comment", "")}

    def transitions(self):
        wftool = api.portal.get_tool("portal_workflow")
        return [{"id": t["id"], "title": self.t(outgoing.TRANSITION_TITLES.get(t["id"], t["id"])),
                 "needs_comment": t["id"] in outgoing.NEEDS_COMMENT}
                for t in wftool.getTransitionsFor(self.context)]

    def can_comment(self):
        return api.user.has_permission(outgoing.COMMENT_PERMISSION, obj=self.context)

    def state_title(self):
        return self.t(outgoing.state_title(api.content.get_state(self.context)))

    def delivery(self):
        rows = delivery.delivery_status(self.context)
        for row in rows:
            row["status_title"] = self.t(row["status_title"])
        return rows

    def reply_url(self):
        return None


class VersionDownload(OneSegment, BrowserView):
    """``@@phien-ban-du-thao/<n>``: one kept draft version of the main file."""

    def __call__(self):
        for version in outgoing.versions(self.context):
            if str(version["version"]) == str(self.segment):
                named = version["file"]
                set_headers(named, self.request.response, filename=version["filename"] or "du-thao")
                no_sniffing(self.request.response)
                return stream_data(named)
        raise NotFound(self.segment)


class RecallNoticeViewlet(ViewletBase):
    """On a received copy: the sender recalled the document; it is frozen until the clerk destroys it."""

    index = ViewPageTemplateFile("templates/recall_notice.pt")

    def notice(self):
        return delivery.recall_notice(self.context)

    def blocked(self):
        from dongthap.qlvb.recall import api as recall_api

        reason = recall_api.blocking_reason(self.context) if recall_api.pending_destruction(self.context) \
            else None
        return translate(reason, context=self.request) if reason is not None else ""

    def can_destroy(self):
        from dongthap.qlvb.recall import api as recall_api

        return (recall_api.pending_destruction(self.context) and recall_api.may_destroy(self.context)
                and not self.blocked())


    def can_refuse(self):
        from dongthap.qlvb.recall import api as recall_api

        return recall_api.pending_destruction(self.context) and recall_api.may_destroy(self.context)


class DestroyRecalled(BrowserView):
    """POST target of the viewlet's button: destroy the recalled copy, then its agency's records."""

    def __call__(self):
        from dongthap.qlvb.errors import QlvbError
        from dongthap.qlvb.recall import api as recall_api

        CheckAuthenticator(self.request)
        if self.request.method != "POST":
            return self.request.response.redirect(self.context.absolute_url())
        if not self.request.form.get("confirm"):
            api.portal.show_message(
                message=translate(_("error_confirm_destroy",
                                default="Tick the confirmation to destroy the copy."),
                              context=self.request), request=self.request, type="error")
            return self.request.response.redirect(self.context.absolute_url())
        try:
            record, agency = recall_api.destroy_from_request(self.context)
        except QlvbError as problem:
            api.portal.show_message(message=translate(problem.message, context=self.request),
                                    request=self.request, type="error")
            return self.request.response.redirect(self.context.absolute_url())
        api.portal.show_message(
            message=translate(_("msg_recall_destroyed", default="The copy ${notation} was destroyed; "
                                "the destruction record is kept and sent to the sender.",
                                mapping={"notation": record["notation"]}), context=self.request),
            request=self.request)
        return self.request.response.redirect(f"{agency.absolute_url()}/@@van-ban-da-huy")


class RefuseRecall(BrowserView):
    """POST target of the viewlet's refusal form: the clerk keeps the recalled copy, with a reason."""

    def __call__(self):
        from dongthap.qlvb.errors import QlvbError
        from dongthap.qlvb.recall import api as recall_api

        CheckAuthenticator(self.request)
        if self.request.method == "POST":
            try:
                recall_api.refuse_from_request(self.context, self.request.form.get("reason", ""))
            except QlvbError as problem:
                api.portal.show_message(message=translate(problem.message, context=self.request),
                                        request=self.request, type="error")
            else:
                api.portal.show_message(message=translate(_(
                    "msg_recall_refused", default="The recall was refused; the sender is told why."),
                    context=self.request), request=self.request)
        return self.request.response.redirect(self.context.absolute_url())
