"""``@@xuat-nhap-du-lieu``: the site administrator's page (served demo site, Vietnamese)."""

from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import re
import requests

ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)


def _token(html):
    return re.search(r'name="_authenticator" value="([^"]+)"', html).group(1)


def test_page_is_for_site_administrators_only(demo_server):
    url = f"{demo_server['url']}/@@xuat-nhap-du-lieu"
    page = requests.get(url, auth=ADMIN, timeout=60)
    assert page.status_code == 200
    assert "Xuất, nhập và kiểm tra toàn vẹn dữ liệu" in page.text
    assert "Chuyển dữ liệu từ hệ thống cũ" in page.text
    clerk = requests.get(url, auth=("stttt.vanthu", "Demo@2026"), timeout=60, allow_redirects=False)
    assert clerk.status_code in (302, 401, 403)
    assert "Xuất toàn bộ dữ liệu" not in clerk.text


def test_migration_dry_run_error_and_integrity_from_the_page(demo_server, tmp_path):
    url = f"{demo_server['url']}/@@xuat-nhap-du-lieu"
    session = requests.Session()
    session.auth = ADMIN
    token = _token(session.get(url, timeout=60).text)
    missing = tmp_path / "khong-co.xlsx"
    answer = session.post(url, data={"_authenticator": token, "action": "migrate", "agency": "so-tttt",
                                     "kind": "incoming", "register": str(missing), "pdf_dir": str(tmp_path)},
                          timeout=60)
    assert answer.status_code == 400
    assert f"Không có tệp sổ {missing}." in answer.text
    checked = session.post(url, data={"_authenticator": token, "action": "integrity"}, timeout=120)
    assert checked.status_code == 200
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", checked.text))
    assert re.search(r"Văn bản: \d+, tệp: \d+, chữ ký đã kiểm tra: \d+, khác biệt: 0\.", text), text[-3000:]
    refused = session.post(url, data={"action": "integrity"}, timeout=60)  # no CSRF token
    assert refused.status_code == 403
