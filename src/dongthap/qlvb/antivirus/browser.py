"""Views of the antivirus service.

* ``@@quet-virus`` (site root, permission *Manage antivirus*): the control
  panel "Quét virus" - clamd reachability, version, signature date, the
  settings and a "scan test" button (EICAR built in memory).
* ``@@su-co-attt`` (site root: all incidents; an agency: that agency's
  incidents; permission *View security incidents*, which the agency's
  security officer holds there as a local role) with CSV/XLSX export
  (``?export=csv`` / ``?export=xlsx``).
* The viewlet with the degraded-mode banner (administrators) and the notice
  of new incidents (security officers).
"""

from __future__ import annotations

import csv
import io
import logging
import time

from dongthap.qlvb.antivirus import incidents, scanner
from dongthap.qlvb.antivirus.notify import KIND_TITLES, STATE_TITLES
from dongthap.qlvb.antivirus.settings import (
    PREFIX,
    IAntivirusSettings,
    get_config,
    settings_values,
)
from dongthap.qlvb.i18n import _
from plone import api
from plone.app.layout.viewlets import ViewletBase
from plone.app.registry.browser.controlpanel import ControlPanelFormWrapper, RegistryEditForm
from plone.base.interfaces import IPloneSiteRoot
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from z3c.form import button
from zope.i18n import translate

logger = logging.getLogger("dongthap.qlvb.antivirus")

MANAGE_PERMISSION = "dongthap.qlvb: Manage antivirus"
VIEW_INCIDENTS_PERMISSION = "dongthap.qlvb: View security incidents"
HANDLE_INCIDENTS_PERMISSION = "dongthap.qlvb: Manage security incidents"


def clamd_status(config=None):
    """Reachability, version and signature DB of the clamd in force."""
    values = settings_values()
    try:
        config = config or get_config()
    except Exception as exc:
        return {"reachable": False, "address": values.get("clamd_address"), "error": repr(exc),
                "engine": None, "db_version": None, "db_date": None, "values": values}
    started = time.monotonic()
    reachable = scanner.ping(config)
    info = scanner.version(config) if reachable else None
    return {
        "reachable": reachable,
        "address": config.address,
        "address_source": values["sources"].get("clamd_address"),
        "engine": info.engine if info else None,
        "db_version": info.db_version if info else None,
        "db_date": info.db_date.isoformat() if info and info.db_date else None,
        "raw_version": info.raw if info else None,
        "ms": int((time.monotonic() - started) * 1000),
        "enabled": config.enabled,
        "degraded": config.degraded,
        "degraded_by": values.get("degraded_by") or "",
        "degraded_since": values.get("degraded_since") or "",
        "degraded_reason": values.get("degraded_reason") or "",
        "max_stream_size": config.max_stream_size,
        "timeout": config.timeout,
        "values": values,
    }


def scan_test(config=None):
    """Scan EICAR (built in memory) and say whether clamd detected it."""
    config = config or get_config()
    result = scanner.scan_bytes(scanner.eicar_bytes(), "eicar-test.com", config)
    return {
        "ok": result.infected,
        "status": result.status,
        "signature": result.signature,
        "reason": result.reason,
        "detail": result.detail,
        "ms": int(result.duration * 1000),
    }


# --------------------------------------------------------------------------
# Control panel


class AntivirusSettingsForm(RegistryEditForm):
    schema = IAntivirusSettings
    schema_prefix = PREFIX
    label = _("heading_av_controlpanel", default="Virus scanning")
    description = _(
        "help_av_controlpanel",
        default="Every file that enters the system is scanned by ClamAV before it is stored.",
    )
    scan_test_result = None

    buttons = RegistryEditForm.buttons.copy()
    handlers = RegistryEditForm.handlers.copy()

    def updateFields(self):
        super().updateFields()
        self.fields = self.fields.omit("degraded_by", "degraded_since")

    @button.buttonAndHandler(_("button_av_scan_test", default="Scan test (EICAR)"), name="scan_test")
    def handle_scan_test(self, action):
        self.scan_test_result = scan_test()


class AntivirusControlPanel(ControlPanelFormWrapper):
    form = AntivirusSettingsForm
    index = ViewPageTemplateFile("templates/controlpanel.pt")

    def status(self):
        return clamd_status()

    def test_result(self):
        return getattr(self.form_instance, "scan_test_result", None)


# --------------------------------------------------------------------------
# Incidents


def incidents_for(context, limit=None, start=0):
    """Incidents visible in *context*: all at the site root, one agency's on an agency."""
    site = api.portal.get()
    log = incidents.get_log(site)
    if log is None:
        return []
    if IPloneSiteRoot.providedBy(context):
        return log.query(limit=limit, start=start)
    return log.query(agency_uids=[api.content.get_uuid(context)], limit=limit, start=start)


def count_for(context, since=0):
    log = incidents.get_log(api.portal.get())
    if log is None:
        return 0
    if IPloneSiteRoot.providedBy(context):
        return log.count(since=since)
    return log.count(agency_uids=[api.content.get_uuid(context)], since=since)


def kind_title(kind, request):
    return translate(KIND_TITLES.get(kind, kind), context=request)


COLUMN_TITLES = {
    "id": _("col_av_id", default="No."),
    "when": _("col_av_when", default="Time"),
    "kind": _("col_av_kind", default="Incident"),
    "userid": _("col_av_user", default="User"),
    "filename": _("col_av_filename", default="File"),
    "size": _("col_av_size", default="Size (bytes)"),
    "sha256": _("col_av_sha256", default="SHA-256"),
    "signature": _("col_av_signature", default="Signature"),
    "reason": _("col_av_reason", default="Reason"),
    "path_of_entry": _("col_av_entry", default="Path of entry"),
    "agency_uid": _("col_av_agency_uid", default="Agency UID"),
    "agency_code": _("col_av_agency_code", default="Agency code"),
    "agency_title": _("col_av_agency", default="Agency"),
    "location": _("col_av_location", default="Location"),
    "detail": _("col_av_detail", default="Technical detail"),
    "state": _("col_av_state", default="State"),
}


def export_rows(items, request):
    header = [translate(COLUMN_TITLES[name], context=request) for name in incidents.FIELDS]
    rows = []
    for item in items:
        row = []
        for name in incidents.FIELDS:
            value = item.get(name)
            if name == "kind":
                value = kind_title(value, request)
            elif name == "state":
                value = translate(STATE_TITLES[value or incidents.NEW], context=request)
            row.append("" if value is None else value)
        rows.append(row)
    return header, rows


def _safe_cell(value):
    """Neutralise spreadsheet formulas in user-controlled text (file names)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


class IncidentsView(BrowserView):
    """"Sự cố an toàn thông tin": the incident list of the site or of one agency."""

    index = ViewPageTemplateFile("templates/incidents.pt")
    page_size = 100

    def __call__(self):
        if self.request.method == "POST" and self.request.form.get("incident"):
            self.handle()
        export = self.request.form.get("export")
        if export == "csv":
            return self.export_csv()
        if export == "xlsx":
            return self.export_xlsx()
        items = self.items()
        if items:
            userid = api.user.get_current().getId()
            incidents.mark_seen(api.portal.get(), userid, max(i["id"] for i in items))
        return self.index()

    def start(self):
        try:
            return max(0, int(self.request.form.get("b_start", 0)))
        except ValueError:
            return 0

    def items(self):
        if not hasattr(self, "_items"):
            self._items = incidents_for(self.context, limit=self.page_size, start=self.start())
        return self._items

    def total(self):
        return count_for(self.context)

    def is_site(self):
        return IPloneSiteRoot.providedBy(self.context)

    def can_handle(self):
        return api.user.has_permission(HANDLE_INCIDENTS_PERMISSION, obj=self.context)

    def states(self):
        return [(state, translate(STATE_TITLES[state], context=self.request)) for state in incidents.STATES]

    def state_title(self, state):
        return translate(STATE_TITLES[state or incidents.NEW], context=self.request)

    def handle(self):
        """POST: a new state and/or a note for one incident of this page (its agency, or any at the root)."""
        from dongthap.qlvb.audit.log import log as audit
        from plone.protect import CheckAuthenticator
        from zExceptions import BadRequest, Unauthorized

        CheckAuthenticator(self.request)
        if not self.can_handle():
            raise Unauthorized("handle incidents")
        form = self.request.form
        try:
            key = int(form.get("incident"))
        except (TypeError, ValueError):
            raise BadRequest(translate(_("error_incident_unknown", default="No such incident."),
                                       context=self.request)) from None
        site = api.portal.get()
        log = incidents.get_log(site)
        stored = log.items.get(key) if log is not None else None
        here = None if self.is_site() else api.content.get_uuid(self.context)
        if stored is None or (here is not None and stored.get("agency_uid") != here):
            raise BadRequest(translate(_("error_incident_unknown", default="No such incident."),
                                       context=self.request))
        state = form.get("state") or None
        if state is not None and state not in incidents.STATES:
            raise BadRequest(translate(_("error_incident_state", default="Unknown state."),
                                       context=self.request))
        note = (form.get("note") or "").strip()[:4000]
        incident = log.handle(key, state=state, note=note, userid=api.user.get_current().getId())
        audit("incident_changed", None if self.is_site() else self.context,
              detail={"incident": key, "kind": incident.get("kind"), "state": incident.get("state"),
                      "note": note or None})
        api.portal.show_message(_("msg_incident_saved", default="The incident was updated."), self.request)

    def kind_title(self, kind):
        return kind_title(kind, self.request)

    def export_csv(self):
        header, rows = export_rows(incidents_for(self.context), self.request)
        out = io.StringIO()
        out.write("\ufeff")  # Excel opens UTF-8 with Vietnamese correctly
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([_safe_cell(value) for value in row])
        response = self.request.response
        response.setHeader("Content-Type", "text/csv; charset=utf-8")
        response.setHeader("Content-Disposition", 'attachment; filename="su-co-attt.csv"')
        return out.getvalue().encode("utf-8")

    def export_xlsx(self):
        from openpyxl import Workbook

        header, rows = export_rows(incidents_for(self.context), self.request)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("Su co ATTT")
        sheet.append(header)
        for row in rows:
            sheet.append([_safe_cell(value) for value in row])
        out = io.BytesIO()
        book.save(out)
        response = self.request.response
        response.setHeader(
            "Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response.setHeader("Content-Disposition", 'attachment; filename="su-co-attt.xlsx"')
        return out.getvalue()


# --------------------------------------------------------------------------
# Banner / notice


class AntivirusNoticeViewlet(ViewletBase):
    """Degraded-mode banner for administrators; new incidents for security officers."""

    index = ViewPageTemplateFile("templates/notice.pt")

    def update(self):
        super().update()
        self.degraded = None
        self.new_incidents = 0
        self.incidents_url = ""
        if api.user.is_anonymous():
            return
        site = api.portal.get()
        if api.user.has_permission(MANAGE_PERMISSION, obj=site):
            values = settings_values()
            if values.get("degraded") or not values.get("enabled"):
                self.degraded = values
        from dongthap.qlvb.agencies.api import get_agency

        target = get_agency(self.context)
        if target is None and IPloneSiteRoot.providedBy(self.context):
            target = site
        if target is None or not api.user.has_permission(VIEW_INCIDENTS_PERMISSION, obj=target):
            return
        log = incidents.get_log(site)
        if log is None:
            return
        since = log.seen.get(api.user.get_current().getId(), 0)
        self.new_incidents = count_for(target, since=since)
        self.incidents_url = f"{target.absolute_url()}/@@su-co-attt"

    def available(self):
        return bool(self.degraded) or self.new_incidents > 0


# --------------------------------------------------------------------------
# Degraded mode: every switch is logged and recorded, whoever made it


def degraded_switched(event):
    """IRecordModifiedEvent: stamp who/when and record an incident on switches."""
    record = getattr(event, "record", None)
    if record is None or record.__name__ != f"{PREFIX}.degraded":
        return
    if bool(event.oldValue) == bool(event.newValue):
        return
    from dongthap.qlvb.antivirus.api import _userid
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    registry = getUtility(IRegistry)
    userid = _userid()
    when = incidents.now_iso()
    registry[f"{PREFIX}.degraded_by"] = userid
    registry[f"{PREFIX}.degraded_since"] = when
    reason = registry.get(f"{PREFIX}.degraded_reason") or ""
    kind = incidents.DEGRADED_ON if event.newValue else incidents.DEGRADED_OFF
    logger.warning(
        "antivirus DEGRADED MODE %s by %s at %s (reason: %s)",
        "ON" if event.newValue else "OFF",
        userid,
        when,
        reason,
    )
    try:
        site = api.portal.get()
    except Exception:
        return
    incidents.record(
        site, kind=kind, userid=userid, when=when, reason=reason, path_of_entry="controlpanel"
    )


# --------------------------------------------------------------------------
# Optional rescan before download


class _RescanMixin:
    """Scan the file again before it is streamed (setting "rescan_on_download")."""

    def __call__(self):
        if not settings_values().get("rescan_on_download"):
            return super().__call__()
        from dongthap.qlvb.antivirus.api import check_file
        from dongthap.qlvb.antivirus.scanner import AntivirusError

        file = self._getFile()
        try:
            check_file(
                file,
                getattr(file, "filename", None),
                path_of_entry="download",
                context=self.context,
                request=self.request,
            )
        except AntivirusError as exc:
            response = self.request.response
            response.setStatus(403)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return translate(exc.message, context=self.request)
        return super().__call__()


try:  # plone.namedfile is part of Plone; keep the import local to this feature
    from plone.namedfile.browser import DisplayFile as _DisplayFile
    from plone.namedfile.browser import Download as _Download

    class RescanDownload(_RescanMixin, _Download):
        """``@@download`` that rescans when configured."""

    class RescanDisplayFile(_RescanMixin, _DisplayFile):
        """``@@display-file`` that rescans when configured."""

except ImportError:  # pragma: no cover
    pass
