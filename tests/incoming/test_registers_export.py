"""The printable incoming registers (PDF, Excel) through REST and the dashboard link."""

from dongthap.qlvb.demo.data import demo_logins
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session
from tests.incoming.helpers import today

import io
import pytest
import requests
import secrets
import subprocess

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


@pytest.fixture
def registered(url):
    """Two registered documents of so-tttt with Vietnamese subjects: [(arrival number, title)]."""
    clerk = session("stttt.vanthu")
    docs = []
    for words in ("Ứng phó lũ", "Quyết định thưởng"):
        title = f"{words} {secrets.token_hex(3)}"
        r = clerk.post(f"{url}/so-tttt/@incoming", json=payload(register=True, title=title,
                                                                 code_number=str(len(docs) + 40)))
        assert r.status_code == 201, r.text
        docs.append((r.json()["arrival_number"], title))
    return docs


def pdf_text(data):
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def xlsx_rows(data):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def download(user, url, path="incoming", **params):
    r = session(user).get(f"{url}/so-tttt/@registers/{path}", params=params)
    return r


def test_register_as_pdf(url, registered):
    r = download("stttt.vanthu", url, format="pdf")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"] == (
        f'attachment; filename="so-dang-ky-van-ban-den-{today().year}.pdf"')
    assert r.content.startswith(b"%PDF-")
    text = pdf_text(r.content)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in text
    for number, title in registered:
        line = next((ln for ln in text.splitlines() if title in ln), None)
        assert line is not None, (title, text[:2000])
        assert str(number) in line.split(), line
    fullname = {u: f for u, f, *_rest in demo_logins()}["stttt.vanthu"]
    assert fullname in " ".join(text.split())


def test_register_as_xlsx_both_registers(url, registered):
    r = download("stttt.vanthu", url, format="xlsx")
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == XLSX
    assert f'filename="so-dang-ky-van-ban-den-{today().year}.xlsx"' in r.headers["Content-Disposition"]
    rows = xlsx_rows(r.content)
    header = next(row for row in rows if "Số đến" in row)
    number_col = header.index("Số đến")
    subject_col = header.index("Tên loại và trích yếu")
    for number, title in registered:
        row = next((row for row in rows if title in str(row[subject_col] or "")), None)
        assert row is not None, title
        assert row[number_col] in (number, str(number))
    # the processing register, by parameter and by sub-path
    for r in (download("stttt.vanthu", url, format="xlsx", register="incoming_tracking"),
              download("stttt.vanthu", url, "incoming_tracking", format="xlsx")):
        assert r.status_code == 200, r.text[:500]
        assert (f'filename="so-theo-doi-giai-quyet-van-ban-den-{today().year}.xlsx"'
                in r.headers["Content-Disposition"])
        rows = xlsx_rows(r.content)
        header = next(row for row in rows if "Tiến độ giải quyết" in row)
        numbers = [row[header.index("Số đến")] for row in rows[rows.index(header) + 1:]]
        for number, _title in registered:
            assert number in numbers or str(number) in numbers


def test_tracking_register_as_pdf_and_period(url, registered):
    r = download("stttt.vanthu", url, "incoming_tracking", format="pdf")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert "SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN" in pdf_text(r.content)
    # a period before the documents arrived lists none of them
    r = download("stttt.vanthu", url, format="pdf", **{"from": "01/01/2020", "to": "31/12/2020"})
    assert r.status_code == 200
    assert 'filename="so-dang-ky-van-ban-den-2020.pdf"' in r.headers["Content-Disposition"]
    text = pdf_text(r.content)
    assert all(title not in text for _n, title in registered)


def test_json_still_works_and_bad_choices_are_refused(url, registered):
    r = download("stttt.vanthu", url)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    numbers = [row["arrival_number"] for row in r.json()["register"]["rows"]]
    assert all(number in numbers for number, _t in registered)
    assert download("stttt.vanthu", url, format="docx").status_code == 400
    assert download("stttt.vanthu", url, format="pdf", register="outgoing").status_code == 400
    assert download("stttt.vanthu", url, "khong-co", format="pdf").status_code == 404
    assert download("stttt.vanthu", url, format="pdf", **{"from": "31/12/2026", "to": "01/01/2026"}
                    ).status_code == 400


@pytest.mark.parametrize("user", ["stttt.chuyenvien", "stttt.truongphong", "snv.vanthu"])
@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_without_the_register_permission_no_file(url, user, fmt):
    r = download(user, url, format=fmt)
    assert r.status_code in (401, 403), (user, r.status_code)
    assert not r.content.startswith(b"%PDF") and not r.content.startswith(b"PK")
    r = requests.get(f"{url}/so-tttt/@@so-van-ban-den", params={"format": fmt}, auth=(user, PW),
                     allow_redirects=False)
    refused = r.status_code in (401, 403) or r.status_code == 302 and any(
        word in r.headers["Location"] for word in ("insufficient-privileges", "login"))
    assert refused, (user, r.status_code, r.headers.get("Location"))
    assert not r.content.startswith(b"%PDF") and not r.content.startswith(b"PK")


def test_dashboard_links_download_the_registers(url, registered):
    clerk = requests.Session()
    clerk.auth = ("stttt.vanthu", PW)
    page = clerk.get(f"{url}/so-tttt/@@van-ban-den")
    assert page.status_code == 200
    assert "qlvb-print-registers" in page.text
    assert "@@so-van-ban-den?register=incoming&amp;format=pdf" in page.text
    assert "@@so-van-ban-den?register=incoming_tracking&amp;format=xlsx" in page.text
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban-den", params={"register": "incoming", "format": "pdf"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert "attachment" in r.headers["Content-Disposition"]
    assert registered[0][1] in pdf_text(r.content)
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban-den", params={"register": "incoming_tracking",
                                                            "format": "xlsx"})
    assert r.status_code == 200 and r.headers["Content-Type"] == XLSX
    specialist = requests.Session()
    specialist.auth = ("stttt.chuyenvien", PW)
    page = specialist.get(f"{url}/so-tttt/@@van-ban-den")
    assert "qlvb-print-registers" not in page.text
