"""Fixtures of the report tests: the demo site with the known dataset (tests/reports/dataset.py)."""

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - autouse fixture

import pytest


@pytest.fixture
def data(demo):
    from tests.reports.dataset import build

    return build(demo)


@pytest.fixture
def server(demo_server):
    """The demo site served over HTTP, with the dataset committed (the layer drops it afterwards)."""
    import transaction

    from tests.reports.dataset import build

    docs = build(demo_server["layer"]["portal"])
    transaction.commit()
    return {"url": demo_server["url"], "docs": docs}
