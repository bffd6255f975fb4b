"""Settings of notifications and reminders: environment variables only (see ``docs/settings.md``)."""

from __future__ import annotations

from pathlib import Path

from dongthap.qlvb.utils.settings import Setting, SettingsGroup, positive_int

ENV_QUEUE_DIR = "QLVB_MAIL_QUEUE_DIR"
ENV_PUBLIC_URL = "QLVB_PUBLIC_URL"
ENV_DUE_SOON_DAYS = "QLVB_REMINDER_DUE_SOON_DAYS"
ENV_REMINDER_HOUR = "QLVB_REMINDER_HOUR"

SETTINGS = SettingsGroup("Notifications and reminders", settings=(
    Setting(ENV_QUEUE_DIR, default="", shown_default="`var/mailqueue`",
            doc="Maildir of the e-mail queue: notification mail is written there when the "
                "transaction of its action commits, and sent (retried until the SMTP server of "
                "Plone's MailHost takes it) by the worker's rounds."),
    Setting(ENV_PUBLIC_URL, default="",
            shown_default="the site's URL as the request (or the worker) sees it",
            doc="Address of the site in the links of notification e-mail, e.g. "
                "`https://qlvb.dongthap.gov.vn/qlvb`."),
    Setting(ENV_DUE_SOON_DAYS, parse=positive_int, default=2,
            doc="A deadline this many days away or nearer is \"due soon\": its assignees get a "
                "reminder each day until it is met or overdue."),
    Setting(ENV_REMINDER_HOUR, parse=positive_int, default=7,
            doc="Hour (Vietnam time, 0–23) from which the daily reminder job runs on the "
                "worker's rounds (once per site and day)."),
))


def queue_dir() -> Path:
    value = SETTINGS.value(ENV_QUEUE_DIR)
    if value:
        return Path(value)
    try:
        from App.config import getConfiguration

        home = getattr(getConfiguration(), "clienthome", None)
    except Exception:  # noqa: BLE001
        home = None
    if home and (Path(home) / "filestorage").is_dir():
        return Path(home) / "mailqueue"
    return Path.cwd() / "var" / "mailqueue"


def public_url() -> str:
    return (SETTINGS.value(ENV_PUBLIC_URL) or "").rstrip("/")


def due_soon_days() -> int:
    return int(SETTINGS.value(ENV_DUE_SOON_DAYS))


def reminder_hour() -> int:
    return int(SETTINGS.value(ENV_REMINDER_HOUR))
