"""Reading the audit trail: the security officer of the agency, the provincial admin, nobody else."""

from dongthap.qlvb.audit import store as audit_store
from dongthap.qlvb.demo import data as demo_data
from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import io
import openpyxl
import pytest


@pytest.fixture
def audited(demo_server, file_store):
    with audit_store.using(file_store):
        yield demo_server["url"], file_store


def _html(user):
    s = session(user)
    s.headers["Accept"] = "text/html"
    return s


def test_security_officer_reads_and_exports_own_agency(audited):
    url, store = audited
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(title="Văn bản mật ABC"))
    assert r.status_code == 201
    doc_url = r.json()["url"]
    session("stttt.vanthu").get(doc_url)  # a view

    officer = _html("stttt.antt")
    page = officer.get(f"{url}/so-tttt/@@nhat-ky-he-thong")
    assert page.status_code == 200
    assert "Văn bản mật ABC" in page.text and "stttt.vanthu" in page.text
    assert "Nhật ký hệ thống" in page.text

    xlsx = officer.get(f"{url}/so-tttt/@@nhat-ky-he-thong",
                       params={"format": "xlsx", "nguoi_dung": "stttt.vanthu"})
    assert xlsx.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert "Văn bản mật ABC" in cells and "stttt.vanthu" in cells

    # the view history on the document page: the leader sees it, a specialist assigned to it does not
    session("stttt.vanthu").post(f"{doc_url}/@workflow/register").raise_for_status()
    session("stttt.lanhdao").post(f"{doc_url}/@assign", json={"lead": {"user": "stttt.chuyenvien"}}
                                  ).raise_for_status()
    doc_page = _html("stttt.lanhdao").get(doc_url)
    assert doc_page.status_code == 200
    assert "Lịch sử truy cập văn bản" in doc_page.text
    history = doc_page.text.split('class="qlvb-view-history', 1)[1].split("</section>", 1)[0]
    clerk = [f for u, f, _t, _r in demo_data.demo_logins() if u == "stttt.vanthu"][0]
    assert clerk in history and "stttt.vanthu" not in history  # the person's name, not the id
    # only on the document's own page, not under the forms beside it
    assign_page = _html("stttt.lanhdao").get(f"{doc_url}/@@phan-cong")
    assert assign_page.status_code == 200
    assert "Lịch sử truy cập văn bản" not in assign_page.text
    specialist_page = _html("stttt.chuyenvien").get(doc_url)
    assert specialist_page.status_code == 200
    assert "Lịch sử truy cập văn bản" not in specialist_page.text

    # another agency's officer sees nothing of it; a clerk has no access to the trail
    other = _html("snv.antt").get(f"{url}/so-noi-vu/@@nhat-ky-he-thong")
    assert other.status_code == 200 and "Văn bản mật ABC" not in other.text
    for user, where in (("snv.antt", "so-tttt/"), ("stttt.vanthu", "so-tttt/"), ("stttt.antt", "")):
        refused = _html(user).get(f"{url}/{where}@@nhat-ky-he-thong", allow_redirects=False)
        assert refused.status_code in (302, 401, 403), (user, where)
        assert "require_login" in refused.headers.get("Location", "require_login")

    # reading the trail is itself audited (the export)
    exports = store.search(action="export", userid="stttt.antt")
    assert exports and exports[0]["detail"]["view"] == "nhat-ky-he-thong"


def test_bad_date_is_a_clear_error(audited):
    url, _store = audited
    page = _html("stttt.antt").get(f"{url}/so-tttt/@@nhat-ky-he-thong", params={"tu_ngay": "31/02/2026"})
    assert page.status_code == 400
    assert "dd/mm/yyyy" in page.text
