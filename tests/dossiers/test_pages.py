"""The Classic UI pages of dossiers answer in Vietnamese, to the agency's staff only (real HTTP)."""

from tests.incoming.helpers import session

import datetime
import pytest


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _page(user, address):
    s = session(user)
    s.headers["Accept"] = "text/html"
    return s.get(address, allow_redirects=False)


def _refused(response):
    """401/403/404, or Plone's redirect of an unauthorized page to the login form."""
    if response.status_code == 302:
        return "login" in response.headers.get("Location", "")
    return response.status_code in (401, 403, 404)


def test_demo_schedule_page_and_printouts(url):
    year = datetime.date.today().year
    r = _page("stttt.luutru", f"{url}/so-tttt/@@danh-muc-ho-so?year={year}")
    assert r.status_code == 200
    assert "Danh mục hồ sơ" in r.text and "01.CNTT" in r.text and "Đã phê duyệt" in r.text
    assert "Vĩnh viễn" in r.text and "Sao chép sang năm sau" in r.text
    pdf = _page("stttt.lanhdao", f"{url}/so-tttt/@@in-danh-muc-ho-so?year={year}&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    xlsx = _page("stttt.chuyenvien", f"{url}/so-tttt/@@in-danh-muc-ho-so?year={year}&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    assert _page("stttt.luutru", f"{url}/so-tttt/@@in-danh-muc-ho-so?year=1999").status_code == 404


def test_dossier_pages_for_staff_and_nobody_else(url):
    r = _page("stttt.chuyenvien", f"{url}/so-tttt/@@ho-so")
    assert r.status_code == 200
    assert "Hồ sơ của tôi đang lập" in r.text and "Hồ sơ triển khai chuyển đổi số" in r.text
    r = _page("stttt.luutru", f"{url}/so-tttt/@@ho-so?state=open")
    assert "Văn bản chưa lập hồ sơ" in r.text and "Tập lưu công văn đi, đến" in r.text
    r = _page("stttt.chuyenvien", f"{url}/so-tttt")
    assert "@@ho-so" in r.text  # the link on the agency page
    for user in ("snv.luutru", "snv.vanthu"):
        for page in ("@@ho-so", "@@danh-muc-ho-so", "@@mo-ho-so", "@@in-danh-muc-ho-so"):
            assert _refused(_page(user, f"{url}/so-tttt/{page}")), (user, page)
    # the security officer and the agency admin have no dossier work
    assert _refused(_page("stttt.antt", f"{url}/so-tttt/@@ho-so"))


def test_demo_dossier_page_and_edit_form(url):
    mine = session("stttt.luutru").get(f"{url}/so-tttt/@dossiers", params={"mine": 1}).json()["items"]
    demo = next(d for d in mine if "Tập lưu công văn đi, đến" in d["title"])
    r = _page("stttt.luutru", demo["@id"])
    assert r.status_code == 200
    assert "Văn bản trong hồ sơ" in r.text and "Kết thúc hồ sơ" in r.text and "Mở hồ sơ" in r.text
    # the records manager sees the registered incoming documents of his agency (v1005_records)
    assert demo["doc_total"] == 2 and r.text.count("Văn bản không thuộc quyền xem của tài khoản.") == 0
    assert "Về việc triển khai chuyển đổi số năm 2026" in r.text
    r = _page("stttt.vanthu", demo["@id"])
    assert "Về việc triển khai chuyển đổi số năm 2026" in r.text
    r = _page("stttt.luutru", f"{demo['@id']}/edit")
    assert r.status_code == 200 and "Tiêu đề hồ sơ" in r.text and "Thời hạn bảo quản" in r.text
    # the specialist sees the public dossier but may not edit it
    assert _page("stttt.chuyenvien", demo["@id"]).status_code == 200
    assert _refused(_page("stttt.chuyenvien", f"{demo['@id']}/edit"))
