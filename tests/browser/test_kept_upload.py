"""A refused form keeps the chosen PDF on the server (issue 15, item 3): "Tệp đã chọn: X (giữ
lại)", the next try saves the document with it, a new choice replaces it, and the kept file is
worth nothing to another user."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.browser.conftest import login
from tests.browser.conftest import screenshot
from tests.incoming.helpers import PDF
from tests.incoming.helpers import PW
from tests.incoming.helpers import today

import datetime
import re
import requests


def _fill(page, code):
    page.fill("#title", "Về việc giữ lại tệp đã chọn")
    page.select_option("#document_type", "cong_van")
    page.fill("#code_number", code)
    page.fill("#code_notation", "UBND-VP")
    page.fill("#issuing_agency_name", "UBND tỉnh Đồng Tháp")


def test_registration_form_keeps_the_chosen_pdf(page, demo_server, tmp_path):
    url = demo_server["url"]
    pdf = tmp_path / "cong-van-giu-lai.pdf"
    pdf.write_bytes(PDF)
    annex = tmp_path / "phu-luc-giu-lai.pdf"
    annex.write_bytes(PDF)
    login(page, url, "stttt.vanthu", PW)
    page.goto(f"{url}/so-tttt/@@vao-so-van-ban-den")
    page.set_input_files("#file", str(pdf))
    page.set_input_files("#attachments", str(annex))
    _fill(page, "411")
    page.fill("#issued_date", "31/02/2026")  # no such day: refused by the server
    page.click("#qlvb-submit")
    page.wait_for_load_state("networkidle")
    kept = page.locator(".qlvb-kept-file")
    assert kept.is_visible()
    assert "Tệp đã chọn: cong-van-giu-lai.pdf (giữ lại)" in " ".join(kept.inner_text().split())
    assert not page.locator(".qlvb-choose-again").count()
    assert page.locator("#file").get_attribute("required") is None
    # the attachment is kept too, ticked (issue 15)
    annex_kept = page.locator(".qlvb-kept-attachments")
    assert "Tệp đính kèm đã chọn: phu-luc-giu-lai.pdf (giữ lại)" in " ".join(annex_kept.inner_text().split())
    assert annex_kept.locator("input[type=checkbox]").is_checked()
    screenshot(page, "register-kept-file")
    token = page.locator("input[name=kept_file]").get_attribute("value")

    # another user who may register documents here cannot use the token: no file for him
    other = requests.Session()
    other.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    form_page = other.get(f"{url}/so-tttt/@@vao-so-van-ban-den")
    assert form_page.status_code == 200
    other_auth = re.search(r'name="_authenticator"\s+value="([^"]+)"', form_page.text).group(1)
    answer = other.post(f"{url}/so-tttt/@@vao-so-van-ban-den", data={
        "form.submitted": "1", "_authenticator": other_auth, "kept_file": token,
        "title": "Lấy tệp của người khác", "document_type": "cong_van", "code_number": "412",
        "code_notation": "UBND-VP", "issuing_agency_name": "X", "urgency": "thuong",
        "source": "paper"}, allow_redirects=False)
    assert answer.status_code == 400 and "cong-van-giu-lai.pdf" not in answer.text
    assert "qlvb-kept-file" not in answer.text

    # the next try, without choosing the file again, saves the document with the kept PDF
    page.fill("#issued_date", (today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.click("#qlvb-submit")
    page.wait_for_load_state("networkidle")
    doc_url = page.url.split("?")[0].rstrip("/")
    assert "/van-ban-den/" in doc_url, page.locator("#content").inner_text()[:500]
    screenshot(page, "register-with-kept-file")
    clerk = requests.Session()
    clerk.auth, clerk.headers["Accept"] = ("stttt.vanthu", PW), "application/json"
    stored = clerk.get(doc_url).json()
    assert stored["file"]["filename"] == "cong-van-giu-lai.pdf"
    assert [a["filename"] for a in stored["attachments"]] == ["phu-luc-giu-lai.pdf"]
    assert clerk.get(stored["file"]["download"]).content == PDF


def test_a_new_choice_replaces_the_kept_file(page, demo_server, tmp_path):
    url = demo_server["url"]
    first, second = tmp_path / "ban-dau.pdf", tmp_path / "thay-the.pdf"
    first.write_bytes(PDF)
    second.write_bytes(PDF)
    login(page, url, "stttt.vanthu", PW)
    page.goto(f"{url}/so-tttt/@@vao-so-van-ban-den")
    page.set_input_files("#file", str(first))
    _fill(page, "413")
    page.fill("#issued_date", "31/02/2026")
    page.click("#qlvb-submit")
    page.wait_for_load_state("networkidle")
    assert "ban-dau.pdf" in page.locator(".qlvb-kept-file").inner_text()
    page.set_input_files("#file", str(second))
    page.fill("#issued_date", (today() - datetime.timedelta(days=1)).strftime("%d/%m/%Y"))
    page.click("#qlvb-submit")
    page.wait_for_load_state("networkidle")
    doc_url = page.url.split("?")[0].rstrip("/")
    clerk = requests.Session()
    clerk.auth, clerk.headers["Accept"] = ("stttt.vanthu", PW), "application/json"
    assert clerk.get(doc_url).json()["file"]["filename"] == "thay-the.pdf"


def test_draft_form_keeps_the_chosen_file(page, demo_server, tmp_path):
    url = demo_server["url"]
    pdf = tmp_path / "du-thao-giu-lai.pdf"
    pdf.write_bytes(PDF)
    login(page, url, "stttt.chuyenvien", PW)
    page.goto(f"{url}/so-tttt/@@soan-van-ban-di")
    page.select_option("#f-signer", "stttt.lanhdao")
    page.fill("#f-position", "GIÁM ĐỐC")
    page.set_input_files("#f-file", str(pdf))
    page.click("#qlvb-draft-form button[type=submit]")  # no subject: refused
    page.wait_for_load_state("networkidle")
    assert "Tệp đã chọn: du-thao-giu-lai.pdf (giữ lại)" in " ".join(
        page.locator(".qlvb-kept-file").inner_text().split())
    screenshot(page, "draft-kept-file")
    page.fill("#f-title", "V/v dự thảo giữ lại tệp")
    page.click("#qlvb-draft-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    doc_url = page.url.split("?")[0].rstrip("/")
    assert "/van-ban-di/" in doc_url, page.locator("#content").inner_text()[:500]
    drafter = requests.Session()
    drafter.auth, drafter.headers["Accept"] = ("stttt.chuyenvien", PW), "application/json"
    assert drafter.get(doc_url).json()["file"]["filename"] == "du-thao-giu-lai.pdf"
