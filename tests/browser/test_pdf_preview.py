"""The PDF preview (issue 15, item 2): pdf.js draws page 1 of the main file and of an attachment on
the document page and beside the assignment form, under the site's Content-Security-Policy; the
files are served inline only to those who may view the document."""

from dongthap.qlvb.demo.incoming import make_pdf
from tests.browser.conftest import chromium  # noqa: F401 - fixture
from tests.browser.conftest import login
from tests.browser.conftest import page  # noqa: F401 - fixture
from tests.browser.conftest import screenshot
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session

import base64
import pytest
import requests

MAIN = make_pdf(["UBND TỈNH ĐỒNG THÁP", "Số: 77/UBND-VP", "Văn bản xem trước"], pages=3)
ATTACHMENT = make_pdf(["Phụ lục kèm theo"], pages=2)


@pytest.fixture
def document(demo_server):
    url = demo_server["url"]
    body = payload(title="Về việc xem trước văn bản PDF", code_number="77", register=True,
                   file={"data": base64.b64encode(MAIN).decode(), "encoding": "base64",
                         "filename": "cv77.pdf", "content-type": "application/pdf"},
                   attachments=[{"data": base64.b64encode(ATTACHMENT).decode(), "encoding": "base64",
                                 "filename": "phu-luc.pdf", "content-type": "application/pdf"}])
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=body)
    assert r.status_code == 201, r.text
    return r.json()["@id"]


def _watch_csp(page):  # noqa: F811
    problems = []
    page.on("console", lambda msg: problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    return problems


def _drawn(page):  # noqa: F811
    """Whether the preview's canvas has non-white pixels (pdf.js drew the page)."""
    return page.eval_on_selector(".qlvb-pdf-canvas", """c => {
        if (!c.width || !c.height) return false;
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 200) return true;
        return false; }""")


def _wait_rendered(page, number="1"):  # noqa: F811
    page.wait_for_selector(f".qlvb-pdf-preview[data-rendered-page='{number}']")


def test_preview_shows_main_file_and_attachment(page, demo_server, document, tmp_path):  # noqa: F811
    url = demo_server["url"]
    problems = _watch_csp(page)
    login(page, url, "stttt.vanthu", PW)
    page.goto(document)
    _wait_rendered(page)
    assert page.inner_text(".qlvb-pdf-count") == "3"
    assert _drawn(page)
    tabs = page.locator(".qlvb-pdf-tab").all_inner_texts()
    assert tabs == ["Văn bản: cv77.pdf", "Tệp đính kèm: phu-luc.pdf"]
    assert "Trang" in page.inner_text(".qlvb-pdf-toolbar")
    page.click(".qlvb-pdf-next")
    _wait_rendered(page, "2")
    screenshot(page, "pdf-preview-document")
    page.locator(".qlvb-pdf-tab").nth(1).click()
    page.wait_for_function("document.querySelector('.qlvb-pdf-count').textContent === '2'")
    _wait_rendered(page)
    assert _drawn(page)
    # the link opens the PDF in the browser instead of downloading it
    href = page.get_attribute(".qlvb-pdf-open", "href")
    r = page.request.get(href)
    assert r.status == 200 and r.headers["content-type"].startswith("application/pdf")
    assert r.headers["content-disposition"].startswith("inline")
    assert r.headers["x-content-type-options"] == "nosniff"
    assert problems == [], problems

    # the registration form shows the chosen file before it is sent
    pdf = tmp_path / "cv78.pdf"
    pdf.write_bytes(MAIN)
    page.goto(f"{url}/so-tttt/@@vao-so-van-ban-den")
    page.set_input_files("#file", str(pdf))
    _wait_rendered(page)
    assert page.inner_text(".qlvb-pdf-count") == "3" and _drawn(page)
    assert problems == [], problems

    # beside the assignment form, on a phone
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, url, "stttt.lanhdao", PW)
    page.goto(f"{document}/@@phan-cong")
    _wait_rendered(page)
    assert _drawn(page)
    width = page.eval_on_selector(".qlvb-pdf-canvas", "c => c.getBoundingClientRect().width")
    assert 200 < width <= 390
    screenshot(page, "pdf-preview-assign-phone")
    assert problems == [], problems


def test_other_agency_cannot_get_the_files(demo_server, document):
    for path in ("@@display-file/file", "@@tep-dinh-kem/0", "@@xem-truoc-pdf"):
        assert session("stttt.vanthu").get(f"{document}/{path}").status_code == 200, path
        other = session("snv.vanthu").get(f"{document}/{path}")
        assert other.status_code in (401, 403, 404) and b"%PDF" not in other.content, path
        anonymous = requests.get(f"{document}/{path}", allow_redirects=False)
        assert anonymous.status_code in (302, 401, 403, 404), path  # 302: to the login form
        assert b"%PDF" not in anonymous.content and b"qlvb-pdf" not in anonymous.content
