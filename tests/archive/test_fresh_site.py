"""Export → import round trip into a *fresh* site: a second Plone site created for the test (its
own catalog, users and agency), the package uploaded through the import page (multipart form).
The dossier exported again from the fresh site has equal metadata and byte-identical files;
bad packages are refused with Vietnamese messages and store nothing."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import requests

from dongthap.qlvb.archive.package import read_package
from tests.archive.test_rest_archive import _closed_dossier
from tests.incoming.helpers import session

FRESH = "fresh-archive"
CODE = "000.00.77.H20"
RM = "moi.luutru"
PASSWORD = "Kho-LuuTru@2026"


@pytest.fixture
def fresh_site(demo_server):
    """A second Plone site with the add-on only (no demo data), one agency and its records manager."""
    import transaction
    from plone import api
    from plone.app.testing import SITE_OWNER_NAME
    from plone.testing.zope import login
    from Products.CMFPlone.factory import addPloneSite
    from zope.component.hooks import getSite, setSite

    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R

    app = demo_server["layer"]["app"]
    before = getSite()
    login(app["acl_users"], SITE_OWNER_NAME)
    site = addPloneSite(app, FRESH, title="Kho lưu trữ mới", default_language="vi", setup_content=False,
                        extension_ids=["plonetheme.barceloneta:default", "plone.restapi:default",
                                       "dongthap.qlvb:default"])
    setSite(site)
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=site, type="Agency", id="so-moi", title="Sở Lưu trữ Mới",
                                    agency_code=CODE, abbreviation="SLTM", level="department", safe_id=False)
        agencies.create_user(agency=agency, username=RM, fullname="Lưu Trữ Mới", email="moi@example.invalid",
                             password=PASSWORD, roles=[R.RECORDS_MANAGER])
    transaction.commit()
    setSite(before)
    base = demo_server["url"].rsplit("/", 1)[0]
    yield f"{base}/{FRESH}/so-moi"


def _upload(agency_url, data, filename="ho-so.zip"):
    s = requests.Session()
    s.auth = (RM, PASSWORD)
    page = s.get(f"{agency_url}/@@nhap-ho-so", timeout=60)
    assert page.status_code == 200, page.text[:300]
    assert "Nhập gói hồ sơ" in page.text and 'enctype="multipart/form-data"' in page.text
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    files = {"package": (filename, data, "application/zip")} if data is not None else {
        "package": ("", b"", "application/octet-stream")}
    return s.post(f"{agency_url}/@@nhap-ho-so", data={"_authenticator": token, "submitted": "1"},
                  files=files, timeout=120)


def _originals(package: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("van-ban/")}


def test_round_trip_into_a_fresh_site_through_the_import_page(demo_server, fresh_site):
    url = demo_server["url"]
    dossier = _closed_dossier(url)
    exported = session("stttt.luutru").get(f"{dossier['@id']}/@export")
    assert exported.status_code == 200
    package = exported.content
    rm = requests.Session()
    rm.auth = (RM, PASSWORD)
    rm.headers["Accept"] = "application/json"
    assert rm.get(f"{fresh_site}/@dossiers").json()["items_total"] == 0  # a fresh site: nothing yet

    # bad packages: a Vietnamese message, nothing stored
    r = _upload(fresh_site, None)
    assert r.status_code == 400 and "Hãy chọn gói hồ sơ (tệp ZIP)." in r.text
    r = _upload(fresh_site, b"%PDF-1.7 not a package", "ho-so.pdf")
    assert r.status_code == 400 and "Tệp này không phải gói hồ sơ: cần một tệp ZIP." in r.text
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(broken, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data + b"x" if name.startswith("van-ban/") else data)
    r = _upload(fresh_site, broken.getvalue())
    assert r.status_code == 400 and "SHA-256" in r.text and "alert-danger" in r.text
    assert rm.get(f"{fresh_site}/@dossiers").json()["items_total"] == 0

    # the real package: imported, the dossier page shown
    r = _upload(fresh_site, package)
    assert r.status_code == 200, r.text[:500]
    assert "/so-moi/ho-so/" in r.url and "Đã nhập hồ sơ" in r.text
    listed = rm.get(f"{fresh_site}/@dossiers").json()["items"]
    assert len(listed) == 1
    imported = listed[0]
    assert imported["file_code"].startswith(f"{CODE}.2025.")
    again = rm.get(f"{imported['@id']}/@export")
    assert again.status_code == 200
    with read_package(package) as a, read_package(again.content) as b:
        assert a.meta.dossier == b.meta.dossier  # the provenance codes (FileCode, OrganId…) kept
        assert [d.fields for d in a.meta.documents] == [d.fields for d in b.meta.documents]
        assert [d.extension for d in a.meta.documents] == [d.extension for d in b.meta.documents]
        files_a = {p: s for p, s in a.checksums.items() if p.startswith("van-ban/")}
        files_b = {p: s for p, s in b.checksums.items() if p.startswith("van-ban/")}
        assert files_a == files_b and len(files_a) == 2
    assert _originals(package) == _originals(again.content)  # byte for byte

    # the same package twice: refused in Vietnamese, still one dossier
    r = _upload(fresh_site, package)
    assert r.status_code == 400 and "đã tồn tại" in r.text
    assert rm.get(f"{fresh_site}/@dossiers").json()["items_total"] == 1
    # a specialist of the first site has no account here; the first site's records manager neither
    assert session("stttt.luutru").get(f"{fresh_site}/@@nhap-ho-so").status_code in (401, 403)
