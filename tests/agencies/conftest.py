"""Fixtures of the agency tests."""

import pytest


@pytest.fixture
def url(demo_server):
    """Base URL of the demo site served over real HTTP."""
    return demo_server["url"]
