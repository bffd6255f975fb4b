"""Fixtures of the notification and reminder tests."""

from dongthap.qlvb.numbering import retry

import pytest


@pytest.fixture
def portal(demo):
    """The demo site; our API works in savepoints (integration tests never commit)."""
    from dongthap.qlvb.notifications import store

    # the demo data was built with the notifications on: start each test with empty boxes
    store.boxes(demo, create=True).clear()
    with retry.savepoints_only():
        yield demo


@pytest.fixture(autouse=True)
def _no_clamd_needed(monkeypatch):
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")


@pytest.fixture
def mail_queue(tmp_path, monkeypatch):
    """A private maildir for the e-mail queue."""
    path = tmp_path / "mailqueue"
    monkeypatch.setenv("QLVB_MAIL_QUEUE_DIR", str(path))
    return path


@pytest.fixture
def frozen(monkeypatch):
    """A frozen clock: ``frozen(datetime)`` sets "now" (Vietnam time) for the whole system."""
    from dongthap.qlvb.numbering import counter

    def freeze(when):
        if when.tzinfo is None:
            when = when.replace(tzinfo=counter.VIETNAM_OFFSET)
        monkeypatch.setattr(counter, "vietnam_now", lambda: when)
        return when

    return freeze
