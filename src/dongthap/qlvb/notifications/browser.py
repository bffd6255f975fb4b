"""The bell in the page header, the list of notifications (@@thong-bao), the preferences page."""

from __future__ import annotations

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.restapi.traverse import PathSegments
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zExceptions import NotFound
from plone.protect.interfaces import IDisableCSRFProtection
from zope.interface import alsoProvides


def _userid():
    return api.user.get_current().getId()


class BellViewlet(ViewletBase):
    """"Thông báo" with the number of unread notifications (only for a logged-in person)."""

    index = ViewPageTemplateFile("templates/bell.pt")

    def update(self):
        super().update()
        self.anonymous = api.user.is_anonymous()
        self.count = 0 if self.anonymous else N.unread_count(_userid())
        self.url = f"{api.portal.get().absolute_url()}/@@thong-bao"

    def render(self):
        return "" if self.anonymous else self.index()


class NotificationsView(PathSegments, BrowserView):
    """The person's notifications, newest first; open one (``/mo/<id>``), mark read, mark all read."""

    template = ViewPageTemplateFile("templates/notifications.pt")
    PAGE = 50

    def __call__(self):
        userid = _userid()
        if len(self.segments) == 2 and self.segments[0] == "mo":
            # a GET that marks one's own notification read: the only thing a forged request
            # could do is that, so plone.protect's confirmation page is not asked for
            alsoProvides(self.request, IDisableCSRFProtection)
            try:
                url = N.open_item(userid, self.segments[1]) if self.segments[1].isdigit() else None
            except QlvbError:  # a number too large to be one
                url = None
            if url is None:
                raise NotFound(self.segments[1])
            return self.request.response.redirect(url)
        if self.segments:
            raise NotFound("/".join(self.segments))
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if self.request.form.get("all"):
                N.mark_read(userid)
            else:
                ids = self.request.form.get("ids") or []
                try:
                    N.mark_read(userid, [ids] if isinstance(ids, str) else ids)
                except QlvbError as problem:
                    import transaction

                    transaction.doom()
                    self.request.response.setStatus(problem.status)
                    api.portal.show_message(problem.message, request=self.request, type="error")
                    return self._page()
            api.portal.show_message(_("msg_notifications_read", default="Marked as read."),
                                    request=self.request)
            return self.request.response.redirect(f"{api.portal.get().absolute_url()}/@@thong-bao")
        return self._page()

    def _page(self):
        userid = _userid()
        try:
            self.start = max(0, int(self.request.form.get("b_start", 0)))
        except (TypeError, ValueError, OverflowError):  # not a number, or given twice (a list)
            self.start = 0
        self.unread_only = bool(self.request.form.get("chua-doc"))
        self.data = N.list_for(userid, unread_only=self.unread_only, start=self.start, size=self.PAGE)
        return self.template()

    def next_url(self):
        if self.start + self.PAGE >= self.data["items_total"]:
            return None
        return f"{self.context.absolute_url()}/@@thong-bao?b_start={self.start + self.PAGE}"


class PreferencesView(BrowserView):
    """"Cài đặt thông báo": the kinds wanted, e-mail on/off, daily digest."""

    template = ViewPageTemplateFile("templates/preferences.pt")

    def __call__(self):
        userid = _userid()
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            wanted = self.request.form.get("kinds") or []
            wanted = [wanted] if isinstance(wanted, str) else wanted
            off = [k["kind"] for k in N.kinds_for_prefs() if k["kind"] not in wanted]
            N.set_prefs(userid, email=bool(self.request.form.get("email")),
                        digest=self.request.form.get("delivery") == "digest", off=off)
            api.portal.show_message(_("msg_notification_prefs_saved", default="Your preferences are saved."),
                                    request=self.request)
            return self.request.response.redirect(
                f"{api.portal.get().absolute_url()}/@@cai-dat-thong-bao")
        self.prefs = N.prefs(userid)
        self.kinds = [dict(k, on=k["kind"] not in self.prefs["off"]) for k in N.kinds_for_prefs()]
        return self.template()
