"""Fixtures of the incoming-document tests."""

from dongthap.qlvb.numbering import retry

import pytest


@pytest.fixture
def portal(demo):
    """The demo site; our API works in savepoints (integration tests never commit)."""
    with retry.savepoints_only():
        yield demo


@pytest.fixture(autouse=True)
def _no_clamd_needed(monkeypatch):
    """Without a configured clamd, scanning is off for these tests (they test registration)."""
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
