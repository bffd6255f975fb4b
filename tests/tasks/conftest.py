"""Fixtures of the task tests (the shared ones: empty notification boxes, a frozen clock)."""

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - autouse fixture
from tests.demo_fixtures import frozen  # noqa: F401 - fixture
from tests.demo_fixtures import portal  # noqa: F401 - fixture

import pytest


@pytest.fixture
def empty_notification_boxes():
    """The demo data was built with the notifications on: each test starts with empty boxes."""
    return True
