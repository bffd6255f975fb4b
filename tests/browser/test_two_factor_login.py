"""Two-factor login in the browser: an agency admin requires it of leaders, a leader logs in with his
password, is sent to enrolment (QR code), confirms a code, gets recovery codes; then logs in on
Plone's own login form with password and code (screenshots under var/test-screenshots/)."""

from dongthap.qlvb.accounts import totp
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot

import time


def test_leader_enrols_then_logs_in_with_the_code(chromium, demo_server):
    url = demo_server["url"]

    def fresh():
        return chromium.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900}).new_page()

    # the agency's admin requires two-factor login of leaders and administrators
    admin = fresh()
    login(admin, url, "stttt.quantri", DEMO_PASSWORD)
    admin.goto(f"{url}/so-tttt/@@can-bo")
    admin.click("text=Đăng nhập hai bước của cơ quan")
    admin.wait_for_load_state("networkidle")
    assert admin.is_checked("#mode-default")
    admin.check("#mode-leaders")
    admin.click("button[type=submit]")
    admin.wait_for_load_state("networkidle")
    assert "Đã lưu." in admin.content() and admin.is_checked("#mode-leaders")
    screenshot(admin, "2fa-agency-mode")
    admin.context.close()

    # a leader logs in with his password: before anything else he must enrol
    leader = fresh()
    leader.goto(f"{url}/login")
    assert leader.locator("label[for=__ac_otp]").inner_text().strip() == "Mã xác thực (đăng nhập hai bước)"
    login(leader, url, "stttt.lanhdao", DEMO_PASSWORD)
    leader.goto(f"{url}/so-tttt")
    leader.wait_for_load_state("networkidle")
    assert leader.url.endswith("/@@dang-nhap-hai-buoc")
    qr = leader.locator("#totp-qr svg")
    assert qr.count() == 1 and qr.bounding_box()["width"] >= 100
    screenshot(leader, "2fa-enrolment-qr")
    secret = leader.inner_text("#totp-secret").strip()
    leader.fill("input[name=code]", "000000")
    leader.click("button[type=submit]")
    assert "Mã xác thực không đúng hoặc đã hết hạn." in leader.content()
    leader.fill("input[name=code]", totp.totp(secret))
    leader.click("button[type=submit]")
    leader.wait_for_load_state("networkidle")
    codes = leader.locator("main li code").all_inner_texts()
    assert len(codes) == 10
    screenshot(leader, "2fa-recovery-codes")
    leader.context.close()

    # next time: Plone's login form wants the code too
    again = fresh()
    login(again, url, "stttt.lanhdao", DEMO_PASSWORD)
    assert "Đăng nhập không thành công" in again.content()
    assert not [c for c in again.context.cookies() if c["name"] == "__ac"]
    screenshot(again, "2fa-login-without-code")
    again.goto(f"{url}/login")
    again.fill("#__ac_name", "stttt.lanhdao")
    again.fill("#__ac_password", DEMO_PASSWORD)
    again.fill("#__ac_otp", totp.totp(secret, now=time.time() + 30))  # the next code (each works once)
    screenshot(again, "2fa-login-with-code")
    again.click("#buttons-login")
    again.wait_for_load_state("networkidle")
    assert [c for c in again.context.cookies() if c["name"] == "__ac"]
    again.goto(f"{url}/so-tttt")
    again.wait_for_load_state("networkidle")
    assert "Sở Thông tin và Truyền thông" in again.locator("#content").inner_text()
    screenshot(again, "2fa-logged-in")
    # a recovery code works once in place of the code
    again.context.close()
    rescue = fresh()
    rescue.goto(f"{url}/login")
    rescue.fill("#__ac_name", "stttt.lanhdao")
    rescue.fill("#__ac_password", DEMO_PASSWORD)
    rescue.fill("#__ac_otp", codes[0])
    rescue.click("#buttons-login")
    rescue.wait_for_load_state("networkidle")
    assert [c for c in rescue.context.cookies() if c["name"] == "__ac"]
    rescue.context.close()
