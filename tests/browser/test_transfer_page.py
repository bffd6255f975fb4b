"""``@@xuat-nhap-du-lieu`` in a browser: the administrator exports and reads what was done, in
Vietnamese; the province administrator of the demo (not a site administrator) cannot reach it.

One export of the demo site served by the shared ``demo_server`` (a few seconds); no new instance.
"""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.demo.data import PROVINCE_ADMIN
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot

import base64
import re


def test_admin_exports_and_sees_the_steps_a_province_admin_cannot_reach_it(chromium, page, demo_server):
    url = f"{demo_server['url']}/@@xuat-nhap-du-lieu"
    # the Zope root's administrator (basic auth on every request: Plone answers a missing login
    # with its login page, not a 401 challenge)
    token = base64.b64encode(f"{SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}".encode()).decode()
    admin = chromium.new_context(locale="vi-VN", extra_http_headers={"Authorization": f"Basic {token}"})
    try:
        tab = admin.new_page()
        tab.set_default_timeout(120000)
        assert tab.goto(url).status == 200
        assert tab.locator("h1").inner_text() == "Xuất, nhập và kiểm tra toàn vẹn dữ liệu"
        before = tab.locator("table.qlvb-transfer-exports tbody tr").count()
        tab.get_by_role("button", name="Xuất ngay").click()
        tab.wait_for_load_state("networkidle")
        screenshot(tab, "admin-transfer-export")
        result = tab.locator(".qlvb-transfer-result").inner_text()
        done = re.search(r"Đã xuất (\d+) đối tượng vào (\d{8}-\d{6})\.", result)
        assert done and int(done.group(1)) > 30, result
        steps = tab.locator("ol.qlvb-transfer-steps li").all_inner_texts()
        assert re.fullmatch(r"Người dùng và nhóm: \d+ người dùng\.", steps[0]), steps
        assert steps[1] == f"Nội dung: {done.group(1)} đối tượng.", steps
        assert re.fullmatch(r"Nhật ký hệ thống: \d+ bản ghi đã xuất\.", steps[2]), steps
        assert steps[-1] == "Hoàn tất.", steps
        rows = tab.locator("table.qlvb-transfer-exports tbody tr")
        assert rows.count() == before + 1
        assert done.group(2) in rows.first.inner_text()
    finally:
        admin.close()

    login(page, demo_server["url"], PROVINCE_ADMIN["username"], DEMO_PASSWORD)
    page.goto(url)
    assert page.get_by_role("button", name="Xuất ngay").count() == 0
    assert "Xuất, nhập và kiểm tra toàn vẹn dữ liệu" not in page.content()
