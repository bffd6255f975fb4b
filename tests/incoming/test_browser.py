"""Browser: a clerk registers a paper document, a leader assigns it, the department head re-assigns it."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import PDF
from tests.incoming.helpers import PW
from tests.incoming.helpers import today
from tests.incoming.helpers import vi

import datetime
import requests


def test_clerk_registers_and_leader_assigns(page, demo_server, tmp_path):  # noqa: F811
    url = demo_server["url"]
    pdf = tmp_path / "cong-van-15.pdf"
    pdf.write_bytes(PDF)
    login(page, url, "stttt.vanthu", PW)
    page.goto(f"{url}/so-tttt/@@vao-so-van-ban-den")
    page.set_input_files("#file", str(pdf))
    page.fill("#title", "Về việc tăng cường bảo đảm an toàn thông tin")
    page.select_option("#document_type", "cong_van")
    page.fill("#code_number", "215")
    page.fill("#code_notation", "UBND-VP")
    page.fill("#issued_date", (today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.fill("#issuing_agency_name", "UBND tỉnh Đồng Tháp")
    page.select_option("#urgency", "khan")
    page.fill("#due_date", (today() + datetime.timedelta(days=7)).strftime("%d/%m/%Y"))
    screenshot(page, "incoming-register-form")
    page.click("#qlvb-submit")
    page.wait_for_load_state("networkidle")
    screenshot(page, "incoming-registered")
    body = page.locator("#content").inner_text()
    assert vi("Đã vào sổ với số đến", "Registered with arrival number") in page.content()
    assert "215/UBND-VP" in body
    doc_url = page.url.split("?")[0].rstrip("/")
    assert "/van-ban-den/" in doc_url

    page.context.clear_cookies()
    login(page, url, "stttt.lanhdao", PW)
    page.goto(f"{url}/so-tttt/@@van-ban-den")
    waiting = page.locator(".qlvb-list-waiting_assignment").inner_text()
    assert "Về việc tăng cường bảo đảm an toàn thông tin" in waiting
    page.goto(f"{doc_url}/@@phan-cong")
    page.select_option("#lead_department", "cntt")
    page.select_option("#lead_user", "stttt.truongphong")
    page.fill("#lead_deadline", (today() + datetime.timedelta(days=5)).strftime("%d/%m/%Y"))
    page.select_option("#fyi", ["stttt.luutru"])
    page.fill("#direction", "Giao Phòng CNTT chủ trì tham mưu")
    page.click("#qlvb-assign-submit")
    page.wait_for_load_state("networkidle")
    screenshot(page, "incoming-assigned")
    assert page.url.split("?")[0].rstrip("/") == doc_url
    content = page.locator("#content").inner_text()
    assert "Giao Phòng CNTT chủ trì tham mưu" in content
    assert "Phòng Công nghệ thông tin" in content

    page.context.clear_cookies()
    login(page, url, "stttt.truongphong", PW)
    response = page.goto(doc_url)
    assert response.status == 200
    assert "Về việc tăng cường bảo đảm an toàn thông tin" in page.locator("h1").inner_text()

    # the department head re-assigns within his department; the specialist gets the document
    specialist = requests.Session()
    specialist.auth, specialist.headers["Accept"] = ("stttt.chuyenvien", PW), "application/json"
    assert specialist.get(doc_url).status_code in (401, 403)
    page.goto(f"{doc_url}/@@phan-cong")
    offered = page.locator("#reassign option").evaluate_all("options => options.map(o => o.value)")
    assert "stttt.chuyenvien" in offered and "stttt.truongphong" not in offered
    assert all(name.startswith("stttt.") for name in offered)
    page.select_option("#reassign", ["stttt.chuyenvien"])
    page.fill("#direction", "Giao chuyên viên dự thảo văn bản trả lời")
    page.click("#qlvb-assign-submit")
    page.wait_for_load_state("networkidle")
    screenshot(page, "incoming-reassigned")
    assert page.url.split("?")[0].rstrip("/") == doc_url

    assert specialist.get(doc_url).status_code == 200
    page.context.clear_cookies()
    login(page, url, "stttt.chuyenvien", PW)
    assert page.goto(doc_url).status == 200
    assert "Về việc tăng cường bảo đảm an toàn thông tin" in page.locator("h1").inner_text()
