"""Fixtures of the archive tests: PDF text and page tools; the demo site for the Plone tests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.incoming.conftest import _no_clamd_needed  # noqa: F401 - fixture (Plone tests)
from tests.incoming.conftest import portal  # noqa: F401 - fixture (Plone tests)

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _run(*args: str) -> str:
    from tests.conftest import require

    require(shutil.which(args[0]), f"{args[0]} (poppler-utils)")
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


@pytest.fixture
def pdf_text(tmp_path):
    """``pdf_text(data, page=None)``: pdftotext -raw of the PDF, whitespace collapsed."""

    def extract(data: bytes, page: int | None = None) -> str:
        path = tmp_path / "doc.pdf"
        path.write_bytes(data)
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return re.sub(r"\s+", " ", _run("pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"))

    return extract


@pytest.fixture
def pdf_info(tmp_path):
    """``pdf_info(data)``: the pdfinfo fields as a dict."""

    def info(data: bytes) -> dict:
        path = tmp_path / "info.pdf"
        path.write_bytes(data)
        return dict(re.findall(r"^([^:\n]+):\s*(.*)$", _run("pdfinfo", str(path)), re.M))

    return info
