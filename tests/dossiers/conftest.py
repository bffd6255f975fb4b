"""Fixtures of the dossier tests: the shared demo site in savepoints, no clamd needed."""

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - fixture
from tests.demo_fixtures import portal  # noqa: F401 - fixture
