"""Shared fixtures of the test suite.

Plone layers (from ``dongthap.qlvb.testing``) become pytest fixtures here.
Each layer is set up once per session, and only when a test asks for it, so
the stand-alone libraries (edXML, signing, antivirus) test without Plone.

``demo`` is *the* shared demo fixture: a site with the demo agencies and one
account per role per agency (see ``dongthap.qlvb.demo.data``).
"""

from dongthap.qlvb import testing
from pytest_plone import fixtures_factory

import os
import pytest

pytest_plugins = ["pytest_plone", "tests.antivirus.session_clamd"]

globals().update(
    fixtures_factory(
        (
            (testing.QLVB_INTEGRATION, "integration"),
            (testing.QLVB_FUNCTIONAL, "functional"),
            (testing.QLVB_DEMO_INTEGRATION, "demo_integration"),
            (testing.QLVB_DEMO_FUNCTIONAL, "demo_functional"),
            (testing.QLVB_DEMO_BROWSER, "demo_browser"),
        ),
        keep_session=False,
    )
)

IN_CI = os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require(condition, reason):
    """Skip a test whose real server is missing — except under CI, where it fails."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture
def site(integration_session, integration):
    """A Plone site with the add-on installed (rolled back after each test)."""
    return integration["portal"]


@pytest.fixture
def demo(demo_integration_session, demo_integration):
    """The demo site (rolled back after each test)."""
    return demo_integration["portal"]


@pytest.fixture
def demo_layer(demo_functional_session, demo_functional):
    """The demo layer with committed transactions (REST tests through a test browser)."""
    return demo_functional


@pytest.fixture
def demo_server(demo_browser_session, demo_browser):
    """The demo site served by a real WSGI server; yields its base URL with localhost."""
    host = demo_browser["host"]
    port = demo_browser["port"]
    host = "localhost" if host in ("127.0.0.1", "0.0.0.0") else host
    return {"layer": demo_browser, "url": f"http://{host}:{port}/plone"}
