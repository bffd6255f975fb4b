"""Failed-login counters, in memory per process (nothing written to the ZODB for a wrong password).

Per account: consecutive failures (reset by a success); when they reach the limit the account is
locked, persistently (:func:`dongthap.qlvb.accounts.api.lock`). Per client address: failures within
the block time; at the limit the address is refused for that time. Logins that name no account are
counted the same way, so the answers never tell whether an account exists."""

from __future__ import annotations

import threading
import time
from collections import deque

_lock = threading.Lock()
_by_login: dict[str, int] = {}
_by_address: dict[str, deque] = {}
_blocked_until: dict[str, float] = {}
_locked_logins: dict[str, float] = {}  # logins naming no account, "locked" like a real one

clock = time.time  # tests replace it


def reset_all():
    with _lock:
        _by_login.clear()
        _by_address.clear()
        _blocked_until.clear()
        _locked_logins.clear()


def address_blocked(address: str) -> bool:
    if not address:
        return False
    with _lock:
        until = _blocked_until.get(address)
        if until is None:
            return False
        if until > clock():
            return True
        del _blocked_until[address]
        _by_address.pop(address, None)
        return False


def failure(login: str, address: str, *, max_failures: int, address_max: int, block_minutes: int) -> int:
    """Count one failure; returns the account's consecutive failures."""
    now = clock()
    window = block_minutes * 60
    with _lock:
        count = _by_login[login] = _by_login.get(login, 0) + 1
        if address:
            times = _by_address.setdefault(address, deque())
            times.append(now)
            while times and times[0] < now - window:
                times.popleft()
            if len(times) >= address_max:
                _blocked_until[address] = now + window
    return count


def success(login: str):
    with _lock:
        _by_login.pop(login, None)


def unknown_locked(login: str) -> bool:
    with _lock:
        return login in _locked_logins


def lock_unknown(login: str):
    with _lock:
        _locked_logins[login] = clock()


def forget(login: str):
    with _lock:
        _by_login.pop(login, None)
        _locked_logins.pop(login, None)
