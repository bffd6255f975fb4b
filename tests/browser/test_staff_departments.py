"""An agency admin puts a person in a department on the "Cán bộ" page."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot


def test_agency_admin_sets_departments_on_the_staff_page(page, demo_server):
    url = demo_server["url"]
    login(page, url, "snv.quantri", DEMO_PASSWORD)
    page.goto(f"{url}/so-noi-vu/@@can-bo")
    assert "Phòng, ban" in page.locator("table.qlvb-staff thead").inner_text()
    row = page.locator("table.qlvb-staff tr", has_text="snv.vanthu")
    row.locator("select[name='departments:list']").select_option(["vp", "vtlt"])
    row.locator("button", has_text="Lưu phòng, ban").click()
    page.wait_for_load_state("networkidle")
    screenshot(page, "admin-staff-departments")
    assert "Đã lưu phòng, ban của snv.vanthu." in page.content()
    row = page.locator("table.qlvb-staff tr", has_text="snv.vanthu")
    selected = row.locator("select[name='departments:list'] option:checked").all_inner_texts()
    assert selected == ["Văn phòng", "Chi cục Văn thư - Lưu trữ"]
    # a new account is created straight into a department
    page.fill("#create-username", "snv.moi_phong")
    page.fill("#create-fullname", "Lê Thị Tổ Chức")
    page.fill("#create-email", "tochuc@example.invalid")
    page.fill("#create-password", "MatKhau@2026")
    page.check("#create-specialist")
    page.check("#create-dept-tcbc")
    page.click("#qlvb-create button[type=submit]")
    page.wait_for_load_state("networkidle")
    row = page.locator("table.qlvb-staff tr", has_text="snv.moi_phong")
    selected = row.locator("select[name='departments:list'] option:checked").all_inner_texts()
    assert selected == ["Phòng Tổ chức - Biên chế"]
    # people who only see the staff read the departments as text
    login(page, url, "snv.lanhdao", DEMO_PASSWORD)
    assert page.goto(f"{url}/so-noi-vu/@@can-bo").status == 200
    assert page.locator("select[name='departments:list']").count() == 0
    row = page.locator("table.qlvb-staff tr", has_text="snv.moi_phong")
    assert row.locator("td.qlvb-departments").inner_text().strip() == "Phòng Tổ chức - Biên chế"
