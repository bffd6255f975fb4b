"""Fixtures of the delegation tests (the shared demo fixture; a frozen clock; audit records caught)."""

from dongthap.qlvb.numbering import retry

import pytest


@pytest.fixture
def portal(demo):
    from dongthap.qlvb.notifications import store

    store.boxes(demo, create=True).clear()
    with retry.savepoints_only():
        yield demo


@pytest.fixture(autouse=True)
def _no_clamd_needed(monkeypatch):
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")


@pytest.fixture
def frozen(monkeypatch):
    """``frozen(datetime)`` sets "now" (Vietnam time) for the whole system."""
    from dongthap.qlvb.delegation import api as D
    from dongthap.qlvb.numbering import counter

    def freeze(when):
        if when.tzinfo is None:
            when = when.replace(tzinfo=counter.VIETNAM_OFFSET)
        monkeypatch.setattr(counter, "vietnam_now", lambda: when)
        D.forget_cached_roles()  # a new day in the same test request: roles are asked again
        return when

    return freeze


@pytest.fixture
def audited(monkeypatch):
    """The audit records written (integration tests never commit: caught at the call)."""
    from dongthap.qlvb.audit import log

    found = []
    monkeypatch.setattr(log, "log", lambda action, obj=None, **kw: found.append((action, obj, kw)))
    return found
