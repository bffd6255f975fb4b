"""One working day, role by role, in Chromium (issue 15, "Done means"): the clerk registers a paper
document → the leader assigns it to a department alone → the department head distributes it → the
specialist drafts the reply from it and completes it → review → the leader signs → the clerk
issues → the recipient's clerk registers it. Each step asserts what that user sees; screenshots of
every step go to var/test-screenshots/journey-<desktop|phone>-*.

At desktop size in the main run; at 390 px (a phone: the leader assigns and signs from it, with the
PDF in front of him) in the stress session that runs alongside (scripts/run-tests.sh) — both in CI.
"""

from tests.browser.conftest import login
from tests.browser.conftest import screenshot
from tests.incoming.helpers import PDF
from tests.incoming.helpers import PW
from tests.incoming.helpers import today

import datetime
import pytest
import re

PHONE = {"width": 390, "height": 844}


def _overflow(page):
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


class Journey:
    def __init__(self, page, url, size):
        self.page, self.url, self.size, self.step = page, url, size, 0

    def user(self, name):
        self.page.context.clear_cookies()
        login(self.page, self.url, name, PW)

    def shot(self, name):
        self.step += 1
        screenshot(self.page, f"journey-{self.size}-{self.step:02d}-{name}")
        if self.size == "phone":
            assert _overflow(self.page) <= 0, f"{name}: wider than the phone"

    def go(self, address):
        response = self.page.goto(address)
        assert response.status == 200, address
        self.page.wait_for_load_state("networkidle")

    def click(self, selector):
        target = self.page.locator(selector).first
        if self.size == "phone":
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1, selector
            with self.page.expect_navigation(timeout=60_000):  # a tap starts the navigation a moment later
                target.tap()
        else:
            target.click()
        self.page.wait_for_load_state("networkidle")

    def act(self, action, comment=""):
        form = self.page.locator(f"form.qlvb-action-{action}")
        assert form.count(), f"no button {action} for this user"
        if comment:
            form.locator("input[name=comment]").fill(comment)
        self.click(f"form.qlvb-action-{action} button")

    def message(self):
        return self.page.locator(".portalMessage").first.inner_text()


def _journey(chromium, demo_server, tmp_path, size):
    phone = size == "phone"
    context = chromium.new_context(
        locale="vi-VN", viewport=PHONE if phone else {"width": 1280, "height": 900},
        is_mobile=phone, has_touch=phone, device_scale_factor=2 if phone else 1)
    page = context.new_page()
    page.set_default_timeout(30000)
    try:
        _run(Journey(page, demo_server["url"], size), tmp_path)
    finally:
        context.close()


def _run(j, tmp_path):  # noqa: PLR0915 - one story, step by step
    page, url = j.page, j.url
    subject = f"Về việc báo cáo chuyển đổi số quý IV ({j.size})"
    code = "316" if j.size == "phone" else "315"
    pdf = tmp_path / "cong-van.pdf"
    pdf.write_bytes(PDF)

    # 1. the clerk registers the paper document
    j.user("stttt.vanthu")
    j.go(f"{url}/so-tttt/@@vao-so-van-ban-den")
    page.set_input_files("#file", str(pdf))
    page.fill("#title", subject)
    page.select_option("#document_type", "cong_van")
    page.fill("#code_number", code)
    page.fill("#code_notation", "UBND-VP")
    page.fill("#issued_date", (today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.fill("#issuing_agency_name", "UBND tỉnh Đồng Tháp")
    page.fill("#due_date", (today() + datetime.timedelta(days=10)).strftime("%d/%m/%Y"))
    j.shot("clerk-register-form")
    j.click("#qlvb-submit")
    assert "Đã vào sổ với số đến" in j.message()
    assert f"{code}/UBND-VP" in page.locator("#content").inner_text()
    incoming_url = page.url.split("?")[0].rstrip("/")
    assert "/van-ban-den/" in incoming_url
    values = page.locator(".qlvb-incoming-fields dd").all_inner_texts()
    assert values and all(v.strip() for v in values)  # an empty field is not listed
    j.shot("clerk-registered")

    # 2. the leader finds it waiting for assignment and gives it to a department alone
    j.user("stttt.lanhdao")
    j.go(f"{url}/so-tttt/@@van-ban-den")
    assert subject in page.locator(".qlvb-list-waiting_assignment").inner_text()
    j.shot("leader-waiting-assignment")
    j.go(f"{incoming_url}/@@phan-cong")
    assert page.locator(".qlvb-pdf-preview").is_visible()  # the PDF beside the phiếu giải quyết
    page.select_option("#lead_department", "cntt")
    page.fill("#direction", "Giao Phòng CNTT chủ trì tham mưu trả lời")
    j.shot("leader-assign-form")
    j.click("#qlvb-assign-submit")
    assert page.url.split("?")[0].rstrip("/") == incoming_url, page.locator("#content").inner_text()[:600]
    assert "Phòng Công nghệ thông tin" in page.locator(".qlvb-assignment").inner_text()
    j.shot("leader-assigned")

    # 3. the department head distributes it to a specialist of his department
    j.user("stttt.truongphong")
    j.go(incoming_url)
    assert subject in page.locator("h1").inner_text()
    assert "Giao Phòng CNTT chủ trì tham mưu trả lời" in page.locator(".qlvb-direction").inner_text()
    j.go(f"{incoming_url}/@@phan-cong")
    page.select_option("#reassign", ["stttt.chuyenvien"])
    page.fill("#direction", "Giao chuyên viên dự thảo văn bản trả lời")
    j.shot("head-distributes")
    j.click("#qlvb-assign-submit")
    assert "Võ Quốc Dũng" in page.locator(".qlvb-assignment").inner_text()
    j.shot("head-distributed")

    # 4. the specialist drafts the reply from the document, then completes it
    j.user("stttt.chuyenvien")
    j.go(f"{url}/so-tttt/@@van-ban-den")
    assert subject in page.locator("#content").inner_text()
    j.go(incoming_url)
    assert page.locator("form.qlvb-action-complete").count()
    j.click("a.qlvb-reply-link")
    assert subject in page.locator(".qlvb-reply-to").inner_text()
    reply = f"V/v trả lời báo cáo chuyển đổi số ({j.size})"
    page.fill("#f-title", reply)
    page.select_option("#f-dept", "vp")
    page.select_option("#f-signer", "stttt.lanhdao")
    page.fill("#f-position", "GIÁM ĐỐC")
    page.locator("label", has_text="Sở Nội vụ").first.click()
    page.set_input_files("#f-file", str(pdf))
    j.shot("specialist-draft-form")
    j.click("#qlvb-draft-form button[type=submit]")
    draft_url = page.url.split("?")[0].rstrip("/")
    assert "/van-ban-di/" in draft_url and reply in page.locator("h1").inner_text()
    j.act("submit")
    j.shot("specialist-submitted")
    j.go(incoming_url)
    j.act("complete", "Đã dự thảo văn bản trả lời")
    assert page.locator(".portalMessage").count()
    j.shot("specialist-completed")

    # 5. review: the department head forwards, the leader approves
    j.user("stttt.truongphong")
    j.go(f"{url}/so-tttt/@@van-ban-di")
    assert reply in page.locator(".qlvb-list-waiting_review").inner_text()
    j.go(draft_url)
    assert "Sở Nội vụ" in page.locator(".qlvb-outgoing-fields").inner_text()
    j.act("forward", "Kính trình Giám đốc")
    j.shot("head-forwarded")
    j.user("stttt.lanhdao")
    j.go(draft_url)
    assert "Kính trình Giám đốc" in page.locator(".qlvb-comments").inner_text()
    j.act("approve")
    j.shot("leader-approved")

    # 6. the leader signs, the PDF in front of him
    j.go(f"{url}/so-tttt/@@van-ban-di")
    assert reply in page.locator(".qlvb-list-waiting_signature").inner_text()
    j.go(draft_url)
    canvas = page.locator(".qlvb-pdf-canvas").first
    canvas.wait_for(state="visible")
    assert canvas.bounding_box()["width"] > 100
    before = page.locator(".qlvb-state").inner_text().strip()
    j.shot("leader-before-signing")
    j.act("sign")
    assert page.locator(".qlvb-state").inner_text().strip() not in ("", before)
    assert not page.locator("form.qlvb-action-sign").count()
    assert "Ký số" in page.locator("#content").inner_text()  # the trail names the signature
    j.shot("leader-signed")

    # 7. the clerk issues: number and date printed on the PDF, sent to Sở Nội vụ
    j.user("stttt.vanthu")
    j.go(f"{url}/so-tttt/@@van-ban-di")
    assert reply in page.locator(".qlvb-list-waiting_issue").inner_text()
    j.go(draft_url)
    j.act("issue")
    notation = re.search(r"\d{2,}/STTTT-VP", page.locator(".qlvb-outgoing-fields").inner_text()).group(0)
    assert notation in j.message()
    assert "Sở Nội vụ" in page.locator(".qlvb-delivery").inner_text()
    if j.size == "desktop":  # the history starts beside the preview, not below it
        preview = page.locator(".qlvb-pdf-preview").bounding_box()
        main = page.locator(".qlvb-doc-main").bounding_box()
        assert main["x"] + main["width"] <= preview["x"] and abs(main["y"] - preview["y"]) < 60
        history = page.locator(".qlvb-doc-main h2", has_text="Lịch sử xử lý").bounding_box()
        assert history["x"] + history["width"] <= preview["x"]  # in the column of the fields
    # the access history names people, not accounts
    assert "stttt.vanthu" not in page.locator(".qlvb-view-history").inner_text()
    j.shot("clerk-issued")

    # 8. the recipient's clerk finds it waiting and registers it
    j.user("snv.vanthu")
    j.go(f"{url}/so-noi-vu/@@van-ban-den")
    waiting = page.locator(".qlvb-list-waiting_registration")
    assert notation in waiting.inner_text()
    j.click(f".qlvb-list-waiting_registration a:has-text('{reply}')")
    j.act("register")
    assert "Đã vào sổ" in j.message()
    j.shot("recipient-registered")


def test_journey_desktop(chromium, demo_server, tmp_path):
    _journey(chromium, demo_server, tmp_path, "desktop")


@pytest.mark.stress
def test_journey_phone(chromium, demo_server, tmp_path):
    _journey(chromium, demo_server, tmp_path, "phone")
