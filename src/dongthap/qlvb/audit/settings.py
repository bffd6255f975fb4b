"""Settings of the audit trail: environment variables only (see ``docs/settings.md``)."""

from __future__ import annotations

from pathlib import Path

from dongthap.qlvb.utils.settings import Setting, SettingsGroup, boolean, positive_int

ENV_ENABLED = "QLVB_AUDIT_ENABLED"
ENV_DSN = "QLVB_AUDIT_DSN"
ENV_DIR = "QLVB_AUDIT_DIR"
ENV_RETENTION = "QLVB_AUDIT_RETENTION_DAYS"
ENV_PROXIES = "QLVB_AUDIT_TRUSTED_PROXIES"

SETTINGS = SettingsGroup("Audit trail", settings=(
    Setting(ENV_ENABLED, parse=boolean, default=True,
            doc="`0` writes no audit records (benchmarks only; the audit trail is required by QĐ 595)."),
    Setting(ENV_DSN, default="", shown_default="`QLVB_RELSTORAGE_DSN` when set",
            doc="libpq DSN of the PostgreSQL database holding the audit trail (table `qlvb_audit`); "
                "when neither it nor `QLVB_RELSTORAGE_DSN` is set, the trail is JSON lines under "
                "`QLVB_AUDIT_DIR`."),
    Setting(ENV_DIR, default="", shown_default="`var/audit`",
            doc="Folder of the file store of the audit trail (one `audit-YYYYMM.jsonl` per month, "
                "`head.json`, `anchor.json`)."),
    Setting(ENV_RETENTION, parse=positive_int, default=3650,
            doc="Days an audit record is kept; `scripts/audit_verify.py --purge` removes older ones, "
                "leaving an anchor so the rest of the chain still verifies."),
    Setting(ENV_PROXIES, default="127.0.0.1 ::1",
            doc="Addresses of the reverse proxies (space or comma separated) whose `X-Forwarded-For` "
                "is believed for the client address of audit records; from any other peer the header "
                "is ignored."),
))


def enabled() -> bool:
    return bool(SETTINGS.value(ENV_ENABLED))


def dsn() -> str:
    from dongthap.qlvb.utils import deployment

    return (SETTINGS.value(ENV_DSN) or deployment.SETTINGS.value("QLVB_RELSTORAGE_DSN") or "").strip()


def directory() -> Path:
    value = SETTINGS.value(ENV_DIR)
    if value:
        return Path(value)
    try:
        from App.config import getConfiguration

        home = getattr(getConfiguration(), "clienthome", None)
    except Exception:  # noqa: BLE001
        home = None
    if home and (Path(home) / "filestorage").is_dir():
        return Path(home) / "audit"
    return Path.cwd() / "var" / "audit"


def retention_days() -> int:
    return int(SETTINGS.value(ENV_RETENTION))


def trusted_proxies() -> frozenset:
    raw = SETTINGS.value(ENV_PROXIES) or ""
    return frozenset(part for part in raw.replace(",", " ").split() if part)
