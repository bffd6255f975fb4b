"""Fixtures of the archive tests: PDF text and page tools; the demo site for the Plone tests."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - fixture (Plone tests)
from tests.demo_fixtures import portal  # noqa: F401 - fixture (Plone tests)
from tests.registers.conftest import _run
from tests.registers.conftest import pdf_text  # noqa: F401 - fixture

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def pdf_info(tmp_path):
    """``pdf_info(data)``: the pdfinfo fields as a dict."""

    def info(data: bytes) -> dict:
        path = tmp_path / "info.pdf"
        path.write_bytes(data)
        return dict(re.findall(r"^([^:\n]+):\s*(.*)$", _run("pdfinfo", str(path)), re.M))

    return info
