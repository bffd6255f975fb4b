"""Settings of the exchange (control panel "Liên thông văn bản") and the transport they build.

Registry records (prefix ``dongthap.qlvb.exchange``) hold everything except
the axis secret: the secret is read from an environment variable (default
``QLVB_AXIS_SECRET``) or from a file outside the ZODB; it is never stored in
the database, never shown and never logged.  Environment variables of the
process win over the registry (as for the antivirus):

``QLVB_EXCHANGE_TRANSPORT`` (``none``/``axis``/``directory``), ``QLVB_AXIS_URL``,
``QLVB_AXIS_SYSTEM_ID``, ``QLVB_AXIS_SECRET`` (or the variable named in the
settings), ``QLVB_AXIS_SECRET_FILE``, ``QLVB_EXCHANGE_DIR`` (base folder of
the directory transport: ``outbox/``, ``inbox/``, ``done/``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from dongthap.qlvb.i18n import _
from zope import schema
from zope.interface import Interface

from .queue import BackoffPolicy

logger = logging.getLogger("dongthap.qlvb.exchange")

PREFIX = "dongthap.qlvb.exchange"
ENV_TRANSPORT = "QLVB_EXCHANGE_TRANSPORT"
ENV_URL = "QLVB_AXIS_URL"
ENV_SYSTEM = "QLVB_AXIS_SYSTEM_ID"
ENV_SECRET_FILE = "QLVB_AXIS_SECRET_FILE"
ENV_DIR = "QLVB_EXCHANGE_DIR"
DEFAULT_SECRET_ENV = "QLVB_AXIS_SECRET"


class IExchangeSettings(Interface):
    """Registry records of the exchange with the national axis."""

    transport = schema.Choice(
        title=_("label_exchange_transport", default="Transport"),
        description=_("help_exchange_transport",
                      default="How packages travel: the national axis over HTTP, drop folders, "
                              "or not at all."),
        values=("none", "axis", "directory"),
        default="none",
        required=True,
    )
    axis_url = schema.TextLine(
        title=_("label_axis_url", default="Address of the axis API"),
        description=_("help_axis_url", default="E.g. https://truc.example.gov.vn/api"),
        required=False,
        default="",
    )
    axis_system_id = schema.TextLine(
        title=_("label_axis_system_id", default="System id on the axis"),
        required=False,
        default="",
    )
    axis_secret_env = schema.ASCIILine(
        title=_("label_axis_secret_env", default="Environment variable holding the secret"),
        description=_("help_axis_secret_env",
                      default="The secret is never stored in the database: give the name of an "
                              "environment variable of the Zope process, or a file below."),
        required=False,
        default=DEFAULT_SECRET_ENV,
    )
    axis_secret_file = schema.TextLine(
        title=_("label_axis_secret_file", default="File holding the secret"),
        description=_("help_axis_secret_file",
                      default="Path of a file readable by the Zope process only (outside the database)."),
        required=False,
        default="",
    )
    axis_paths = schema.Text(
        title=_("label_axis_paths", default="Operation paths (JSON)"),
        description=_("help_axis_paths",
                      default="Optional, e.g. {\"sendEdoc\": \"/edoc/send\"}; default /<operation>."),
        required=False,
        default="",
    )
    axis_verify_tls = schema.Bool(
        title=_("label_axis_verify_tls", default="Check the TLS certificate of the axis"),
        required=False,
        default=True,
    )
    directory_path = schema.TextLine(
        title=_("label_exchange_directory", default="Exchange folder (directory transport)"),
        description=_("help_exchange_directory",
                      default="Folder with outbox/, inbox/ and done/ sub-folders."),
        required=False,
        default="",
    )
    poll_interval = schema.Int(
        title=_("label_poll_interval", default="Seconds between two rounds of the worker"),
        required=False,
        default=30,
        min=1,
    )
    backoff_base = schema.Int(
        title=_("label_backoff_base", default="First retry after (seconds)"),
        required=False,
        default=30,
        min=1,
    )
    backoff_max = schema.Int(
        title=_("label_backoff_max", default="Longest wait between retries (seconds)"),
        required=False,
        default=3600,
        min=1,
    )
    max_attempts = schema.Int(
        title=_("label_max_attempts", default="Attempts before a package is marked failed"),
        required=False,
        default=60,
        min=1,
    )


def _registry():
    try:
        from plone.registry.interfaces import IRegistry
        from zope.component import queryUtility

        registry = queryUtility(IRegistry)
        return registry.forInterface(IExchangeSettings, prefix=PREFIX, check=False) if registry else None
    except Exception:  # noqa: BLE001 - records missing: defaults + environment
        return None


def values() -> dict:
    """Effective settings (registry, then environment); never contains the secret."""
    proxy = _registry()
    out = {}
    for name in IExchangeSettings.names():
        default = IExchangeSettings[name].default
        try:
            value = getattr(proxy, name) if proxy is not None else default
        except (KeyError, AttributeError):
            value = default
        out[name] = default if value is None else value
    env = os.environ
    for key, name in ((ENV_TRANSPORT, "transport"), (ENV_URL, "axis_url"),
                      (ENV_SYSTEM, "axis_system_id"), (ENV_SECRET_FILE, "axis_secret_file"),
                      (ENV_DIR, "directory_path")):
        if env.get(key, "").strip():
            out[name] = env[key].strip()
    return out


def read_secret(config: dict | None = None) -> str:
    """The axis secret from the environment or the secret file; "" when none."""
    config = config or values()
    name = (config.get("axis_secret_env") or DEFAULT_SECRET_ENV).strip()
    secret = os.environ.get(name, "")
    if secret:
        return secret
    path = (config.get("axis_secret_file") or "").strip()
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            logger.error("exchange: cannot read the axis secret file %s: %s", path, type(exc).__name__)
    return ""


def secret_configured() -> bool:
    return bool(read_secret())


def policy(config: dict | None = None) -> BackoffPolicy:
    config = config or values()
    return BackoffPolicy(base=float(config["backoff_base"]), maximum=float(config["backoff_max"]),
                         max_attempts=int(config["max_attempts"]))


def get_transport(config: dict | None = None):
    """The configured transport, or None when the exchange is switched off or incomplete."""
    from .transports import AxisHttpTransport, DirectoryTransport
    from .transports.axis_http import DEFAULT_MAX_RESPONSE

    config = config or values()
    kind = config.get("transport") or "none"
    if kind == "axis":
        url, system_id, secret = config.get("axis_url"), config.get("axis_system_id"), read_secret(config)
        if not (url and system_id and secret):
            logger.warning("exchange: the axis transport lacks its address, system id or secret")
            return None
        paths = {}
        if (config.get("axis_paths") or "").strip():
            try:
                paths = json.loads(config["axis_paths"])
            except ValueError:
                logger.error("exchange: the operation paths are not valid JSON; using the defaults")
        # getEdoc answers the package in base64 inside JSON: room for the one package limit.
        max_response = max(DEFAULT_MAX_RESPONSE, max_package_size() * 4 // 3 + 1024 * 1024)
        return AxisHttpTransport(url, system_id, secret, paths=paths or None,
                                 verify=bool(config.get("axis_verify_tls", True)),
                                 max_response_size=max_response)
    if kind == "directory":
        base = (config.get("directory_path") or "").strip()
        if not base:
            return None
        base = Path(base)
        agencies = base / "agencies.json"
        return DirectoryTransport(base / "outbox", base / "inbox", base / "done",
                                  agencies_file=agencies if agencies.exists() else None)
    return None


ENV_MAX_PACKAGE = "QLVB_EXCHANGE_MAX_PACKAGE_MB"
DEFAULT_MAX_PACKAGE_MB = 40


def max_package_mb() -> int:
    """The one size limit of a received edXML package, in MiB (``QLVB_EXCHANGE_MAX_PACKAGE_MB``).

    It bounds the package as received (the XML with its base64 attachments,
    about 4/3 of the files' size): ``@edxml-import`` answers 413 above it and
    the inbox refuses larger packages from the axis with the same limit.
    """
    raw = (os.environ.get(ENV_MAX_PACKAGE) or "").strip()
    try:
        value = int(raw) if raw else DEFAULT_MAX_PACKAGE_MB
    except ValueError:
        logger.warning("exchange: %s=%r is not a whole number of MiB; using %s", ENV_MAX_PACKAGE, raw,
                       DEFAULT_MAX_PACKAGE_MB)
        value = DEFAULT_MAX_PACKAGE_MB
    return value if value > 0 else DEFAULT_MAX_PACKAGE_MB


def max_package_size() -> int:
    """:func:`max_package_mb` in bytes."""
    return max_package_mb() * 1024 * 1024
