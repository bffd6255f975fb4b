"""A clerk issues a document signed by hand in Chromium: the scan is uploaded on the document page,
a scan below 200 dpi is refused in Vietnamese, a good one takes the next number (issue #22, item 1);
then "gửi bổ sung" with the pickers of the drafting form (issue #15)."""

from dongthap.qlvb_testing.scans import make_scan
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.outgoing.helpers import payload
from tests.outgoing.helpers import PW
from tests.outgoing.helpers import session


def test_clerk_issues_a_paper_signed_original_on_the_document_page(page, demo_server, tmp_path):  # noqa: F811
    url = demo_server["url"]
    uid = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/so-noi-vu").json()["UID"]
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing", json=payload(
        [uid], title="V/v kế hoạch kiểm tra (ký tay)"))
    assert r.status_code == 201, r.text
    doc = r.json()["url"]
    for user, transition in (("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
                             ("stttt.lanhdao", "approve")):
        assert session(user).post(f"{doc}/@workflow/{transition}", json={}).status_code == 200
    low, good = tmp_path / "quet-150.pdf", tmp_path / "quet-300.pdf"
    low.write_bytes(make_scan(150))
    good.write_bytes(make_scan(300, pages=2))
    login(page, url, "stttt.vanthu", PW)
    page.goto(doc)
    form = page.locator("form.qlvb-action-issue_paper")
    assert "Phát hành bản gốc ký tay" in form.inner_text()
    form.locator("input[type=file]").set_input_files(str(low))
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    assert "150 dpi" in page.inner_text("body") and "quét lại" in page.inner_text("body")
    assert session("stttt.vanthu").get(f"{doc}/@review-comments").json()["state"] == "approved"
    form = page.locator("form.qlvb-action-issue_paper")
    form.locator("input[type=file]").set_input_files(str(good))
    form.locator("button").click()
    page.wait_for_load_state("networkidle")
    info = session("stttt.vanthu").get(f"{doc}/@review-comments").json()
    assert info["state"] == "issued" and info["original_medium"] == "paper"
    text = page.inner_text("body")
    assert f"Đã phát hành bản gốc ký tay với số {info['notation']}." in text
    assert "Bản gốc giấy (ký tay, đóng dấu); bản quét (300 dpi) có giá trị tham khảo" in text
    screenshot(page, "paper-issue-issued")

    # "gửi bổ sung": the searchable tree of agencies (Sở Nội vụ already has it: shown, not offered)
    # and rows of name/code for a recipient outside the system
    form = page.locator("form.qlvb-add-recipients-form")
    served = form.locator(".form-check", has_text="Sở Nội vụ").first
    assert "(đã nhận)" in served.inner_text() and served.locator("input").is_disabled()
    form.locator(".qlvb-picker-search").fill("my tho")
    shown = [t.strip() for t in form.locator(".qlvb-checklist .form-check:visible label").all_inner_texts()]
    assert "UBND xã Mỹ Thọ" in shown and not any("Sở Nội vụ" in t for t in shown), shown
    form.locator(".form-check", has_text="UBND xã Mỹ Thọ").locator("input").check()
    form.locator(".qlvb-external-add").click()
    assert form.locator("tr.qlvb-external-row").count() == 3
    form.locator("input[name='external_recipients.name:records']").first.fill("Bộ Thông tin và Truyền thông")
    form.locator("input[name='external_recipients.code:records']").first.fill("000.00.00.G12")
    form.locator("input[name=confirm]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    text = page.inner_text("body")
    assert "Đã gửi bổ sung văn bản cho:" in text and "UBND xã Mỹ Thọ" in text, text[:800]
    items = session("stttt.vanthu").get(f"{doc}/@delivery-status").json()["items"]
    assert {"000.31.10.H20", "000.00.00.G12"} <= {i["agency_code"] for i in items}
