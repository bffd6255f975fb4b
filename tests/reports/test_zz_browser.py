"""A leader's journey in Chromium: the "Sổ/báo cáo" tab → the dashboard with its charts → the QĐ 595
report and one of its numbers → the documents behind it."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot

PW = "Demo@2026"


def test_leader_reaches_the_reports_from_the_tab(page, server):  # noqa: F811
    url = server["url"]
    login(page, url, "stttt.lanhdao", PW)
    page.goto(f"{url}/so-tttt")
    page.click("#portal-globalnav a[href$='@@so-bao-cao']")
    page.wait_for_load_state("networkidle")
    assert "Báo cáo và thống kê" in page.locator("#content").inner_text()
    page.click("text=Tình hình xử lý công việc (lãnh đạo)")
    page.wait_for_load_state("networkidle")
    screenshot(page, "reports-dashboard")
    assert page.locator(".qlvb-charts svg").count() == 2
    assert "Phòng Công nghệ thông tin" in page.locator("#content").inner_text()
    page.goto(f"{url}/so-tttt/@@so-bao-cao")
    page.click("text=Báo cáo gửi, nhận văn bản điện tử (QĐ 595)")
    page.wait_for_load_state("networkidle")
    page.fill("input[name=from]", "01/01/2026")
    page.fill("input[name=to]", "31/03/2026")
    page.click(".qlvb-report-period button")
    page.wait_for_load_state("networkidle")
    cell = page.locator("td[data-cell='received-legal'] a")
    assert cell.inner_text() == "3"
    cell.click()
    page.wait_for_load_state("networkidle")
    documents = page.locator(".qlvb-report-documents").inner_text()
    assert all(f"Văn bản báo cáo {k}" in documents for k in ("I1", "I4", "I8"))
    assert "Văn bản báo cáo I2" not in documents
