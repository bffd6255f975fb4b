"""Fixtures for the exchange tests (edXML library, transports, test relay)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SRC = HERE.parents[1] / "src"
if importlib.util.find_spec("dongthap.qlvb.exchange") is None and SRC.is_dir():
    sys.path.insert(0, str(SRC))  # package not installed: use the checkout
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))  # for ``import axis_relay``

import axis_relay  # noqa: E402
from exchange_samples import AGENCIES, SYSTEMS, make_document  # noqa: E402


@pytest.fixture
def document():
    """A fresh valid document package."""
    return make_document()


@pytest.fixture
def corpus_dir():
    """Folder of hand-written packages imitating other vendors."""
    return HERE / "corpus"


@pytest.fixture
def relay():
    """A running test relay; yields ``(app, base_url)``."""
    app = axis_relay.AxisRelay(SYSTEMS, AGENCIES)
    server, url = axis_relay.start_in_thread(app)
    try:
        yield app, url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def relay_on_disk(tmp_path):
    """A relay persisting to ``tmp_path``; yields ``(app, base_url, data_dir)``."""
    app = axis_relay.AxisRelay(SYSTEMS, AGENCIES, tmp_path / "relay")
    server, url = axis_relay.start_in_thread(app)
    try:
        yield app, url, tmp_path / "relay"
    finally:
        server.shutdown()
        server.server_close()


# -- Plone side ----------------------------------------------------------------
# The real clamd of the antivirus tests (skipped without clamd, failing under CI).
from tests.antivirus.conftest import av_env, clamd, clamd_ctl, clamd_instance  # noqa: E402,F401


@pytest.fixture
def portal(demo, request):
    """The demo site scanning with the private clamd; our writes stay in savepoints."""
    from dongthap.qlvb.numbering import retry

    request.getfixturevalue("av_env")
    request.getfixturevalue("clamd")

    with retry.savepoints_only():
        yield demo
