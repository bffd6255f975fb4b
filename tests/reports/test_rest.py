"""``@reports`` and the report pages through real HTTP on the demo site with the known dataset:
JSON numbers, the XLSX opened with openpyxl, the PDF rendered to PNG and its Vietnamese text,
the dashboard's charts, the refusals and the links from "Sổ/báo cáo"."""

from tests.conftest import require
from tests.reports import dataset as D

import io
import requests
import shutil
import subprocess

PW = "Demo@2026"
Q1 = {"from": "01/01/2026", "to": "31/03/2026"}


def get(user, url, **params):
    auth = (user, PW) if user else None
    return requests.get(url, params=params, auth=auth, headers={"Accept": "application/json"}, timeout=120)


def test_province_report_json_and_xlsx(server, tmp_path):
    url = server["url"]
    r = get("qtht", f"{url}/@reports/edoc", **Q1)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["from"] == "01/01/2026" and body["to"] == "31/03/2026" and body["scope"] == "province"
    rows = {row["agency_code"]: row for row in body["rows"]}
    assert rows["000.00.14.H20"]["received"]["legal"] == 3
    assert rows["000.00.09.H20"]["received"]["total"] == 1
    assert body["totals"]["sent"]["axis"] == 1

    r = get("qtht", f"{url}/@reports/edoc", format="xlsx", **Q1)
    assert r.status_code == 200, r.text
    assert r.headers["Content-Disposition"] == (
        'attachment; filename="bao-cao-tinh-hinh-gui-nhan-van-ban-dien-tu-2026.xlsx"')
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[1][0] == "BÁO CÁO TÌNH HÌNH GỬI, NHẬN VĂN BẢN ĐIỆN TỬ"
    assert cells[2][0] == "Từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert cells[4][3] == "Văn bản đến" and cells[4][11] == "Văn bản đi"
    assert cells[5][3:11] == ["Tổng số", "Văn bản điện tử", "Ký số, giá trị pháp lý", "Giá trị tham khảo",
                              "Văn bản giấy", "Qua trục liên thông quốc gia", "Nội bộ hệ thống",
                              "Thư điện tử"]
    by_code = {row[2]: row for row in cells[6:] if row[2]}
    tttt = by_code["000.00.14.H20"]
    assert tttt[3:11] == [6, 5, 3, 2, 1, 2, 2, 1]  # numbers as numbers
    assert tttt[11:19] == [3, 2, 1, 1, 1, 1, 2, 0]
    totals = next(row for row in cells if row[1] == "Tổng cộng")
    assert totals[3:11] == [7, 6, 4, 2, 1, 3, 2, 1]
    mark = "In từ Hệ thống quản lý văn bản và điều hành"
    assert any(str(v).startswith(mark) for row in cells for v in row if v)


def _pdf_text_and_png(data, tmp_path):
    require(shutil.which("pdftotext") and shutil.which("pdftoppm"), "pdftotext, pdftoppm (poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(path), "-"], check=True,
                          capture_output=True).stdout.decode()
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
                   check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
    return " ".join(text.split())


def test_agency_pdf_processing_and_dashboard(server, tmp_path):
    url = server["url"]
    r = get("stttt.lanhdao", f"{url}/so-tttt/@reports/edoc", format="pdf", **Q1)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    text = _pdf_text_and_png(r.content, tmp_path)
    for heading in ("Sở Thông tin và Truyền thông", "BÁO CÁO TÌNH HÌNH GỬI, NHẬN VĂN BẢN ĐIỆN TỬ",
                    "Từ ngày 01/01/2026 đến ngày 31/03/2026", "Văn bản đến", "Văn bản đi",
                    "Tổng cộng", "Theo loại văn bản", "Quyết định", "Theo độ khẩn",
                    "In từ Hệ thống quản lý văn bản và điều hành"):
        assert heading in text, heading

    r = get("stttt.lanhdao", f"{url}/so-tttt/@reports/processing", kind="incoming", **Q1)
    assert r.status_code == 200, r.text
    assert r.json()["counts"] == D.EXPECTED_PROCESSING
    assert r.json()["as_of"] == "31/03/2026"
    r = get("stttt.lanhdao", f"{url}/so-tttt/@reports/processing", kind="incoming", format="pdf", **Q1)
    text = _pdf_text_and_png(r.content, tmp_path / "p") if (tmp_path / "p").mkdir() is None else ""
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐẾN" in text
    assert "Đã giải quyết trễ hạn" in text and "Văn bản báo cáo I2" in text

    r = get("stttt.lanhdao", f"{url}/so-tttt/@reports/dashboard", format="pdf")
    assert r.status_code == 200
    (tmp_path / "d").mkdir()
    text = _pdf_text_and_png(r.content, tmp_path / "d")
    for heading in ("TÌNH HÌNH XỬ LÝ CÔNG VIỆC", "Việc đang giải quyết và quá hạn theo phòng, ban",
                    "Văn bản đến theo tháng", "Phòng Công nghệ thông tin"):
        assert heading in text, heading
    r = get("stttt.lanhdao", f"{url}/so-tttt/@reports/dashboard", format="xlsx")
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(r.content)).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "TÌNH HÌNH XỬ LÝ CÔNG VIỆC" in values and "Theo phòng, ban" in values


def test_refusals_over_rest(server):
    url = server["url"]
    assert get(None, f"{url}/@reports/edoc").status_code == 401
    for user in ("stttt.vanthu", "stttt.lanhdao", "stttt.chuyenvien"):
        assert get(user, f"{url}/@reports/edoc", **Q1).status_code in (401, 403), user
    r = get("stttt.vanthu", f"{url}/so-tttt/@reports/processing", **Q1)
    assert r.status_code == 403
    assert r.json()["error"]["message"] == "Tài khoản không có quyền thực hiện thao tác này."
    assert get("snv.lanhdao", f"{url}/so-tttt/@reports/edoc", **Q1).status_code in (401, 403)
    # the province's administrator: counts, never the documents behind them
    assert get("qtht", f"{url}/so-tttt/@reports/edoc", **Q1).status_code == 200
    assert get("qtht", f"{url}/so-tttt/@reports/edoc-documents", direction="received", cell="total",
               **Q1).status_code == 403
    assert get("qtht", f"{url}/so-tttt/@reports/dashboard").status_code == 403
    r = get("stttt.lanhdao", f"{url}/so-tttt/@reports/edoc", year="20x6")
    assert r.status_code == 400
    assert r.json()["error"]["errors"][0]["field"] == "year"
    assert "không phải là năm" in r.json()["error"]["message"]
    assert get("stttt.lanhdao", f"{url}/so-tttt/@reports/nope").status_code == 404
    assert get("stttt.lanhdao", f"{url}/so-tttt/@reports/edoc", format="doc").status_code == 400


def test_pages(server):
    url = server["url"]
    s = requests.Session()
    s.auth = ("stttt.lanhdao", PW)
    page = s.get(f"{url}/so-tttt/@@so-bao-cao", timeout=60)
    assert page.status_code == 200
    assert "@@bao-cao-van-ban-dien-tu" in page.text and "@@bang-dieu-khien" in page.text
    assert "Báo cáo và thống kê" in page.text
    page = s.get(f"{url}/so-tttt/@@bao-cao-van-ban-dien-tu", params=Q1, timeout=60)
    assert page.status_code == 200
    assert 'data-cell="received-legal"' in page.text and "Văn bản gửi, nhận điện tử" in page.text
    page = s.get(f"{url}/so-tttt/@@bao-cao-van-ban-dien-tu",
                 params=dict(Q1, direction="received", cell="paper"),
                 timeout=60)
    assert "Văn bản báo cáo I3" in page.text and "Văn bản báo cáo I1" not in page.text
    page = s.get(f"{url}/so-tttt/@@bang-dieu-khien", timeout=60)
    assert page.status_code == 200 and "<svg" in page.text
    assert "<script" not in page.text.split("<svg")[1][:5000]
    page = s.get(f"{url}/so-tttt/@@bao-cao-giai-quyet", params=dict(Q1, kind="outgoing"), timeout=60)
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI" in page.text
    page = s.get(f"{url}/so-tttt/@@bao-cao-giai-quyet", params=dict(Q1, kind="incoming", department="vp"),
                 timeout=60)
    assert page.status_code == 200
    assert 'data-cell="late"' in page.text and "Văn bản báo cáo I2" in page.text
    assert "Văn bản báo cáo I4" not in page.text  # another department's
    # the province's page, for its administrator only
    admin = requests.Session()
    admin.auth = ("qtht", PW)
    page = admin.get(f"{url}/@@bao-cao-van-ban-dien-tu", params=Q1, timeout=60)
    assert page.status_code == 200 and "Sở Nội vụ" in page.text
    assert "Văn bản báo cáo" not in page.text  # no document content above the agency
    listing = admin.get(f"{url}/so-tttt/@@so-bao-cao", timeout=60).text
    assert f'href="{url}/@@bao-cao-van-ban-dien-tu"' in listing  # the province's report, from "Sổ/báo cáo"
    assert "@@bang-dieu-khien" not in listing
    refused = s.get(f"{url}/@@bao-cao-van-ban-dien-tu", timeout=60, allow_redirects=False)
    assert refused.status_code in (302, 401, 403)
