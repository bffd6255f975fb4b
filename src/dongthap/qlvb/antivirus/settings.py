"""Configuration of the antivirus service: registry records, overridden by the environment.

The control panel "Quét virus" edits the records of :class:`IAntivirusSettings`
(prefix ``dongthap.qlvb.antivirus``).  Environment variables of the Zope
process win over the registry, so that ``make start`` and the test suite can
point the site at their private clamd without touching the database
(``QLVB_CLAMD``, ``QLVB_CLAMD_TIMEOUT``, ``QLVB_CLAMD_MAX_SIZE``,
``QLVB_CLAMD_ENABLED``: see :data:`SETTINGS` and ``docs/settings.md``).

Degraded mode is deliberately *not* settable from the environment: it is
switched in the control panel (or the registry), and every switch is logged
and recorded as an incident with who and when.
"""

from __future__ import annotations

import logging

from dongthap.qlvb.antivirus.scanner import MB, ScannerConfig
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import Setting, SettingsGroup, boolean, positive_number, size
from zope import schema
from zope.interface import Interface

logger = logging.getLogger("dongthap.qlvb.antivirus")

PREFIX = "dongthap.qlvb.antivirus"
ENV_ADDRESS = "QLVB_CLAMD"
ENV_TIMEOUT = "QLVB_CLAMD_TIMEOUT"
ENV_MAX_SIZE = "QLVB_CLAMD_MAX_SIZE"
ENV_ENABLED = "QLVB_CLAMD_ENABLED"
DEFAULT_ADDRESS = "/run/clamav/clamd.ctl"


class IAntivirusSettings(Interface):
    """Registry records of the antivirus service (control panel "Quét virus")."""

    enabled = schema.Bool(
        title=_("label_av_enabled", default="Scan every uploaded file"),
        description=_(
            "help_av_enabled",
            default="Switching scanning off lets files in without a scan; every such file "
            "is recorded as an incident.",
        ),
        default=True,
        required=False,
    )
    clamd_address = schema.TextLine(
        title=_("label_av_address", default="Address of clamd"),
        description=_(
            "help_av_address",
            default="unix:///path/to/clamd.sock or tcp://host:port. The environment "
            "variable QLVB_CLAMD overrides this value.",
        ),
        default=DEFAULT_ADDRESS,
        required=True,
    )
    timeout = schema.Int(
        title=_("label_av_timeout", default="Time limit of one scan (seconds)"),
        default=60,
        min=1,
        max=3600,
        required=True,
    )
    max_size_mb = schema.Int(
        title=_("label_av_max_size", default="Largest file that is scanned (MB)"),
        description=_(
            "help_av_max_size",
            default="Must be smaller than StreamMaxLength of clamd. Larger files are refused.",
        ),
        default=50,
        min=1,
        max=1900,
        required=True,
    )
    degraded = schema.Bool(
        title=_("label_av_degraded", default="Degraded mode"),
        description=_(
            "help_av_degraded",
            default="Only while the antivirus service is being repaired: files that cannot "
            "be scanned are accepted and recorded as incidents. Infected files are always "
            "refused. Every switch is logged with who and when.",
        ),
        default=False,
        required=False,
    )
    degraded_reason = schema.TextLine(
        title=_("label_av_degraded_reason", default="Reason for degraded mode"),
        default="",
        required=False,
    )
    degraded_by = schema.TextLine(
        title=_("label_av_degraded_by", default="Degraded mode switched by"),
        default="",
        required=False,
    )
    degraded_since = schema.TextLine(
        title=_("label_av_degraded_since", default="Degraded mode switched at"),
        default="",
        required=False,
    )
    rescan_on_download = schema.Bool(
        title=_("label_av_rescan", default="Scan files again before download"),
        default=False,
        required=False,
    )
    notify_email = schema.Bool(
        title=_("label_av_notify_email", default="E-mail incidents to the security officers"),
        default=True,
        required=False,
    )


SETTINGS = SettingsGroup("Antivirus", interface=IAntivirusSettings, prefix=PREFIX, settings=(
    Setting(ENV_ADDRESS, record="clamd_address",
            shown_default="`unix://…/var/clamd/clamd.sock` (set by `make`)",
            doc="clamd address, `unix:///path`, `/path` or `tcp://host:port`; overrides the "
                "\"Quét virus\" control panel."),
    Setting(ENV_TIMEOUT, record="timeout", parse=positive_number, doc="Time limit of one scan (seconds)."),
    Setting(ENV_MAX_SIZE, record="max_size_mb", parse=size, shown_default="`50` MB (control panel)",
            doc="Largest file scanned, bytes or with `K`/`M` (`50M`); keep it below clamd's "
                "`StreamMaxLength`; larger files are refused."),
    Setting(ENV_ENABLED, record="enabled", parse=boolean,
            doc="`0` stores files **without** a scan, logged as incidents — for emergencies only; degraded "
                "mode is switched in the control panel, never from the environment."),
))


def _registry_settings():
    """The registry proxy, or None outside a site / before the profile ran."""
    return SETTINGS.proxy()


def normalize_address(address: str) -> str:
    """``unix:///p`` -> ``/p``; ``tcp://h:p`` and paths unchanged."""
    address = (address or "").strip()
    if address.startswith("unix://"):
        return address[len("unix://") :]
    return address


def settings_values() -> dict:
    """Effective settings (registry, then environment) and where each came from.

    :raises SettingError: an environment variable holds a value that is not valid.
    """
    proxy = _registry_settings()
    values, sources = SETTINGS.read(proxy)
    if sources["max_size_mb"] == ENV_MAX_SIZE:  # the variable gives bytes, the record MB
        values["max_stream_size"] = values["max_size_mb"]
        values["max_size_mb"] = SETTINGS.registry_values(proxy)["max_size_mb"]
    else:
        values["max_stream_size"] = int(values["max_size_mb"]) * MB
    values["sources"] = sources
    return values


def get_config() -> ScannerConfig:
    """The :class:`ScannerConfig` in force now (read on every call: cheap)."""
    values = settings_values()
    return ScannerConfig(
        address=normalize_address(values["clamd_address"]) or DEFAULT_ADDRESS,
        timeout=float(values["timeout"]),
        connect_timeout=min(5.0, float(values["timeout"])),
        max_stream_size=int(values["max_stream_size"]),
        enabled=bool(values["enabled"]),
        degraded=bool(values["degraded"]),
    )
