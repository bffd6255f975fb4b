"""TOTP (RFC 6238, HMAC-SHA1, 6 digits, 30 s steps) and recovery codes, with the standard library only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

DIGITS = 6
STEP = 30


def new_secret() -> str:
    """A random 160-bit secret, base32 without padding (what authenticator apps read)."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _key(secret: str) -> bytes:
    secret = secret.replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def hotp(secret: str, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226 HOTP value of ``counter``."""
    digest = hmac.new(_key(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % (10 ** digits)
    return str(code).zfill(digits)


def counter_at(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP)


def totp(secret: str, now: float | None = None) -> str:
    """The code shown by an authenticator app at ``now`` (seconds since the epoch)."""
    return hotp(secret, counter_at(now))


def verify(secret: str, code: str, now: float | None = None, window: int = 1, last_counter: int = -1):
    """The counter ``code`` matches (±``window`` steps, never one at or before ``last_counter``:
    a code is used once), or None."""
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != DIGITS:
        return None
    current = counter_at(now)
    for counter in range(current - window, current + window + 1):
        if counter > last_counter and hmac.compare_digest(hotp(secret, counter), code):
            return counter
    return None


def provisioning_uri(secret: str, account: str, issuer: str = "QLVB Dong Thap") -> str:
    """The ``otpauth://`` address authenticator apps read from the QR code."""
    label = quote(f"{issuer}:{account}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer)}&digits={DIGITS}&period={STEP}"


def new_recovery_codes(count: int = 10) -> list[str]:
    """One-use recovery codes, ``xxxx-xxxx`` (lowercase hex)."""
    return [f"{secrets.token_hex(2)}-{secrets.token_hex(2)}" for _ in range(count)]


def hash_code(code: str) -> str:
    return hashlib.sha256(code.strip().lower().encode("utf-8")).hexdigest()
