"""Fixtures of the incoming-document tests."""

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - autouse fixture
from tests.demo_fixtures import frozen  # noqa: F401 - fixture
from tests.demo_fixtures import portal  # noqa: F401 - fixture
