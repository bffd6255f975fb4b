"""The search through real HTTP: ``GET @search-documents`` (docs/rest example), the advanced
search page ``@@tim-kiem`` with its exports and saved searches, and the desk's quick box."""

from tests.incoming.helpers import payload
from tests.incoming.helpers import session
from tests.test_rest_docs import Recorder

import io
import pytest

TITLE = "Uỷ ban nhân dân tỉnh hướng dẫn ứng dụng chữ ký số ở địa phương"


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


@pytest.fixture
def created(url):
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(
        title=TITLE, code_number="77", code_notation="UBND-KSTT"))
    assert r.status_code == 201, r.text
    return r.json()


def test_rest_search_documents(url, created):
    from tests import test_rest_docs

    test_rest_docs.TITLES.setdefault("search_documents",
                                     "Search documents, typed without diacritics: "
                                     "`GET <agency>/@search-documents`")
    rec = Recorder(url)
    r = rec.call("search_documents", "stttt.vanthu", "GET",
                 "so-tttt/@search-documents?text=uy%20ban%20chu%20ky%20so&issuer=ubnd%20tinh&b_size=5")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["title"] for i in items] == [TITLE]
    assert items[0]["number"] == "77/UBND-KSTT" and items[0]["state"] == "Chờ vào sổ"
    assert items[0]["urgency"] == "Thường" and items[0]["legal_validity"] == "Chưa ký số"
    for query in ("77/UBND-KSTT", "số 77", "UBND-KSTT", "77 UBND KSTT"):
        r = session("stttt.vanthu").get(f"{url}/@search-documents", params={"text": query})
        assert [i["title"] for i in r.json()["items"]] == [TITLE], query
    # another agency's staff: nothing, and no way to name the agency
    other = session("snv.vanthu")
    assert other.get(f"{url}/@search-documents", params={"text": "77/UBND-KSTT"}).json()["items"] == []
    r = other.get(f"{url}/@search-documents", params={"text": "x", "agency": "so-tttt"})
    assert r.status_code == 400 and "cơ quan" in r.json()["error"]["message"]
    r = other.get(f"{url}/so-tttt/@search-documents", params={"text": "x"})
    assert r.status_code in (401, 403)
    r = session("stttt.vanthu").get(f"{url}/@search-documents", params={"issued_from": "31/02/2026"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Ban hành từ ngày: nhập ngày theo dạng dd/mm/yyyy."


def test_search_page_exports_and_saved_searches(url, created):
    from openpyxl import load_workbook

    s = session("stttt.vanthu")
    s.headers["Accept"] = "text/html"
    page = s.get(f"{url}/@@tim-kiem", params={"text": "UY BAN ung dung", "search": 1,
                                              "columns:list": ["number", "title", "state"]})
    assert page.status_code == 200
    assert "Tìm kiếm nâng cao" in page.text and TITLE in page.text and "77/UBND-KSTT" in page.text
    xlsx = s.get(f"{url}/@@tim-kiem", params={"text": "uy ban ung dung", "search": 1, "format": "xlsx",
                                              "columns:list": ["number", "title"]})
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [c for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert TITLE in cells and "77/UBND-KSTT" in cells
    assert any("In từ Hệ thống quản lý văn bản và điều hành" in str(c) for c in cells)
    pdf = s.get(f"{url}/@@tim-kiem", params={"text": "uy ban ung dung", "search": 1, "format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    import subprocess

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf.content,
                          capture_output=True, check=True).stdout.decode()
    text = " ".join(text.split())
    assert "In từ Hệ thống quản lý văn bản và điều hành" in text
    word = s.get(f"{url}/@@tim-kiem", params={"text": "uy ban ung dung", "search": 1, "format": "docx",
                                              "columns:list": ["number", "title"]})
    assert word.status_code == 200 and word.headers["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert 'filename="ket-qua-tim-kiem.docx"' in word.headers["Content-Disposition"]
    from docx import Document

    document = Document(io.BytesIO(word.content))
    table = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert table[0] == ["STT", "Số, ký hiệu", "Trích yếu"] and table[1] == ["1", "77/UBND-KSTT", TITLE]
    assert "KẾT QUẢ TÌM KIẾM VĂN BẢN" in [p.text for p in document.paragraphs]
    assert any(p.text.startswith("In từ Hệ thống quản lý văn bản và điều hành") for p in document.paragraphs)
    assert document.sections[0].footer.paragraphs[0].text.startswith("In từ Hệ thống quản lý văn bản")
    # a bad date: a clear message, status 400
    bad = s.get(f"{url}/@@tim-kiem", params={"issued_from": "32/13/2026", "search": 1})
    assert bad.status_code == 400 and "dd/mm/yyyy" in bad.text
    # saving a search (with the form's CSRF token), then finding it listed
    import re

    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    query = re.search(r'name="save_query" value="([^"]+)"', page.text).group(1)
    import html

    saved = s.post(f"{url}/@@tim-kiem", data={"_authenticator": token, "save_name": "Ủy ban ứng dụng",
                                             "save_query": html.unescape(query)})
    assert saved.status_code == 200 and "Ủy ban ứng dụng" in saved.text
    again = session("stttt.vanthu")
    again.headers["Accept"] = "text/html"
    assert "Ủy ban ứng dụng" in again.get(f"{url}/@@tim-kiem").text
    assert "Ủy ban ứng dụng" not in session("snv.vanthu").get(f"{url}/@@tim-kiem",
                                                             headers={"Accept": "text/html"}).text


def test_quick_search_on_the_agency(url, created):
    s = session("stttt.vanthu")
    s.headers["Accept"] = "text/html"
    for query in ("uy ban ung dung", "Ủy ban ứng dụng", "77/UBND-KSTT"):
        page = s.get(f"{url}/so-tttt/@@tim-van-ban", params={"q": query})
        assert page.status_code == 200 and TITLE in page.text, query
    assert "@@tim-kiem" in page.text
