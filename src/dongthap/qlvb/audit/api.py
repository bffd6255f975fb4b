"""Reading the audit trail: search (scoped to an agency), export to XLSX, verification.

Who reads it: the permission "dongthap.qlvb: View security incidents", held
by the **security officer of an agency** (role ``QlvbSecurityOfficer``, a local
role on the agency folder granted through the agency's group — named per
agency on the staff page ``can-bo``) for the records of his agency, and by the
**provincial administrator** (global role) for all records.
"""

from __future__ import annotations

import datetime as dt

from dongthap.qlvb.audit import writer
from dongthap.qlvb.audit.store import get_store
from dongthap.qlvb.i18n import _

VN = dt.timezone(dt.timedelta(hours=7))

#: Titles of the actions (others are shown as they are: transitions of the documents' workflows).
ACTION_TITLES = {
    "view": _("audit_view", default="Viewed"),
    "download": _("audit_download", default="Downloaded"),
    "print": _("audit_print", default="Printed"),
    "export": _("audit_export", default="Exported"),
    "create": _("audit_create", default="Created"),
    "edit": _("audit_edit", default="Edited"),
    "modified": _("audit_modified", default="Modified"),
    "sign": _("audit_sign", default="Signed"),
    "exchange_status": _("audit_exchange_status", default="Status received from a recipient"),
    "role_granted": _("audit_role_granted", default="Role granted"),
    "role_removed": _("audit_role_removed", default="Role removed"),
    "local_roles_changed": _("audit_local_roles_changed", default="Access rights changed"),
    "login": _("audit_login", default="Logged in"),
    "logout": _("audit_logout", default="Logged out"),
    "login_failed": _("audit_login_failed", default="Login failed"),
    "account_locked": _("audit_account_locked", default="Account locked"),
    "account_unlocked": _("audit_account_unlocked", default="Account unlocked"),
    "account_compromised": _("audit_account_compromised", default="Account reported lost"),
    "password_changed": _("audit_password_changed", default="Password changed"),
    "second_factor_failed": _("audit_second_factor_failed", default="Second factor failed"),
    "two_factor_policy_changed": _("audit_two_factor_policy_changed",
                                   default="Two-factor login of the agency changed"),
    "incident_changed": _("audit_incident_changed", default="Incident updated"),
    "scenarios_changed": _("audit_scenarios_changed", default="Incident-response scenarios changed"),
    "archive_transfer_proposed": _("audit_archive_transfer_proposed", default="Transfer list prepared"),
    "archive_transfer_approved": _("audit_archive_transfer_approved", default="Transfer approved"),
    "archive_transfer_accepted": _("audit_archive_transfer_accepted", default="Transfer accepted"),
    "archive_transfer_returned": _("audit_archive_transfer_returned", default="Transfer returned"),
    "delegation_created": _("audit_delegation_created", default="Delegation created"),
    "delegation_started": _("audit_delegation_started", default="Delegation in force"),
    "delegation_ended": _("audit_delegation_ended", default="Delegation ended"),
    "delegation_revoked": _("audit_delegation_revoked", default="Delegation revoked"),
    "delegated_sign": _("audit_delegated_sign", default="Signed under a delegation"),
    "delegated_assign": _("audit_delegated_assign", default="Assigned under a delegation"),
    "audit_import": _("audit_audit_import", default="Audit trail imported from an export (import marker)"),
}
OUTCOME_TITLES = {
    "ok": _("audit_outcome_ok", default="done"),
    "refused": _("audit_outcome_refused", default="refused"),
}
#: Reads shown as the view history of a document.
READS = ("view", "download", "print", "export")


def scope_of(context):
    """The agency UIDs whose records *context* shows (None: every record, at the site root)."""
    from dongthap.qlvb.agencies.api import get_agency

    agency = get_agency(context)
    return None if agency is None else [agency.UID()]


def parse_day(text):
    """``dd/mm/yyyy`` (or ISO) → date, None when blank; ValueError when not a date."""
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _bound(day):
    """Start of *day* in Vietnam time, as UTC ISO text (what the records hold)."""
    return dt.datetime.combine(day, dt.time(), VN).astimezone(dt.UTC).isoformat(timespec="microseconds")


def search(context, *, userid=None, action=None, uid=None, day_from=None, day_to=None, limit=200, offset=0,
           wait=True):
    """Records newest first, within the scope of *context*; days are Vietnam dates (inclusive).

    ``wait``: first let the writer write what is queued (at most 2 s), so that the
    search page shows what was just done; the document page's viewlet does not wait.
    """
    if wait:
        writer.flush(2.0)
    return get_store().search(
        agency_uids=scope_of(context), userid=userid or None, action=action or None, uid=uid or None,
        since=_bound(day_from) if day_from else None,
        until=_bound(day_to + dt.timedelta(days=1)) if day_to else None,
        limit=limit, offset=offset)


def local_time(record) -> str:
    """``dd/mm/yyyy hh:mm:ss`` in Vietnam time."""
    try:
        at = dt.datetime.fromisoformat(record["at"])
    except (KeyError, ValueError):
        return ""
    return at.astimezone(VN).strftime("%d/%m/%Y %H:%M:%S")


def action_title(action, request):
    from zope.i18n import translate

    title = ACTION_TITLES.get(action)
    return translate(title, context=request) if title is not None else action


def outcome_title(outcome, request):
    from zope.i18n import translate

    title = OUTCOME_TITLES.get(outcome)
    return translate(title, context=request) if title is not None else outcome


def export_xlsx(records, request, heading) -> bytes:
    """The records as an XLSX sheet (register layout of ``registers/xlsx.py``)."""
    from dongthap.qlvb.registers.columns import Column, Register
    from dongthap.qlvb.registers.formatting import Heading
    from dongthap.qlvb.registers.xlsx import build_xlsx
    from zope.i18n import translate

    def t(message):
        return translate(message, context=request)

    register = Register(
        key="audit", title=t(_("heading_audit", default="Audit trail")), sheet_name="Nhat ky",
        columns=(
            Column("seq", t(_("col_audit_seq", default="No.")), 8),
            Column("at", t(_("col_audit_at", default="Time")), 18),
            Column("userid", t(_("col_audit_user", default="User")), 18),
            Column("client", t(_("col_audit_client", default="From")), 14),
            Column("action", t(_("col_audit_action", default="Action")), 18),
            Column("outcome", t(_("col_audit_outcome", default="Outcome")), 10),
            Column("title", t(_("col_audit_object", default="Object")), 40),
            Column("path", t(_("col_audit_path", default="Path")), 30),
            Column("hash", "SHA-256", 14),
        ),
        basis="", label=_("heading_audit", default="Audit trail"))
    rows = [(str(r.get("seq", "")), local_time(r), r.get("userid") or "", r.get("client") or "",
             action_title(r.get("action"), request), outcome_title(r.get("outcome"), request),
             r.get("title") or "", r.get("path") or "", (r.get("hash") or "")[:16]) for r in records]
    today = dt.datetime.now(VN)
    return build_xlsx(register, rows, Heading(agency_name=heading, period_from=today.date(),
                                              period_to=today.date(), printed_at=today))


def verify():
    """Verify the whole chain of the configured store (a :class:`~dongthap.qlvb.audit.chain.Verification`)."""
    writer.flush()
    return get_store().verify()
