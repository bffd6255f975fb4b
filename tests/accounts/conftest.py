"""Fixtures of the account security tests."""

import pytest


@pytest.fixture
def url(demo_server):
    """Base URL of the demo site served over real HTTP; failure counters start at zero."""
    from dongthap.qlvb.accounts import throttle

    throttle.reset_all()
    yield demo_server["url"]
    throttle.reset_all()
