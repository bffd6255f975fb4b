"""Fixtures of the report tests: the demo site with the known dataset (tests/reports/dataset.py)."""

import pytest


@pytest.fixture(autouse=True)
def _no_clamd_needed(monkeypatch):
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")


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
