"""REST service ``@calendar`` of an agency (the weekly work calendar).

``GET  <agency>/@calendar``                      this week (``?week=2026-W49`` or ``?from=&to=``,
                                                 dd/mm/yyyy or yyyy-mm-dd, at most 62 days)
``GET  <agency>/@calendar/<id>``                 one event
``GET  <agency>/@calendar/pdf?week=…``           the printable week (PDF)
``GET  <agency>/@calendar/feed``                 the user's iCal subscription addresses
``POST <agency>/@calendar``                      a new event (the office): 201, state draft
``PATCH <agency>/@calendar/<id>``                change it (after publication: people told again)
``POST <agency>/@calendar/<id>/<transition>``    submit, approve, return (``{"comment"}``), cancel
``POST <agency>/@calendar/feed/reset``           a new secret address (the old one stops); renews an
                                                 expired one (valid ``feed_token_days``, registry)
``POST <agency>/@calendar/feed/revoke``          no address any more (the old one answers 404)

``feed`` answers ``{"url", "url_all", "expires" (ISO), "expired"}``; an expired address answers 410.

Refusals: ``{"error": {"type", "message" (Vietnamese), "errors": [...]}}`` with 400, 403, 404 or
409; a refused request stores nothing.
"""

from __future__ import annotations

from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.registers.service import Download, DownloadOrJsonGet
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import guarded, translate_tree
from dongthap.qlvb.restapi.traverse import PathSegments

from . import api as cal


def _not_found():
    raise QlvbError(_("error_calendar_not_found", default="No such event in this work calendar."), status=404)


def week_pdf(agency, request, form):
    """The :class:`Download` of the printable week (View work calendar)."""
    from zope.i18n import translate

    from . import pdf

    first, last, monday = cal.range_from_request(form)
    week = translate_tree(cal.week(agency, first, last, monday), request)
    label = {
        "day": _("calendar_col_day", default="Day"),
        "time": _("calendar_col_time", default="Time"),
        "content": _("label_calendar_content", default="Content"),
        "chair": _("label_calendar_chair", default="Chaired by"),
        "participants": _("label_calendar_participants", default="Participants"),
        "place": _("label_calendar_place", default="Place"),
        "preparing": _("label_calendar_preparing_unit", default="Prepared by"),
        "title": _("heading_calendar_pdf", default="WORK CALENDAR OF THE WEEK"),
        "period": _("calendar_period", default="Week ${week} (from ${first} to ${last})",
                    mapping={"week": (monday.isocalendar()[1] if monday else ""), "first": week["from_text"],
                             "last": week["to_text"]}) if monday else
        _("calendar_period_dates", default="From ${first} to ${last}",
          mapping={"first": week["from_text"], "last": week["to_text"]}),
        "empty": _("calendar_nothing", default="No event."),
    }
    labels = {k: translate(v, context=request) for k, v in label.items()}
    user = api.user.get_current()
    printed_by = (user.getProperty("fullname") or user.getId()) if user is not None else ""
    data = pdf.build(week, labels=labels, printed_by=printed_by, printed_at=cal._now(),
                     parent_agency=_governing_agency(agency))
    name = f"lich-cong-tac-{week.get('week') or week['from']}.pdf"
    return Download(data, "application/pdf", name)


def _governing_agency(agency):
    """The title of the agency ``agency`` sits in (Văn phòng UBND tỉnh: UBND tỉnh Đồng Tháp), or None."""
    from Acquisition import aq_inner
    from Acquisition import aq_parent
    from dongthap.qlvb.agencies.api import get_agency

    parent = get_agency(aq_parent(aq_inner(agency)))
    return parent.title if parent is not None else None


class CalendarGet(DownloadOrJsonGet):
    ensure_ascii = False

    @guarded
    def reply(self):
        names = self.segments
        if not names:
            first, last, monday = cal.range_from_request(self.request.form)
            return translate_tree(cal.week(self.context, first, last, monday), self.request)
        if names == ("pdf",):
            return week_pdf(self.context, self.request, self.request.form)
        if names == ("feed",):  # made on first use
            alsoProvides(self.request, IDisableCSRFProtection)
            return feed(self.context, self.request)
        if len(names) == 1:
            return translate_tree(cal.get(self.context, names[0]), self.request)
        return _not_found()


def feed(agency, request, reset=False, revoke=False):
    if not api.user.has_permission(cal.VIEW, obj=agency):
        raise QlvbError(_("error_calendar_forbidden", default="You may not do this."), status=403)
    userid = api.user.get_current().getId()
    if revoke:
        return {"revoked": cal.revoke_feed_token(userid)}
    info = cal.feed_info(userid, reset=reset)
    return {key: info[key] for key in ("url", "url_all", "expires", "expired")}


class CalendarPost(PathSegments, Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        params = self.segments
        if not params:
            result = cal.create(self.context, data)
            self.request.response.setStatus(201)
            self.request.response.setHeader("Location", result["@id"])
        elif params in (("feed", "reset"), ("feed", "revoke")):
            body.refuse_unknown(data, ())
            action = params[1]
            result = feed(self.context, self.request, reset=action == "reset", revoke=action == "revoke")
        elif len(params) == 2 and params[1] in cal.TRANSITIONS:
            body.refuse_unknown(data, ("comment",))
            result = cal.transition(self.context, params[0], params[1], data.get("comment") or "")
        else:
            raise QlvbError(_("error_unknown_transition", default="Unknown action."), status=404)
        return translate_tree(result, self.request)


class CalendarPatch(PathSegments, Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        if len(self.segments) != 1:
            _not_found()
        return translate_tree(cal.update(self.context, self.segments[0], data), self.request)
