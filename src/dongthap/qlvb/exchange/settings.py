"""Settings of the exchange (control panel "Liên thông văn bản") and the transport they build.

Registry records (prefix ``dongthap.qlvb.exchange``) hold everything except
the axis secret: the secret is read from an environment variable (default
``QLVB_AXIS_SECRET``) or from a file outside the ZODB; it is never stored in
the database, never shown and never logged.  Environment variables of the
process win over the registry: :data:`SETTINGS` declares them (table in
``docs/settings.md``).
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.settings import Setting, SettingError, SettingsGroup, positive_int
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
    # -- wire details of the axis: guesses until the axis operator publishes them
    #    (docs/exchange-axis.md says where each default comes from)
    axis_headers = schema.Text(
        title=_("label_axis_headers", default="Names of the authentication headers (JSON)"),
        description=_("help_axis_headers",
                      default="Optional, e.g. {\"system_id\": \"X-SystemId\", \"signature\": "
                              "\"X-Signature\"}; keys system_id, timestamp, nonce, signature."),
        required=False,
        default="",
    )
    axis_string_to_sign = schema.TextLine(
        title=_("label_axis_string_to_sign", default="String to sign"),
        description=_("help_axis_string_to_sign",
                      default="Template of the signed text: {method}, {path}, {system_id}, {timestamp}, "
                              "{nonce}, {body_hash}; \\n is a line break. Empty: the default."),
        required=False,
        default="",
    )
    axis_signature_encoding = schema.Choice(
        title=_("label_axis_signature_encoding", default="Encoding of the signature"),
        values=("hex", "base64"),
        required=False,
        default="hex",
    )
    axis_extra_headers = schema.Text(
        title=_("label_axis_extra_headers", default="Additional request headers (JSON)"),
        description=_("help_axis_extra_headers", default="Optional, e.g. {\"X-Api-Version\": \"2\"}."),
        required=False,
        default="",
    )
    axis_timeout = schema.Int(
        title=_("label_axis_timeout", default="Time limit of one axis request (seconds)"),
        required=False,
        default=60,
        min=1,
    )
    axis_max_response_mb = schema.Int(
        title=_("label_axis_max_response", default="Largest axis response accepted (MiB)"),
        required=False,
        default=48,
        min=1,
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


_WIRE_DOC = "Wire detail of the axis API (a guess until the axis operator confirms it; " \
            "docs/exchange-axis.md): "
SETTINGS = SettingsGroup("Exchange", interface=IExchangeSettings, prefix=PREFIX, settings=(
    Setting(ENV_TRANSPORT, record="transport",
            doc="`axis` (national axis HTTP API), `directory` (drop folders under `QLVB_EXCHANGE_DIR`) "
                "or `none`."),
    Setting(ENV_URL, record="axis_url", doc="Address of the axis API."),
    Setting(ENV_SYSTEM, record="axis_system_id", doc="This system's id on the axis."),
    Setting(DEFAULT_SECRET_ENV, default="", shown_default="(none)",
            doc="The axis secret (or the variable named in the control panel); never stored in the "
                "database, never shown, never logged."),
    Setting(ENV_SECRET_FILE, record="axis_secret_file",
            doc="File holding the axis secret (outside the database)."),
    Setting(ENV_DIR, record="directory_path",
            doc="Base folder of the directory transport (`outbox/`, `inbox/`, `done/`)."),
    *(Setting(env, record=name, doc=_WIRE_DOC + doc) for env, name, doc in (
        ("QLVB_AXIS_PATHS", "axis_paths", "operation paths (JSON)."),
        ("QLVB_AXIS_HEADERS", "axis_headers", "names of the authentication headers (JSON)."),
        ("QLVB_AXIS_STRING_TO_SIGN", "axis_string_to_sign", "template of the signed text."),
        ("QLVB_AXIS_SIGNATURE_ENCODING", "axis_signature_encoding", "`hex` or `base64`."),
        ("QLVB_AXIS_EXTRA_HEADERS", "axis_extra_headers", "additional request headers (JSON)."),
        ("QLVB_AXIS_TIMEOUT", "axis_timeout", "time limit of one request (seconds)."),
        ("QLVB_AXIS_MAX_RESPONSE_MB", "axis_max_response_mb", "largest answer read (MiB)."),
    )),
    Setting("QLVB_EXCHANGE_MAX_PACKAGE_MB", parse=positive_int, default=40,
            doc="The one size limit of a received edXML package (the XML as received, attachments in "
                "base64, i.e. about 30 MiB of files for 40): `@edxml-import` answers 413 naming the limit, "
                "the inbox refuses larger packages from the axis with status 02. A value that is not a "
                "whole number above 0 is logged and the default used."),
    Setting("QLVB_EXCHANGE_TOKEN_FILE", default="", shown_default="`<var>/exchange-worker.token`",
            doc="Token file shared by the web process and the exchange worker (tick mode)."),
))
_registry = SETTINGS.proxy


def values() -> dict:
    """Effective settings (registry, then environment); never contains the secret.

    Values from the environment are text: the transport reads them as it
    reads the control panel's (JSON, templates, numbers, with their fallbacks).
    """
    return SETTINGS.read(_registry())[0]


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

    config = config or values()
    kind = config.get("transport") or "none"
    if kind == "axis":
        url, system_id, secret = config.get("axis_url"), config.get("axis_system_id"), read_secret(config)
        if not (url and system_id and secret):
            logger.warning("exchange: the axis transport lacks its address, system id or secret")
            return None
        return AxisHttpTransport(url, system_id, secret, **axis_wire(config))
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
DEFAULT_MAX_PACKAGE_MB = SETTINGS[ENV_MAX_PACKAGE].default


def max_package_mb() -> int:
    """The one size limit of a received edXML package, in MiB (``QLVB_EXCHANGE_MAX_PACKAGE_MB``).

    It bounds the package as received (the XML with its base64 attachments,
    about 4/3 of the files' size): ``@edxml-import`` answers 413 above it and
    the inbox refuses larger packages from the axis with the same limit.
    """
    try:
        return SETTINGS.value(ENV_MAX_PACKAGE)
    except SettingError as exc:
        logger.warning("exchange: %s; using %s", exc, DEFAULT_MAX_PACKAGE_MB)
        return DEFAULT_MAX_PACKAGE_MB


def max_package_size() -> int:
    """:func:`max_package_mb` in bytes."""
    return max_package_mb() * 1024 * 1024
def _json_object(config, name) -> dict:
    text = (config.get(name) or "").strip() if isinstance(config.get(name), str) else ""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        logger.error("exchange: %s is not a JSON object; using the defaults", name)
        return {}
    return {str(k): str(v) for k, v in value.items()}


def _int(config, name) -> int:
    try:
        return max(1, int(config.get(name) or IExchangeSettings[name].default))
    except (TypeError, ValueError):
        logger.error("exchange: %s is not a number; using the default", name)
        return IExchangeSettings[name].default


def _max_response(config) -> int:
    """The largest axis answer read, in bytes.

    A value the operator chose is kept; the default makes room for the one
    package limit (getEdoc answers the package in base64 inside JSON).
    """
    chosen = _int(config, "axis_max_response_mb")
    if chosen != IExchangeSettings["axis_max_response_mb"].default:
        return chosen * 1024 * 1024
    return max(chosen * 1024 * 1024, max_package_size() * 4 // 3 + 1024 * 1024)


def axis_wire(config: dict) -> dict:
    """Keyword arguments of :class:`~.transports.AxisHttpTransport` from the settings.

    Paths, header names, the string to sign, the signature encoding, extra
    headers, the time limit and the response limit (docs/exchange-axis.md).
    """
    from .transports.signing import SigningConfig, template_string_to_sign

    names = _json_object(config, "axis_headers")
    signing = SigningConfig()
    for key in ("system_id", "timestamp", "nonce", "signature"):
        if names.get(key):
            setattr(signing, f"{key}_header", names[key])
    if config.get("axis_signature_encoding") in ("hex", "base64"):
        signing.encoding = config["axis_signature_encoding"]
    template = (config.get("axis_string_to_sign") or "").strip()
    if template:
        try:
            signing.string_to_sign = template_string_to_sign(template)
        except ValueError as exc:
            logger.error("exchange: the string to sign is not valid (%s); using the default", exc)
    return {
        "paths": _json_object(config, "axis_paths") or None,
        "signing": signing,
        "extra_headers": _json_object(config, "axis_extra_headers"),
        "timeout": (5.0, float(_int(config, "axis_timeout"))),
        "max_response_size": _max_response(config),
        "verify": bool(config.get("axis_verify_tls", True)),
    }
