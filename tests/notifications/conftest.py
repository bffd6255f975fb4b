"""Fixtures of the notification and reminder tests (the shared ones: :mod:`tests.demo_fixtures`)."""

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - autouse fixture
from tests.demo_fixtures import frozen  # noqa: F401 - fixture
from tests.demo_fixtures import portal  # noqa: F401 - fixture

import pytest


@pytest.fixture
def empty_notification_boxes():
    """The demo data was built with the notifications on: each test starts with empty boxes."""
    return True


@pytest.fixture
def mail_queue(tmp_path, monkeypatch):
    """A private maildir for the e-mail queue."""
    path = tmp_path / "mailqueue"
    monkeypatch.setenv("QLVB_MAIL_QUEUE_DIR", str(path))
    return path
