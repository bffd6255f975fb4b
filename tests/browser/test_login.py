"""A clerk logs in and sees their agency, in Vietnamese; an agency admin manages staff."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot


def test_clerk_sees_own_agency_in_vietnamese(page, demo_server):
    url = demo_server["url"]
    page.goto(url)
    assert page.locator("html").get_attribute("lang") == "vi"
    login(page, url, "stttt.vanthu", DEMO_PASSWORD)
    page.goto(url)
    screenshot(page, "clerk-home")
    home = page.locator(".qlvb-my-agencies")
    assert "Sở Thông tin và Truyền thông" in home.inner_text()
    assert "Sở Nội vụ" not in home.inner_text()
    assert "Cơ quan, đơn vị công tác" in page.content()
    page.click("text=Sở Thông tin và Truyền thông")
    page.wait_for_load_state("networkidle")
    screenshot(page, "clerk-agency")
    body = page.locator("#content").inner_text()
    assert "000.00.14.H20" in body
    assert "Mã định danh (QCVN 102)" in body
    assert "Phòng Công nghệ thông tin" in body
    # another agency stays closed
    response = page.goto(f"{url}/so-noi-vu")
    assert response.status in (401, 403) or "Sở Nội vụ" not in page.locator("#content").inner_text()


def test_agency_admin_gives_a_role_after_a_preview_and_confirms_to_remove(page, demo_server):
    url = demo_server["url"]
    login(page, url, "stttt.quantri", DEMO_PASSWORD)
    page.goto(f"{url}/so-tttt/@@can-bo")
    assert "Cán bộ" in page.locator("h1").inner_text()
    page.fill("#assign-username", "stttt.chuyenvien")
    page.check("#assign-records_manager")
    page.click("#qlvb-assign button[type=submit]")
    page.wait_for_load_state("networkidle")
    # nothing is granted yet: the change is shown first, to be confirmed
    preview = page.locator(".qlvb-grant-preview")
    assert "stttt.chuyenvien được cấp vai trò Lưu trữ viên." in preview.inner_text()
    assert "Lưu trữ viên" not in page.locator("table.qlvb-staff tr", has_text="stttt.chuyenvien").inner_text()
    screenshot(page, "admin-staff-grant-preview")
    preview.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "admin-staff")
    assert "Đã giao vai trò cho stttt.chuyenvien." in page.content()
    row = page.locator("table.qlvb-staff tr", has_text="stttt.chuyenvien")
    assert "Lưu trữ viên" in row.inner_text()
    # removing needs the confirmation box: the browser refuses to submit without it
    row.locator(".qlvb-unassign button").click()
    assert "Lưu trữ viên" in page.locator("table.qlvb-staff tr", has_text="stttt.chuyenvien").inner_text()
    row = page.locator("table.qlvb-staff tr", has_text="stttt.chuyenvien")
    row.locator("input[name=confirm]").check()
    row.locator(".qlvb-unassign button").click()
    page.wait_for_load_state("networkidle")
    assert "Đã gỡ vai trò của stttt.chuyenvien." in page.content()
    assert page.locator("table.qlvb-staff tr", has_text="stttt.chuyenvien").count() == 0
