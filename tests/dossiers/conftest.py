"""Fixtures of the dossier tests: the incoming tests' demo site in savepoints, no clamd needed."""

from tests.incoming.conftest import _no_clamd_needed  # noqa: F401 - fixture
from tests.incoming.conftest import portal  # noqa: F401 - fixture
