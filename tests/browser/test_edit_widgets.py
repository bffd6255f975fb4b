"""The Plone edit form of our types (issue 15, items 3 and 4): dates shown and typed as
dd/mm/yyyy whatever the browser's language; the recipients outside the system as rows of name,
code and e-mail with Vietnamese labels — no JSON help text, no ``[]``."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot
from tests.outgoing.helpers import payload
from tests.outgoing.helpers import PW
from tests.outgoing.helpers import session


def _draft(url, **overrides):
    snv = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/so-noi-vu").json()["UID"]
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=payload([snv], **overrides))
    assert r.status_code == 201, r.text
    return r.json()["url"]


def test_edit_form_dates_and_external_recipients(chromium, demo_server):
    url = demo_server["url"]
    doc = _draft(url, due_date="2026-12-20",
                 external_recipients=[{"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"}])
    # an English browser: Plone's native date input would show 12/20/2026 here
    context = chromium.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20000)
    try:
        login(page, url, "stttt.chuyenvien", PW)
        assert page.goto(f"{doc}/edit").status == 200
        page.wait_for_load_state("networkidle")
        screenshot(page, "edit-form-outgoing")
        due = page.locator("input.qlvb-date-widget[name$='due_date']")
        assert due.input_value() == "20/12/2026"
        assert due.get_attribute("type") == "text" and due.get_attribute("placeholder") == "dd/mm/yyyy"
        text = page.locator("#content").inner_text()
        assert "[]" not in text and '"code"' not in text and "[{" not in text
        widget = page.locator(".qlvb-external-recipients")
        assert "Tên cơ quan" in widget.inner_text() and "Mã định danh" in widget.inner_text()
        assert "Thư điện tử" in widget.inner_text()
        names = widget.locator("input[name$='.name:records']")
        assert names.first.input_value() == "Văn phòng Chính phủ"
        assert names.count() == 3  # the stored row and two empty ones
        widget.locator(".qlvb-external-add").click()
        assert names.count() == 4
        # a bad date is refused in Vietnamese, what was typed stays
        due.fill("31/02/2027")
        names.nth(1).fill("Bộ Thông tin và Truyền thông")
        widget.locator("input[name$='.code:records']").nth(1).fill("000.00.00.G12")
        widget.locator("input[name$='.email:records']").nth(1).fill("vanthu@mic.gov.vn")
        page.locator("#form-buttons-save").click()
        page.wait_for_load_state("networkidle")
        assert "dd/mm/yyyy" in page.locator("#content").inner_text()
        assert page.locator("input[name$='.name:records']").nth(1).input_value() == \
            "Bộ Thông tin và Truyền thông"
        page.locator("input.qlvb-date-widget[name$='due_date']").fill("05/01/2027")
        page.locator("#form-buttons-save").click()
        page.wait_for_load_state("networkidle")
        screenshot(page, "edit-form-outgoing-saved")
        stored = session("stttt.chuyenvien").get(doc).json()
        assert stored["due_date"] == "2027-01-05"
        assert stored["external_recipients"] == [
            {"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"},
            {"code": "000.00.00.G12", "name": "Bộ Thông tin và Truyền thông",
             "email": "vanthu@mic.gov.vn"}]
    finally:
        context.close()
