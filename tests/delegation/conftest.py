"""Fixtures of the delegation tests (the shared demo fixture, a frozen clock:
:mod:`tests.demo_fixtures`; audit records caught)."""

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - autouse fixture
from tests.demo_fixtures import frozen  # noqa: F401 - fixture
from tests.demo_fixtures import portal  # noqa: F401 - fixture

import pytest


@pytest.fixture
def empty_notification_boxes():
    """The demo data was built with the notifications on: each test starts with empty boxes."""
    return True


@pytest.fixture
def audited(monkeypatch):
    """The audit records written (integration tests never commit: caught at the call)."""
    from dongthap.qlvb.audit import log

    found = []
    monkeypatch.setattr(log, "log", lambda action, obj=None, **kw: found.append((action, obj, kw)))
    return found
