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

pytest_plugins = ["pytest_plone", "tests.antivirus.session_clamd", "tests.incoming.relstorage_pair"]

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

_SESSION = {}


def pytest_addoption(parser):
    parser.addoption("--stress", action="store_true", default=False,
                     help="run only the stress tests (marker 'stress'), which the default run skips")


def pytest_configure(config):
    """Keys, test PKI and revocation URLs of this test session only.

    The demo (``make start``, of this clone or another) keeps its keys in
    ``var/keys`` and ``var/test-pki`` and serves the CRL/OCSP/TSA of that PKI on
    127.0.0.1:8765, the address written into its certificates. The suite
    generates its own test PKI per session in a temporary directory, with
    revocation URLs on a port of its own (held, so nobody else takes it; the
    signing tests that check revocation start their own services on free
    ports), and so never reads the demo's keys nor asks the demo's services.
    """
    import socket
    import tempfile

    if getattr(config, "workerinput", None) is not None or "keys" in _SESSION:
        return
    base = tempfile.mkdtemp(prefix="qlvb-test-session-")
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
    _SESSION.update(keys=base, holder=holder)
    os.environ["QLVB_KEYS_DIR"] = os.path.join(base, "keys")
    os.environ["QLVB_AUDIT_DIR"] = os.path.join(base, "audit")  # never the clone's var/audit
    os.environ["QLVB_TEST_PKI_URL"] = f"http://127.0.0.1:{holder.getsockname()[1]}/pki"


def pytest_unconfigure(config):
    import shutil

    holder = _SESSION.pop("holder", None)
    if holder is not None:
        holder.close()
    base = _SESSION.pop("keys", None)
    if base:
        shutil.rmtree(base, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """``stress`` tests run only with ``--stress`` (or an explicit ``-m``); ``--stress`` runs only them."""
    stress_only = config.getoption("--stress")
    if config.option.markexpr and not stress_only:
        return
    keep, drop = [], []
    for item in items:
        (keep if (item.get_closest_marker("stress") is not None) == stress_only else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


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
def empty_notification_boxes():
    """False: ``portal`` of :mod:`tests.demo_fixtures` keeps the demo's notifications (a folder's
    conftest overrides it with True)."""
    return False


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
