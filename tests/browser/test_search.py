"""The advanced search in the browser: typed without diacritics, chosen columns, saved, exported."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session

TITLE = "Ứng phó ô nhiễm môi trường ở địa phương"


def test_advanced_search_journey(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    clerk = session("stttt.vanthu")
    r = clerk.post(f"{url}/so-tttt/@incoming", json=payload(title=TITLE, code_number="318",
                                                            code_notation="STNMT-MT"))
    assert r.status_code == 201, r.text
    login(page, url, "stttt.vanthu", PW)
    page.goto(f"{url}/so-tttt/@@tim-van-ban?q=ung+pho+o+nhiem")
    assert TITLE in page.locator(".qlvb-search-results").inner_text()
    page.click(".qlvb-advanced-search-link")
    page.wait_for_load_state("networkidle")
    assert "Tìm kiếm nâng cao" in page.locator("h1").inner_text()
    page.fill("#qlvb-text", "")
    page.fill("#qlvb-text", "so 318")
    page.fill("#qlvb-issuer", "ubnd tinh")
    page.select_option("#qlvb-kind", "incoming")
    page.check("input[name='columns:list'][value='urgency']")
    page.click(".qlvb-search-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    screenshot(page, "advanced-search")
    table = page.locator(".qlvb-search-results")
    assert TITLE in table.inner_text() and "318/STNMT-MT" in table.inner_text()
    assert "Độ khẩn" in table.locator("thead").inner_text()
    page.fill(".qlvb-save-search input[name=save_name]", "Ô nhiễm môi trường")
    page.click(".qlvb-save-search button")
    page.wait_for_load_state("networkidle")
    saved = page.locator(".qlvb-saved-searches a", has_text="Ô nhiễm môi trường")
    assert saved.count() == 1
    saved.click()
    page.wait_for_load_state("networkidle")
    assert TITLE in page.locator(".qlvb-search-results").inner_text()
    with page.expect_download() as download:
        page.click(".qlvb-search-exports a[href*='format=xlsx']")
    assert download.value.suggested_filename == "ket-qua-tim-kiem.xlsx"
    # a date in the wrong form: a Vietnamese message, the form kept
    page.goto(f"{url}/so-tttt/@@tim-kiem?search=1&issued_from=2026-13-45")
    assert "dd/mm/yyyy" in page.locator(".qlvb-search-error").inner_text()
