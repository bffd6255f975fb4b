"""Fixtures for the register renderers: sample rows per register, text extraction."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import dongthap.qlvb.registers  # noqa: F401
except ImportError:  # package not installed yet: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from register_samples import HEADING  # noqa: E402


@pytest.fixture
def heading():
    """Keyword arguments common to every render call."""
    return dict(HEADING)


def _run(*args: str) -> str:
    from tests.conftest import require

    require(shutil.which(args[0]), f"{args[0]} (poppler-utils)")
    return subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")


@pytest.fixture
def pdf_text(tmp_path):
    """``pdf_text(data, page=None)``: pdftotext -raw of the PDF, whitespace collapsed."""

    def extract(data: bytes, page: int | None = None) -> str:
        path = tmp_path / "register.pdf"
        path.write_bytes(data)
        pages = ["-f", str(page), "-l", str(page)] if page else []
        return re.sub(r"\s+", " ", _run("pdftotext", "-raw", "-enc", "UTF-8", *pages, str(path), "-"))

    return extract


@pytest.fixture
def pdf_pages(tmp_path):
    """``pdf_pages(data)``: the page count reported by pdfinfo."""

    def count(data: bytes) -> int:
        path = tmp_path / "count.pdf"
        path.write_bytes(data)
        return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M).group(1))

    return count


@pytest.fixture
def pdf_fonts(tmp_path):
    """``pdf_fonts(data)``: the pdffonts table."""

    def fonts(data: bytes) -> str:
        path = tmp_path / "fonts.pdf"
        path.write_bytes(data)
        return _run("pdffonts", str(path))

    return fonts

