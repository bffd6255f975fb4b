"""The password policy: rules of :mod:`.settings`, Vietnamese messages, hashes of earlier passwords."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from dongthap.qlvb.i18n import _

#: Passwords everybody tries first; refused whatever the rules say.
COMMON = frozenset({
    "password", "12345678", "123456789", "1234567890", "qwerty123", "11111111", "abc12345",
    "password1", "password@123", "matkhau", "matkhau123", "admin123", "admin@123", "123456a@",
    "p@ssw0rd", "p@ssword1", "demo@2026", "qwerty@123", "abcd@1234",
})

ITERATIONS = 20_000


def problems(password: str, settings: dict, history=()) -> list:
    """The messages (translatable) of every rule ``password`` breaks; empty when it is acceptable."""
    found = []
    password = password or ""
    if len(password) < settings["min_length"]:
        found.append(_("error_pw_length", default="The password must have at least ${n} characters.",
                       mapping={"n": settings["min_length"]}))
    if settings["require_lower"] and not any(c.islower() for c in password):
        found.append(_("error_pw_lower", default="The password must contain a lowercase letter."))
    if settings["require_upper"] and not any(c.isupper() for c in password):
        found.append(_("error_pw_upper", default="The password must contain an uppercase letter."))
    if settings["require_digit"] and not any(c.isdigit() for c in password):
        found.append(_("error_pw_digit", default="The password must contain a digit."))
    if settings["require_symbol"] and not any(
            not c.isalnum() and not c.isspace() for c in password):
        found.append(_("error_pw_symbol", default="The password must contain a symbol such as @ # ! -."))
    if password.lower() in COMMON:
        found.append(_("error_pw_common", default="This password is too common; choose another one."))
    if any(matches(password, entry) for entry in history[: settings["history"]]):
        found.append(_("error_pw_reused",
                       default="This password was used recently; choose one you have not used in your "
                               "last ${n} passwords.", mapping={"n": settings["history"]}))
    return found


def make_hash(password: str) -> str:
    """A salted PBKDF2 hash of an earlier password (never the password itself)."""
    salt = secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), ITERATIONS).hex()
    return f"pbkdf2-sha256${ITERATIONS}${salt}${digest}"


def matches(password: str, entry: str) -> bool:
    try:
        _scheme, iterations, salt, digest = entry.split("$")
        mine = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(mine.hex(), digest)
