"""The bell: a leader assigns; the specialist sees the count, opens the notification, reaches the document."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session

import datetime


def _bell(browser_page):
    badge = browser_page.locator(".qlvb-bell .qlvb-bell-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_bell_count_after_assignment_and_open_lands_on_the_document(page, demo_server, monkeypatch):  # noqa: F811
    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    url = demo_server["url"]
    login(page, url, "stttt.chuyenvien", PW)
    page.goto(url)
    before = _bell(page)
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming",
                                     json=payload(register=True, title="Về việc thử chuông thông báo"))
    assert r.status_code == 201, r.text
    doc_url = r.json()["@id"]
    deadline = (datetime.date.today() + datetime.timedelta(days=5)).isoformat()
    r = session("stttt.lanhdao").post(f"{doc_url}/@assign",
                                      json={"lead": {"user": "stttt.chuyenvien", "deadline": deadline}})
    assert r.status_code == 200, r.text
    page.goto(url)
    screenshot(page, "notifications-bell")
    assert _bell(page) == before + 1
    page.click(".qlvb-bell")
    page.wait_for_load_state("networkidle")
    assert "Thông báo" in page.locator("h1").inner_text()
    link = page.locator("a.qlvb-notification-link",
                        has_text="Được giao chủ trì giải quyết: Về việc thử chuông thông báo")
    link.first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.rstrip("/") == doc_url or page.url.startswith(doc_url)
    assert "Về việc thử chuông thông báo" in page.locator("#content").inner_text()
    assert _bell(page) == before
