"""A clerk makes a sao y of an incoming paper document in Chromium: from the document's page, through the
"Lập bản sao" form, to the issued copy in the series of copies (issue #22, item 2)."""

from dongthap.qlvb_testing.scans import make_scan
from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session

import base64


def test_clerk_makes_a_sao_y_of_an_incoming_paper_document(page, demo_server):  # noqa: F811
    url = demo_server["url"]
    scan = {"data": base64.b64encode(make_scan(300, pages=2)).decode(), "encoding": "base64",
            "filename": "quyet-dinh-quet.pdf", "content-type": "application/pdf"}
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(
        title="Quyết định về việc kiện toàn tổ công tác (bản giấy)", code_number="77", source="paper",
        file=scan, register=True))
    assert r.status_code == 201, r.text
    doc = r.json()["@id"]
    login(page, url, "stttt.vanthu", PW)
    page.goto(doc)
    box = page.locator(".qlvb-copies-of")
    assert "Lập bản sao" in box.inner_text()
    page.click(".qlvb-make-copy")
    page.wait_for_load_state("networkidle")
    assert "/@@lap-ban-sao" in page.url
    assert page.inner_text("h1.documentFirstHeading").strip() == "Lập bản sao văn bản"
    assert "bản gốc giấy, đã quét" in page.inner_text(".qlvb-copy-original")
    assert page.input_value("#c-place") == "Đồng Tháp"
    # forgetting the signer: refused in Vietnamese, nothing made
    page.select_option("#c-form", "sao_y")
    page.fill("#c-position", "GIÁM ĐỐC")
    page.click("#qlvb-copy-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Người ký phải là lãnh đạo của cơ quan." in page.inner_text("#qlvb-copy-form")
    page.select_option("#c-signer", "stttt.lanhdao")
    page.select_option("#c-medium", "electronic")
    page.fill("#c-recipients", "Sở Nội vụ; Lưu: VT")
    page.click("#qlvb-copy-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "/bs-" in page.url
    copy_url = page.url.split("?")[0]
    assert page.inner_text(".qlvb-copy-form-words").strip() == "SAO Y"
    assert page.inner_text(".qlvb-copy-state").strip() == "Đã lập, chờ ký"
    assert "Quyết định về việc kiện toàn tổ công tác" in page.inner_text(".qlvb-copy")
    # the chosen leader signs (REST here), then the clerk numbers and seals it on the page
    r = session("stttt.lanhdao").post(f"{copy_url}/@workflow/sign", json={})
    assert r.status_code == 200, r.text
    page.goto(copy_url)
    page.click(".qlvb-action-issue button")
    page.wait_for_load_state("networkidle")
    text = page.inner_text(".qlvb-copy")
    assert page.inner_text(".qlvb-copy-state").strip() == "Đã ban hành"
    notation = session("stttt.vanthu").get(f"{copy_url}/@copy").json()["notation"]
    assert notation.endswith("/SY-" + notation.split("/SY-")[1]) and "/SY-" in notation
    assert notation in text and "Đồng Tháp, " in text
    screenshot(page, "copy-sao-y-issued")
    # the original shows its copy
    page.goto(doc)
    assert notation in page.inner_text(".qlvb-copies-of")
