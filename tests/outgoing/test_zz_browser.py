"""Browser (runs last in this folder): draft → review → approve → sign → issue; the recipient registers it."""

from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import login
from tests.browser.conftest import screenshot
from tests.conftest import require
from tests.outgoing.helpers import PDF
from tests.outgoing.helpers import PW

import os
import pytest
import re
import shutil


@pytest.fixture(scope="module")
def chromium():
    """Playwright for this module only: its event loop is closed when the module ends.

    (The shared session-scoped fixture keeps Playwright's loop running in the main thread for
    the rest of the session, and pyHanko's ``asyncio.run`` then fails in the in-process
    integration tests that sign documents.)
    """
    require(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), f"{CHROMIUM} (Debian chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield browser
        browser.close()


@pytest.fixture
def page(chromium):
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30000)
    yield page
    context.close()

SUBJECT = "V/v đề nghị phối hợp triển khai nền tảng số"


def _act(page, action, comment=""):  # noqa: F811
    form = page.locator(f"form.qlvb-action-{action}")
    if comment:
        form.locator("input[name=comment]").fill(comment)
    form.locator("button").click()
    page.wait_for_load_state("networkidle")


def _as(page, url, user):  # noqa: F811
    page.context.clear_cookies()
    login(page, url, user, PW)


def test_draft_to_issue_and_recipient_registers(page, demo_server, tmp_path):  # noqa: F811
    url = demo_server["url"]
    pdf = tmp_path / "du-thao.pdf"
    pdf.write_bytes(PDF)
    _as(page, url, "stttt.chuyenvien")
    page.goto(f"{url}/so-tttt/@@van-ban-di")
    page.click("a.qlvb-draft-link")
    page.wait_for_load_state("networkidle")
    page.fill("#f-title", SUBJECT)
    page.select_option("#f-type", "cong_van")
    page.select_option("#f-dept", "vp")
    page.select_option("#f-signer", "stttt.lanhdao")
    page.fill("#f-position", "GIÁM ĐỐC")
    page.locator("label", has_text="Sở Nội vụ").click()
    page.set_input_files("#f-file", str(pdf))
    screenshot(page, "outgoing-draft-form")
    page.click("#qlvb-draft-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    doc_url = page.url.split("?")[0].rstrip("/")
    assert "/van-ban-di/" in doc_url, page.url
    assert SUBJECT in page.locator("h1").inner_text()
    _act(page, "submit")

    _as(page, url, "stttt.truongphong")
    page.goto(f"{url}/so-tttt/@@van-ban-di")
    assert SUBJECT in page.locator(".qlvb-list-waiting_review").inner_text()
    page.goto(doc_url)
    _act(page, "forward", "Đồng ý, kính trình Giám đốc")

    _as(page, url, "stttt.lanhdao")
    page.goto(doc_url)
    assert "Đồng ý, kính trình Giám đốc" in page.locator(".qlvb-comments").inner_text()
    _act(page, "approve")
    page.goto(f"{url}/so-tttt/@@van-ban-di")
    assert SUBJECT in page.locator(".qlvb-list-waiting_signature").inner_text()
    page.goto(doc_url)
    _act(page, "sign")

    _as(page, url, "stttt.vanthu")
    page.goto(f"{url}/so-tttt/@@van-ban-di")
    assert SUBJECT in page.locator(".qlvb-list-waiting_issue").inner_text()
    page.goto(doc_url)
    _act(page, "issue")
    screenshot(page, "outgoing-issued")
    fields = page.locator(".qlvb-outgoing-fields").inner_text()
    notation = re.search(r"\d{2,}/STTTT-VP", fields).group(0)
    assert "Sở Nội vụ" in page.locator(".qlvb-delivery").inner_text()

    _as(page, url, "snv.vanthu")
    page.goto(f"{url}/so-noi-vu/@@van-ban-den")
    waiting = page.locator(".qlvb-list-waiting_registration")
    assert notation in waiting.inner_text()
    waiting.locator("a", has_text=SUBJECT).first.click()
    page.wait_for_load_state("networkidle")
    page.locator("form.qlvb-action-register button").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "outgoing-registered-by-recipient")

    _as(page, url, "stttt.vanthu")
    page.goto(doc_url)
    row = page.locator(".qlvb-delivery tr", has_text="Sở Nội vụ").inner_text()
    assert re.search(r"\d+", row.split("Sở Nội vụ", 1)[1]), row
    assert page.locator(".qlvb-delivery tr.qlvb-delivery-registered").count() == 1
