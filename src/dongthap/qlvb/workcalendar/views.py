"""Pages of the work calendar (Vietnamese).

``<agency>/@@lich-cong-tac[?week=2026-W49]``  the week: Thứ Hai … Chủ Nhật with dd/mm/yyyy, morning and
                                             afternoon, previous/next week; the office's and leaders'
                                             actions (POST with the CSRF token); the iCal addresses
``<agency>/@@lich-cong-tac-sua[?id=…]``      create / edit form (the office; a leader edits too)
``<agency>/@@lich-cong-tac-pdf?week=…``      the printable week (PDF)
``<site>/@@lich-cong-tac.ics?token=…``       the person's iCal feed (public: the token is the key)

Everything goes through :mod:`dongthap.qlvb.workcalendar.api`.
"""

from __future__ import annotations

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.service import send

from . import api as cal

DONE = {
    "submit": _("calendar_done_submit", default="Sent to the leader for approval."),
    "approve": _("calendar_done_approve", default="Approved and published to the agency's staff."),
    "return": _("calendar_done_return", default="Returned to the office."),
    "cancel": _("calendar_done_cancel", default="Cancelled; the people concerned were told."),
    "reset": _("calendar_done_reset", default="New calendar addresses made; the old ones no longer work."),
    "revoke": _("calendar_done_revoke", default="Your calendar addresses are revoked: they no longer work."),
    "made": _("calendar_done_made",
              default="Your calendar addresses are made: copy one into your calendar app."),
}
BUTTONS = {
    "submit": _("button_calendar_submit", default="Send for approval"),
    "approve": _("button_calendar_approve", default="Approve and publish"),
    "return": _("button_calendar_return", default="Return"),
    "cancel": _("button_calendar_cancel", default="Cancel the event"),
}


CONFIRM = {
    "cancel": _("confirm_calendar_cancel",
                default="Cancel this published event? Everyone concerned is told, and it cannot be undone."),
    "revoke": _("confirm_calendar_revoke",
                default="Revoke your calendar addresses? The calendar apps subscribed to them stop receiving "
                        "the calendar."),
    "reset": _("confirm_calendar_reset",
               default="Make new calendar addresses? The calendar apps subscribed to the old ones stop "
                       "receiving the calendar until you subscribe them again."),
}


class WeekView(BrowserView):
    message = None
    problems = ()
    done = None
    confirm = None

    def __call__(self):
        form = self.request.form
        if self.request.method == "POST" and form.get("action"):
            CheckAuthenticator(self.request)
            action = form["action"]
            if self._ask_first(action, form):
                self.confirm = {"action": action, "id": form.get("id") or "", "text": CONFIRM[action],
                                "event": self._event_title(form.get("id"))}
                action = None
            try:
                if action is None:
                    pass
                elif action == "reset":
                    userid = api.user.get_current().getId()
                    first = cal.feed_url(userid, create=False) is None
                    cal.feed_token(userid, reset=True)
                    self.done = DONE["made" if first else "reset"]
                elif action == "revoke":
                    cal.revoke_feed_token(api.user.get_current().getId())
                    self.done = DONE["revoke"]
                else:
                    cal.transition(self.context, form.get("id"), action, form.get("comment") or "")
                    self.done = DONE.get(action)
            except QlvbError as problem:
                import transaction

                transaction.doom()
                self.message = problem.message
                self.problems = [e["message"] for e in problem.errors]
        try:
            week = {"week": form.get("week")} if form.get("week") else {}
            first, last, monday = cal.range_from_request(week)
        except QlvbError as problem:
            self.message = problem.message
            first, last, monday = cal.range_from_request({})
        self.data = cal.week(self.context, first, last, monday)
        return self.index()

    def _ask_first(self, action, form):
        """Whether ``action`` is destructive and not yet confirmed (cancel, new addresses over old ones)."""
        if form.get("confirmed") or not isinstance(action, str) or action not in CONFIRM:
            return False
        if action in ("reset", "revoke"):
            return cal.feed_url(api.user.get_current().getId(), create=False) is not None
        return True

    def _event_title(self, eid):
        try:
            event = cal.get(self.context, eid)
        except QlvbError:
            return ""
        return f"{event['content']} ({event['time_text']} {event['date_text']})"

    def button(self, name):
        return BUTTONS[name]

    def can_draft(self):
        return api.user.has_permission(cal.DRAFT, obj=self.context)

    def url(self, week):
        return f"{self.context.absolute_url()}/@@lich-cong-tac?week={week}"

    def pdf_url(self):
        return f"{self.context.absolute_url()}/@@lich-cong-tac-pdf?week={self.data['week']}"

    def feed(self):
        userid = api.user.get_current().getId()
        if not userid:
            return None
        info = cal.feed_info(userid, create=False)
        if info is None:
            return {"mine": None, "all": None, "expires": None, "expired": False}
        return {"mine": info["url"], "all": info["url_all"], "expires": info["expires_text"],
                "expired": info["expired"]}

    def people(self, event):
        names = [p["fullname"] for p in event["participants"]] + [d["title"] for d in event["departments"]]
        if event["guests"]:
            names.append(event["guests"])
        return "; ".join(names)


class EditForm(BrowserView):
    message = None
    problems = ()

    def __call__(self):
        form = self.request.form
        from zExceptions import NotFound, Unauthorized

        eid = form.get("id") or ""
        try:
            self.event = cal.get(self.context, eid) if eid else None
        except QlvbError:
            raise NotFound(eid) from None  # Plone's "page not found", in Vietnamese
        if self.event is not None and not self.event["may_edit"]:
            raise Unauthorized("lich-cong-tac-sua")
        if self.event is None and not api.user.has_permission(cal.DRAFT, obj=self.context):
            raise Unauthorized("lich-cong-tac-sua")
        self.values = self._values()
        if self.request.method == "POST" and form.get("save"):
            CheckAuthenticator(self.request)
            data = {k: form.get(k, "") for k in cal.FIELDS}
            for key in ("participants", "departments"):
                value = form.get(key) or []
                data[key] = [value] if isinstance(value, str) else list(value)
            try:
                saved = cal.update(self.context, eid, data) if eid else cal.create(self.context, data)
            except QlvbError as problem:
                import transaction

                transaction.doom()
                self.message = problem.message
                titles = cal.FIELD_TITLES
                self.problems = [
                    f"{translate(titles[e['field']], context=self.request)}: "
                    f"{translate(e['message'], context=self.request)}" if e.get("field") in titles
                    else translate(e["message"], context=self.request) for e in problem.errors]
                self.values = dict(self.values, **data)
                return self.index()
            monday = cal.monday_of(cal.parse_day(saved["date"]))
            saved_text = translate(_("calendar_saved", default="Event saved."), context=self.request)
            api.portal.show_message(saved_text, self.request)
            self.request.response.redirect(
                f"{self.context.absolute_url()}/@@lich-cong-tac?week={cal.week_key(monday)}")
            return ""
        return self.index()

    def _values(self):
        e = self.event
        if e is None:
            return {"date": cal.fmt(cal.today()), "start": "08:00", "end": "", "place": "", "chair": "",
                    "participants": [], "departments": [], "guests": "", "preparing_unit": "", "content": ""}
        return {"date": e["date_text"], "start": e["start"], "end": e["end"], "place": e["place"],
                "chair": e["chair"], "participants": [p["userid"] for p in e["participants"]],
                "departments": [d["id"] for d in e["departments"]], "guests": e["guests"],
                "preparing_unit": e["preparing_unit"], "content": e["content"]}

    def people(self):
        return cal.people(self.context)

    def departments(self):
        return list(cal.department_titles(self.context).items())


class PdfView(BrowserView):
    def __call__(self):
        from .services import week_pdf

        try:
            return send(self.request.response, week_pdf(self.context, self.request, self.request.form))
        except QlvbError as problem:
            self.request.response.setStatus(problem.status)
            self.request.response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(problem.message, context=self.request)


class FeedView(BrowserView):
    """The iCal feed: no login, the secret token names the person (404 for an unknown or revoked
    token, 410 for an expired one)."""

    def __call__(self):
        from . import ical

        response = self.request.response
        response.setHeader("Cache-Control", "private, no-store")
        response.setHeader("X-Content-Type-Options", "nosniff")
        userid = cal.user_of_token(self.request.form.get("token"))
        if userid is None:
            response.setStatus(404)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(_("error_calendar_feed_unknown", default="Unknown calendar address."),
                             context=self.request)
        expires = cal.token_expires(self.request.form.get("token"))
        if cal.token_expired(self.request.form.get("token")):
            response.setStatus(410)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(_("error_calendar_feed_expired",
                               default="This calendar address expired on ${date}. Its owner makes a new one "
                                       "on the work calendar page (Lịch công tác).",
                               mapping={"date": expires.strftime("%d/%m/%Y")}), context=self.request)
        scope = "all" if self.request.form.get("scope") == "all" else "mine"
        data = ical.build(userid, scope)
        response.setHeader("Content-Type", "text/calendar; charset=utf-8")
        response.setHeader("Content-Disposition", 'inline; filename="lich-cong-tac.ics"')
        return data
