"""The registration form of incoming documents offers what it reads on the first page of the
chosen PDF (here a 200-dpi scan read by OCR), marked "gợi ý"; nothing is saved until the clerk
saves the form."""

from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import PW
from tests.incoming.helpers import session
from tests.search import nd30_page


def _count(url):
    r = session("stttt.vanthu").get(f"{url}/@search-documents", params={"text": "STTTT-BCVT"})
    return len(r.json()["items"])


def test_suggestions_from_a_scan_are_marked_and_saved_only_by_the_clerk(page, demo_server, tmp_path):  # noqa: F811
    url = demo_server["url"]
    scan = tmp_path / "cong-van-quet.pdf"
    scan.write_bytes(nd30_page.scan_of(nd30_page.text_pdf(nd30_page.CONG_VAN), dpi=200))
    before = _count(url)
    login(page, url, "stttt.vanthu", PW)
    page.goto(f"{url}/so-tttt/@@vao-so-van-ban-den")
    page.fill("#code_notation", "STTTT-BCVT")  # typed by the clerk: never overwritten
    page.set_input_files("#file", str(scan))
    page.wait_for_selector(".qlvb-suggest-done", timeout=120_000)
    screenshot(page, "incoming-suggestions")
    assert page.input_value("#code_number") == "125"
    assert page.input_value("#issued_date") == "05/12/2026"
    assert page.input_value("#document_type") == "cong_van"
    assert page.input_value("#title").startswith("Về việc triển khai ứng dụng chữ ký số")
    assert page.input_value("#issuing_agency_name")
    assert page.locator("label[for=code_number] .qlvb-suggestion-badge").inner_text() == "gợi ý"
    assert page.locator("label[for=code_notation] .qlvb-suggestion-badge").count() == 0
    assert "gợi ý" in page.locator("#qlvb-suggest-status").inner_text()
    assert _count(url) == before  # nothing saved
    page.fill("#title", "Về việc triển khai chữ ký số chuyên dùng")
    assert page.locator("label[for=title] .qlvb-suggestion-badge").count() == 0
    page.click("#qlvb-submit")
    page.wait_for_load_state("networkidle")
    assert _count(url) == before + 1
    assert "Về việc triển khai chữ ký số chuyên dùng" in page.content()


def test_the_suggestion_page_wants_a_pdf_and_the_right(demo_server):
    url = demo_server["url"]
    r = session("snv.vanthu").post(f"{url}/so-tttt/@@goi-y-van-ban-den", files={"file": ("a.pdf", b"x")})
    assert r.status_code in (401, 403)
