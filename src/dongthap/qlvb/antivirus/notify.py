"""Notify the security officers of an incident (e-mail; the on-site notice is a viewlet).

Recipients: the members of the agency's ``QlvbSecurityOfficer`` group; for an
incident without an agency, the provincial administrators.  Mail goes through
Plone's MailHost with ``immediate=True``: the request's transaction is usually
about to be aborted (the upload is refused), and a queued mail would be
dropped with it.  Nothing here may turn a refusal into an acceptance: every
error is logged and swallowed by the caller.
"""

from __future__ import annotations

import logging
from email.message import EmailMessage

from dongthap.qlvb.antivirus import incidents
from dongthap.qlvb.i18n import _
from zope.i18n import translate

logger = logging.getLogger("dongthap.qlvb.antivirus")

KIND_TITLES = {
    incidents.INFECTED: _("incident_kind_infected", default="Malware found, file refused"),
    incidents.NOT_SCANNED: _("incident_kind_not_scanned", default="Not scanned, file refused"),
    incidents.ACCEPTED_UNSCANNED: _(
        "incident_kind_accepted_unscanned", default="Accepted without a virus scan"
    ),
    incidents.DEGRADED_ON: _("incident_kind_degraded_on", default="Degraded mode switched on"),
    incidents.DEGRADED_OFF: _("incident_kind_degraded_off", default="Degraded mode switched off"),
    incidents.EXCHANGE_FORGERY: _(
        "incident_kind_exchange_forgery",
        default="Exchange package refused: its sender may not change this document",
    ),
    incidents.ACCOUNT_LOCKED: _("incident_kind_account_locked", default="Account locked"),
    incidents.ACCOUNT_COMPROMISED: _("incident_kind_account_compromised",
                                     default="Account reported lost: disabled, every session ended"),
}
STATE_TITLES = {
    incidents.NEW: _("incident_state_new", default="New"),
    incidents.IN_PROGRESS: _("incident_state_in_progress", default="Being handled"),
    incidents.RESOLVED: _("incident_state_resolved", default="Handled"),
}


def recipients(agency):
    """E-mail addresses of the officers responsible for *agency* (None: province)."""
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R
    from plone import api

    if agency is not None:
        gid = agencies.group_id(agency, R.SECURITY_OFFICER)
    else:
        gid = R.PROVINCE_ADMIN_GROUP
    if not gid:
        return []
    group = api.group.get(groupname=gid)
    if group is None:
        return []
    emails = []
    for member in group.getGroupMembers():
        email = member.getProperty("email") or ""
        if "@" in email and email not in emails:
            emails.append(email)
    return sorted(emails)


def _text(site, incident, language="vi"):
    def tr(msg):
        return translate(msg, target_language=language)

    labels = (
        ("filename", _("col_av_filename", default="File")),
        ("signature", _("col_av_signature", default="Signature")),
        ("reason", _("col_av_reason", default="Reason")),
        ("size", _("col_av_size", default="Size (bytes)")),
        ("sha256", _("col_av_sha256", default="SHA-256")),
        ("userid", _("col_av_user", default="User")),
        ("when", _("col_av_when", default="Time")),
        ("path_of_entry", _("col_av_entry", default="Path of entry")),
        ("agency_title", _("col_av_agency", default="Agency")),
        ("location", _("col_av_location", default="Location")),
    )
    lines = [tr(KIND_TITLES.get(incident["kind"], incident["kind"])), ""]
    for key, label in labels:
        value = incident.get(key)
        if value not in (None, ""):
            lines.append(f"{tr(label)}: {value}")
    lines += ["", f"{site.absolute_url()}/@@su-co-attt"]
    return "\n".join(lines)


def notify_officers(site, incident, agency):
    """Send the incident by e-mail when a MailHost with a sender is configured."""
    from dongthap.qlvb.antivirus.settings import settings_values
    from plone import api

    if not settings_values().get("notify_email", True):
        return []
    to = recipients(agency)
    if not to:
        return []
    try:
        mailhost = api.portal.get_tool("MailHost")
    except Exception:
        return []
    sender = api.portal.get_registry_record("plone.email_from_address", default="") or ""
    if not sender or not getattr(mailhost, "smtp_host", "localhost"):
        logger.warning("antivirus: no e-mail sender configured; officers not e-mailed")
        return []
    subject = translate(
        _(
            "mail_av_subject",
            default="[Security incident] ${kind}: ${filename}",
            mapping={
                "kind": translate(
                    KIND_TITLES.get(incident["kind"], incident["kind"]), target_language="vi"
                ),
                "filename": incident.get("filename") or "",
            },
        ),
        target_language="vi",
    )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(to)
    message.set_content(_text(site, incident), charset="utf-8")
    try:
        mailhost.send(message, immediate=True, charset="utf-8")
    except Exception:
        logger.exception("antivirus: e-mail to %s failed", to)
        return []
    return to
