"""The one ``@registers`` service and the download pages, through real HTTP on the demo site.

Who sees which register (listing and reading), every provider as JSON, PDF and Excel, and the
translated refusals (404 unknown register, 400 bad dates / period / format, 401/403 no right).
"""

from dongthap.qlvb.registers.columns import REGISTERS
from tests.incoming.helpers import payload
from tests.incoming.helpers import PW
from tests.incoming.helpers import session
from tests.incoming.helpers import today
from tests.outgoing.test_rest import _chain
from tests.outgoing.test_rest import _create

import io
import pytest
import requests
import secrets
import subprocess

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ALL = ["incoming", "incoming_tracking", "outgoing", "outgoing_report"]
#: the dossier registers (dossiers/registers.py): every staff member who files into dossiers
DOSSIER_REGISTERS = ["dossier_documents", "dossiers"]
#: the register of copies (copies/registers.py): who makes, signs and files copies
COPY_REGISTERS = ["copies"]
STEMS = {
    "incoming": "so-dang-ky-van-ban-den",
    "incoming_tracking": "so-theo-doi-giai-quyet-van-ban-den",
    "outgoing": "so-dang-ky-van-ban-di",
    "outgoing_report": "bao-cao-tinh-hinh-giai-quyet-van-ban-di",
}
LABELS = {
    "incoming": "Sổ đăng ký văn bản đến",
    "incoming_tracking": "Sổ theo dõi giải quyết văn bản đến",
    "outgoing": "Sổ đăng ký văn bản đi",
}


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def registered(url):
    """A registered incoming document of so-tttt: (arrival number, title)."""
    title = f"Sổ chung {secrets.token_hex(3)}"
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(register=True, title=title))
    assert r.status_code == 201, r.text
    return r.json()["arrival_number"], title


def issued(url):
    """The notation of an outgoing document of so-tttt, issued today."""
    result = _chain(_create(url)["url"])
    assert result["review_state"] == "issued"
    return result["notation"]


def get(user, url, path, **params):
    return session(user).get(f"{url}/so-tttt/@registers{path}", params=params)


def pdf_text(data):
    done = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", "-", "-"], input=data,
                          capture_output=True, check=True)
    return " ".join(done.stdout.decode("utf-8").split())


def xlsx_rows(data):
    from openpyxl import load_workbook

    return [list(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


# ---------------------------------------------------------------- the listing


@pytest.mark.parametrize(("user", "names"), [
    ("stttt.vanthu", ALL + DOSSIER_REGISTERS + COPY_REGISTERS),
    ("stttt.lanhdao", ALL + DOSSIER_REGISTERS + COPY_REGISTERS),
    ("stttt.luutru", ALL + DOSSIER_REGISTERS + COPY_REGISTERS),
    ("stttt.chuyenvien", DOSSIER_REGISTERS), ("stttt.truongphong", DOSSIER_REGISTERS),
])
def test_listing_shows_the_registers_the_user_may_see(url, user, names):
    r = get(user, url, "")
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["name"] for i in items] == names
    for item in items:
        assert item["@id"] == f"{url}/so-tttt/@registers/{item['name']}"
        assert item["formats"] == ["json", "pdf", "xlsx"]
        assert item["printed_title"] == REGISTERS[item["name"]].title
        assert item["downloads"]["pdf"] == f"{item['@id']}?format=pdf"
        if item["name"] in LABELS:
            assert item["title"] == LABELS[item["name"]]


def test_another_agency_sees_no_register(url):
    r = session("snv.vanthu").get(f"{url}/so-tttt/@registers")
    assert r.status_code in (401, 403) or r.json()["items"] == [], r.text
    for name in ALL + DOSSIER_REGISTERS + COPY_REGISTERS:
        r = get("snv.vanthu", url, f"/{name}", format="pdf")
        assert r.status_code in (401, 403), (name, r.status_code)
        assert not r.content.startswith(b"%PDF")
    # their own agency's registers they do see
    own = session("snv.vanthu").get(f"{url}/so-noi-vu/@registers").json()
    assert [i["name"] for i in own["items"]] == ALL + DOSSIER_REGISTERS + COPY_REGISTERS
    assert all("/so-noi-vu/" in i["@id"] for i in own["items"])


@pytest.mark.parametrize("name", ALL)
def test_a_register_the_user_may_not_see_is_refused(url, name):
    for fmt in ("json", "pdf", "xlsx"):
        r = get("stttt.chuyenvien", url, f"/{name}", format=fmt)
        assert r.status_code == 403, (name, fmt, r.status_code)
        assert r.json()["error"]["message"].startswith("Tài khoản không được xem sổ")


# ---------------------------------------------------------------- each provider


@pytest.mark.parametrize("name", ALL)
def test_each_register_as_json_pdf_and_xlsx(url, name):
    """Each provider through the one service: its rows as JSON, a PDF and an Excel file."""
    if name.startswith("incoming"):
        number, title = registered(url)
        key, wanted = "arrival_number", number
    else:
        notation = issued(url)
        key, wanted = "notation", notation
    register = REGISTERS[name]
    # JSON
    r = get("stttt.vanthu", url, f"/{name}")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["name"] == name and body["title"] == register.title
    assert [c["header"] for c in body["columns"]] == list(register.headers)
    assert all(set(row) <= set(register.keys) for row in body["rows"])
    row = next((row for row in body["rows"] if row[key] == wanted), None)
    assert row is not None, (wanted, body["rows"])
    if name == "outgoing":
        assert row["issued_date"] == today().strftime("%d/%m/%Y")
    if name.startswith("incoming"):  # the shape clients of @registers/incoming read
        assert wanted in [r["arrival_number"] for r in body["register"]["rows"]]
        assert wanted in [r["arrival_number"] for r in body["tracking"]["rows"]]
    assert body["downloads"]["xlsx"] == f"{url}/so-tttt/@registers/{name}?format=xlsx"
    # PDF (a leader may read the registers too)
    r = get("stttt.lanhdao", url, f"/{name}", format="pdf")
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{STEMS[name]}-{today().year}.pdf"'
    text = pdf_text(r.content)
    assert register.title in text
    assert (title if name == "incoming" else str(wanted).split("/")[-1]) in text
    # XLSX
    r = get("stttt.vanthu", url, f"/{name}", format="xlsx", **{"from": f"01/01/{today().year}"})
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == XLSX
    assert f'filename="{STEMS[name]}-{today().year}.xlsx"' in r.headers["Content-Disposition"]
    rows = xlsx_rows(r.content)
    header = next(row for row in rows if row[:len(register.headers)] == list(register.headers))
    cells = [row[header.index(register.headers[register.keys.index(key)])]
             for row in rows[rows.index(header) + 1:]]
    assert wanted in cells or str(wanted) in cells, cells


def test_year_and_period(url):
    number, _title = registered(url)
    r = get("stttt.vanthu", url, "/outgoing", year="2020")
    assert r.status_code == 200
    body = r.json()
    assert (body["from"], body["to"], body["rows"]) == ("01/01/2020", "31/12/2020", [])
    r = get("stttt.vanthu", url, "/incoming", year="2020", format="xlsx")
    assert 'filename="so-dang-ky-van-ban-den-2020.xlsx"' in r.headers["Content-Disposition"]
    this_year = get("stttt.vanthu", url, "/incoming", year=str(today().year)).json()
    assert number in [row["arrival_number"] for row in this_year["rows"]]


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(("path", "params", "status", "words"), [
    ("/khong-co", {}, 404, "Không có sổ"),
    ("/khong-co", {"format": "pdf"}, 404, "Không có sổ"),
    ("/incoming/thua", {}, 404, "Không có sổ"),
    ("/outgoing", {"from": "31-12-2026"}, 400, "dd/mm/yyyy"),
    ("/outgoing", {"to": "32/01/2026", "format": "pdf"}, 400, "dd/mm/yyyy"),
    ("/incoming", {"year": "hai nghìn"}, 400, "dd/mm/yyyy"),
    ("/outgoing_report", {"from": "31/12/2026", "to": "01/01/2026"}, 400, "sau ngày kết thúc"),
    ("/outgoing", {"format": "docx"}, 400, "Không có định dạng"),
    ("/incoming", {"format": "pdf", "register": "outgoing"}, 400, "Không chọn được sổ"),
])
def test_refusals_are_translated(url, path, params, status, words):
    r = get("stttt.vanthu", url, path, **params)
    assert r.status_code == status, (path, params, r.text[:300])
    assert words in r.json()["error"]["message"], r.json()
    assert not r.content.startswith(b"%PDF") and not r.content.startswith(b"PK")


# ---------------------------------------------------------------- the browser


def browser(user):
    """A session like a browser's (no JSON Accept header)."""
    s = requests.Session()
    s.auth = (user, PW)
    return s


def test_browser_download_page_and_dashboard_links(url):
    notation = issued(url)
    clerk = browser("stttt.vanthu")
    page = clerk.get(f"{url}/so-tttt/@@van-ban-di")
    assert page.status_code == 200 and "qlvb-print-registers" in page.text
    assert "@@so-van-ban?register=outgoing&amp;format=pdf" in page.text
    assert "@@so-van-ban?register=outgoing_report&amp;format=xlsx" in page.text
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban", params={"register": "outgoing_report", "format": "xlsx"})
    assert r.status_code == 200 and r.headers["Content-Type"] == XLSX
    assert "attachment" in r.headers["Content-Disposition"]
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban", params={"register": "outgoing"})  # PDF by default
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    assert notation.split("/")[-1] in pdf_text(r.content)
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban", params={"register": "khong-co"})
    assert r.status_code == 404 and "Không có sổ" in r.text
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban", params={"register": "outgoing", "format": "json"})
    assert r.status_code == 400 and "Không có định dạng" in r.text
    r = clerk.get(f"{url}/so-tttt/@@so-van-ban-den", params={"register": "outgoing"})
    assert r.status_code == 400 and not r.content.startswith(b"%PDF")
    specialist = browser("stttt.chuyenvien")
    assert "qlvb-print-registers" not in specialist.get(f"{url}/so-tttt/@@van-ban-di").text
    r = specialist.get(f"{url}/so-tttt/@@so-van-ban", params={"register": "outgoing"}, allow_redirects=False)
    refused = r.status_code in (401, 403) or r.status_code == 302 and any(
        word in r.headers["Location"] for word in ("insufficient-privileges", "login"))
    assert refused and not r.content.startswith(b"%PDF"), (r.status_code, r.headers.get("Location"))
