"""HMAC-SHA256 request signing for the axis HTTP API.

Default scheme (all parts configurable in :class:`SigningConfig`)::

    body_hash      = hex(SHA-256(request body bytes))
    string_to_sign = METHOD "\\n" PATH "\\n" SYSTEM_ID "\\n" TIMESTAMP "\\n" NONCE "\\n" body_hash
    signature      = hex(HMAC-SHA256(secret, string_to_sign))   # or base64

sent as headers ``X-Axis-SystemId``, ``X-Axis-Timestamp`` (Unix seconds),
``X-Axis-Nonce`` (random hex) and ``X-Axis-Signature``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass


def default_string_to_sign(method: str, path: str, system_id: str, timestamp: str,
                           nonce: str, body_hash: str) -> str:
    """The canonical string of the default scheme."""
    return f"{method.upper()}\n{path}\n{system_id}\n{timestamp}\n{nonce}\n{body_hash}"


PLACEHOLDERS = ("method", "path", "system_id", "timestamp", "nonce", "body_hash")


def template_string_to_sign(template: str) -> Callable[..., str]:
    """A ``string_to_sign`` from an operator's template (``{method}\\n{path}…``; ``\\n`` = line break).

    Raises ``ValueError`` for a placeholder that does not exist.
    """
    text = template.replace("\\n", "\n")
    try:
        text.format(**dict.fromkeys(PLACEHOLDERS, ""))
    except (KeyError, IndexError, ValueError) as exc:
        raise ValueError(f"unknown placeholder or bad braces in {template!r}: {exc}") from exc

    def string_to_sign(method, path, system_id, timestamp, nonce, body_hash):
        return text.format(method=method.upper(), path=path, system_id=system_id,
                           timestamp=timestamp, nonce=nonce, body_hash=body_hash)

    return string_to_sign


@dataclass
class SigningConfig:
    """Header names and canonical-string recipe of the signature."""

    system_id_header: str = "X-Axis-SystemId"
    timestamp_header: str = "X-Axis-Timestamp"
    nonce_header: str = "X-Axis-Nonce"
    signature_header: str = "X-Axis-Signature"
    encoding: str = "hex"  # or "base64"
    string_to_sign: Callable[..., str] = default_string_to_sign


def compute_signature(secret: str, string_to_sign: str, encoding: str = "hex") -> str:
    """HMAC-SHA256 of ``string_to_sign`` keyed with ``secret``."""
    mac = hmac.new(secret.encode("utf-8"), string_to_sign.encode("utf-8"), hashlib.sha256)
    if encoding == "base64":
        return base64.b64encode(mac.digest()).decode("ascii")
    return mac.hexdigest()


def sign_headers(config: SigningConfig, system_id: str, secret: str, method: str,
                 path: str, body: bytes, *, now: float | None = None,
                 nonce: str | None = None) -> dict[str, str]:
    """Return the authentication headers for one request."""
    timestamp = str(int(now if now is not None else time.time()))
    nonce = nonce or uuid.uuid4().hex
    body_hash = hashlib.sha256(body).hexdigest()
    canonical = config.string_to_sign(method, path, system_id, timestamp, nonce, body_hash)
    return {
        config.system_id_header: system_id,
        config.timestamp_header: timestamp,
        config.nonce_header: nonce,
        config.signature_header: compute_signature(secret, canonical, config.encoding),
    }
