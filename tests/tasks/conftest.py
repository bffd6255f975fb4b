"""Fixtures of the task tests (the notification fixtures: empty boxes, a frozen clock)."""

from tests.notifications.conftest import _no_clamd_needed  # noqa: F401 - autouse fixture
from tests.notifications.conftest import frozen  # noqa: F401 - fixture
from tests.notifications.conftest import portal  # noqa: F401 - fixture
