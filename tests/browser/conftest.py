"""Playwright driving Debian's Chromium (never a downloaded browser)."""

from tests.conftest import require

import os
import pytest
import shutil

CHROMIUM = os.environ.get("QLVB_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = os.path.join(os.path.dirname(__file__), "..", "..", "var", "test-screenshots")


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module: Playwright's event loop must not outlive the module,
    or in-process code that runs asyncio (pyHanko signing) fails in later tests."""
    require(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), f"{CHROMIUM} (Debian chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    yield page
    context.close()


def screenshot(page, name):
    """Keep a screenshot of what the user saw (var/test-screenshots/)."""
    os.makedirs(ARTIFACTS, exist_ok=True)
    page.screenshot(path=os.path.join(ARTIFACTS, f"{name}.png"), full_page=True)


def login(page, base_url, username, password):
    page.goto(f"{base_url}/login")
    page.fill("#__ac_name", username)
    page.fill("#__ac_password", password)
    page.click("#buttons-login")
    page.wait_for_load_state("networkidle")
