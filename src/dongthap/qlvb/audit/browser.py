"""Pages of the audit trail: "Nhật ký hệ thống" (search, export) and the view history of a document."""

from __future__ import annotations

from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.base.interfaces.siteroot import IPloneSiteRoot
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

from dongthap.qlvb.audit import api as audit
from dongthap.qlvb.audit.log import log
from dongthap.qlvb.i18n import _

VIEW_PERMISSION = "dongthap.qlvb: View access history"


class AuditView(BrowserView):
    """``nhat-ky-he-thong``: the records of the agency (or of all, at the site root), filtered."""

    index = ViewPageTemplateFile("templates/audit.pt")
    page_size = 100

    def __call__(self):
        self.error = None
        form = self.request.form
        try:
            self.day_from = audit.parse_day(form.get("tu_ngay"))
            self.day_to = audit.parse_day(form.get("den_ngay"))
        except ValueError:
            self.day_from = self.day_to = None
            self.error = _("error_audit_date", default="Give dates as dd/mm/yyyy.")
            self.request.response.setStatus(400)
        if form.get("format") == "xlsx" and self.error is None:
            records = self.records(limit=None)
            log("export", self.context if not self.is_site() else None, when="now",
                detail={"view": "nhat-ky-he-thong", "records": len(records)})
            response = self.request.response
            response.setHeader("Content-Type",
                               "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            response.setHeader("Content-Disposition", 'attachment; filename="nhat-ky-he-thong.xlsx"')
            return audit.export_xlsx(records, self.request, self.context.title)
        return self.index()

    def is_site(self):
        return IPloneSiteRoot.providedBy(self.context)

    def start(self):
        try:
            return max(0, int(self.request.form.get("b_start", 0)))
        except ValueError:
            return 0

    def records(self, limit=page_size):
        if self.error is not None:
            return []
        form = self.request.form
        return audit.search(self.context, userid=(form.get("nguoi_dung") or "").strip(),
                            action=(form.get("hanh_dong") or "").strip(), uid=(form.get("uid") or "").strip(),
                            day_from=self.day_from, day_to=self.day_to, limit=limit, offset=self.start())

    def items(self):
        if not hasattr(self, "_items"):
            self._items = [self.row(r) for r in self.records()]
        return self._items

    def row(self, record):
        return dict(record, when=audit.local_time(record),
                    action_title=audit.action_title(record.get("action"), self.request),
                    outcome_title=audit.outcome_title(record.get("outcome"), self.request))

    def actions(self):
        return [(key, audit.action_title(key, self.request)) for key in audit.ACTION_TITLES]

    def query_string(self):
        from urllib.parse import urlencode

        keys = ("nguoi_dung", "hanh_dong", "uid", "tu_ngay", "den_ngay")
        return urlencode({k: self.request.form[k] for k in keys if self.request.form.get(k)})


class ViewHistoryViewlet(ViewletBase):
    """Who viewed, downloaded or printed this document (for those holding the permission)."""

    index = ViewPageTemplateFile("templates/view_history.pt")
    limit = 20

    def update(self):
        super().update()
        self.items = []
        if (api.user.is_anonymous() or not self._on_document_view()
                or not api.user.has_permission(VIEW_PERMISSION, obj=self.context)):
            self.available = False
            return
        self.available = True
        try:
            records = audit.search(self.context, uid=self.context.UID(), action=audit.READS, limit=self.limit,
                                   wait=False)
        except Exception:  # noqa: BLE001 - the page still shows when the store is down
            records = []
        names = {}
        self.items = [dict(r, when=audit.local_time(r), fullname=self._name(r.get("userid"), names),
                           action_title=audit.action_title(r.get("action"), self.request),
                           outcome_title=audit.outcome_title(r.get("outcome"), self.request))
                      for r in records]

    def _on_document_view(self):
        """Only on the document's own page, not under its forms (phiếu giải quyết, review …)."""
        state = self.context.restrictedTraverse("@@plone_context_state", None)
        return bool(state is not None and state.is_view_template())

    @staticmethod
    def _name(userid, cache):
        """The person's full name (the user id only for an account that no longer exists)."""
        if not userid:
            return ""
        if userid not in cache:
            user = api.user.get(userid=userid)
            cache[userid] = (user.getProperty("fullname", "") if user is not None else "") or userid
        return cache[userid]

    def render(self):
        return self.index() if self.available else ""


