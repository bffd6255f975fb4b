"""pytest plugin: one private clamd for the whole test session, BEFORE any Plone layer.

Plone layers install demo data and content with files; since issue 6 every
file is scanned (fail closed), so the site must reach a clamd while the layers
are set up.  Enable it in ``tests/conftest.py`` with::

    pytest_plugins = ["pytest_plone", "tests.antivirus.session_clamd"]

The autouse session fixture starts ``scripts/clamd_ctl.py`` (test signature
database, unix socket only) in a temporary directory and exports
``QLVB_CLAMD``/``QLVB_CLAMD_MAX_SIZE`` for the in-process Zope.  Without the
clamd binary it FAILS under CI and only warns locally (scanning then fails
closed, so tests that store files fail loudly rather than pass vacuously).
"""

from __future__ import annotations

import importlib.util
import os
import warnings
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _clamd_ctl():
    spec = importlib.util.spec_from_file_location("clamd_ctl", REPO / "scripts" / "clamd_ctl.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session", autouse=True)
def qlvb_session_clamd(tmp_path_factory):
    """Start the session clamd and point the Plone sites at it."""
    if os.environ.get("QLVB_CLAMD"):  # the caller provides one
        yield os.environ["QLVB_CLAMD"]
        return
    ctl = _clamd_ctl()
    try:
        ctl.find_clamd()
    except ctl.ClamdCtlError as exc:
        if os.environ.get("CI", "").strip().lower() in ("1", "true", "yes"):
            pytest.fail(f"{exc} (CI is set: the suite needs clamd)")
        warnings.warn(f"no clamd for the test session: {exc}", stacklevel=1)
        yield None
        return
    var_dir = tmp_path_factory.mktemp("session-clamd")
    ctl.start(str(var_dir), port=0, db="test", stream_max="60M")
    os.environ["QLVB_CLAMD"] = f"unix://{var_dir}/clamd.sock"
    os.environ.setdefault("QLVB_CLAMD_MAX_SIZE", "50M")
    try:
        yield os.environ["QLVB_CLAMD"]
    finally:
        os.environ.pop("QLVB_CLAMD", None)
        ctl.stop(str(var_dir))
