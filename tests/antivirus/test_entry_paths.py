"""Every entry path of files, through a real WSGI server and a real clamd.

Paths: plone.restapi (POST with base64 data, PATCH, TUS), the Classic UI add
form (zope.testbrowser), the safety net (code that creates content in the
server's database), the bulk import of collective.exportimport.  Each
infected sample must be refused with a Vietnamese message naming the file and
the signature, and NOTHING may be stored: no object, no catalog entry, no
blob file.  Plone's ``File`` type is used in the agency ``so-tttt`` (allowed
there for the test; the per-test DemoStorage forgets it afterwards).
"""

from __future__ import annotations

import base64
import json

import pytest
import requests
import transaction
from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD
from zope.component.hooks import setSite

from dongthap.qlvb.antivirus import eicar_bytes
from dongthap.qlvb.demo.data import DEMO_PASSWORD

from . import samples
from .conftest import TESTFILES_DIR, blob_files

ADMIN = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
EICAR_SAMPLES = {
    "eicar.com": eicar_bytes(),
    "ho-so-dinh-kem.zip": samples.zip_of(
        {"van-ban/readme.txt": b"hello", "van-ban/eicar.com": eicar_bytes()}
    ),
    "to-trinh.pdf": samples.reportlab_pdf_with_payload(eicar_bytes()),
    "bao-cao-dinh-kem.pdf": samples.handmade_pdf_with_embedded_file(eicar_bytes()),
}
TESTFILES = sorted(p.name for p in TESTFILES_DIR.glob("*")) if TESTFILES_DIR.is_dir() else []


@pytest.fixture
def server(av, demo_server):
    """The demo server; File addable in so-tttt; the test thread sees commits."""
    portal = demo_server["layer"]["portal"]
    setSite(portal)
    fti = portal.portal_types["Agency"]
    fti.allowed_content_types = tuple(fti.allowed_content_types) + ("File",)
    transaction.commit()
    return {"url": demo_server["url"], "portal": portal, "layer": demo_server["layer"]}


def vi(msgid, default):
    """The Vietnamese text of a msgid (the English default until the catalog has it)."""
    from zope.i18n import translate

    from dongthap.qlvb.i18n import _

    return translate(_(msgid, default=default), target_language="vi")


def session(auth=ADMIN):
    s = requests.Session()
    s.auth = auth
    s.headers["Accept"] = "application/json"
    return s


def file_json(name, data, content_type="application/octet-stream", **extra):
    body = {
        "@type": "File",
        "title": f"Tệp {name}",
        "file": {
            "data": base64.b64encode(data).decode("ascii"),
            "encoding": "base64",
            "filename": name,
            "content-type": content_type,
        },
    }
    body.update(extra)
    return body


def state(server):
    """What is stored now: ids in so-tttt, catalog paths, blob files."""
    transaction.begin()
    portal = server["portal"]
    agency = portal["so-tttt"]
    catalog = portal.portal_catalog.unrestrictedSearchResults(
        path="/".join(agency.getPhysicalPath()), portal_type="File"
    )
    return {
        "ids": set(agency.objectIds()),
        "catalog": {b.getPath() for b in catalog},
        "blobs": blob_files(portal),
    }


def assert_nothing_stored(before, after):
    assert after["ids"] == before["ids"]
    assert after["catalog"] == before["catalog"]
    assert after["blobs"] == before["blobs"]


def assert_refused_message(message, name, signature_prefix):
    assert name in message, message
    assert "nhiễm mã độc" in message, message
    assert signature_prefix in message, message
    assert "không được lưu" in message, message


def rest_error_message(response):
    body = response.json()
    messages = body.get("message")
    if isinstance(messages, list):
        return " ".join(m.get("message", "") for m in messages)
    if isinstance(body.get("error"), dict):
        return body["error"].get("message", "")
    return json.dumps(body, ensure_ascii=False)


# --------------------------------------------------------------------------
# REST


@pytest.mark.parametrize("name", sorted(EICAR_SAMPLES))
def test_rest_post_infected_refused(server, name):
    before = state(server)
    r = session().post(f"{server['url']}/so-tttt", json=file_json(name, EICAR_SAMPLES[name]))
    assert r.status_code == 400, r.text
    assert_refused_message(rest_error_message(r), name, "Eicar")
    assert_nothing_stored(before, state(server))


def test_rest_post_testfiles_refused(server, testfiles_dir):
    """All Debian clamav-testfiles samples through the REST API."""
    assert len(TESTFILES) >= 40
    before = state(server)
    s = session()
    for name in TESTFILES:
        r = s.post(
            f"{server['url']}/so-tttt", json=file_json(name, (testfiles_dir / name).read_bytes())
        )
        assert r.status_code == 400, (name, r.text)
        assert_refused_message(rest_error_message(r), name, "ClamAV-Test-File")
    assert_nothing_stored(before, state(server))


def test_rest_clean_accepted_then_patch_infected_refused(server):
    s = session()
    pdf = samples.clean_pdf()
    r = s.post(f"{server['url']}/so-tttt", json=file_json("cong-van.pdf", pdf, "application/pdf"))
    assert r.status_code == 201, r.text
    url = r.json()["@id"]
    obj_id = url.rsplit("/", 1)[-1]
    after_create = state(server)
    assert obj_id in after_create["ids"]
    obj = server["portal"]["so-tttt"][obj_id]
    assert obj.file.data == pdf
    from dongthap.qlvb.antivirus.api import is_verified

    assert is_verified(obj.file)
    # A docx is fine too.
    r = s.post(f"{server['url']}/so-tttt", json=file_json("ke-hoach.docx", samples.docx()))
    assert r.status_code == 201, r.text
    # PATCH with an infected file: refused, the stored file is unchanged.
    before = state(server)
    r = s.patch(url, json={"file": file_json("eicar.com", eicar_bytes())["file"]})
    assert r.status_code == 400, r.text
    assert_refused_message(rest_error_message(r), "eicar.com", "Eicar")
    assert_nothing_stored(before, state(server))
    assert server["portal"]["so-tttt"][obj_id].file.data == pdf


def _tus_upload(server, name, data):
    s = session()
    meta = ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}"
        for key, value in (("filename", name), ("content-type", "application/pdf"),
                           ("@type", "File"))
    )
    r = s.post(
        f"{server['url']}/so-tttt/@tus-upload",
        headers={"Tus-Resumable": "1.0.0", "Upload-Length": str(len(data)),
                 "Upload-Metadata": meta},
    )
    assert r.status_code == 201, r.text
    location = r.headers["Location"]
    return s.patch(
        location,
        data=data,
        headers={"Tus-Resumable": "1.0.0", "Upload-Offset": "0",
                 "Content-Type": "application/offset+octet-stream"},
    )


def test_tus_upload_infected_refused_clean_accepted(server):
    before = state(server)
    r = _tus_upload(server, "to-trinh.pdf", EICAR_SAMPLES["to-trinh.pdf"])
    assert r.status_code == 400, r.text
    assert_refused_message(rest_error_message(r), "to-trinh.pdf", "Eicar")
    assert_nothing_stored(before, state(server))
    r = _tus_upload(server, "sach.pdf", samples.clean_pdf())
    assert r.status_code == 204, r.text
    assert len(state(server)["ids"]) == len(before["ids"]) + 1


# --------------------------------------------------------------------------
# Classic UI form


def _form_browser(server):
    from plone.testing.zope import Browser

    browser = Browser(server["layer"]["app"])
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {SITE_OWNER_NAME}:{SITE_OWNER_PASSWORD}")
    browser.addHeader("Accept-Language", "vi")
    return browser


@pytest.mark.parametrize("name", ["eicar.com", "ho-so-dinh-kem.zip", "to-trinh.pdf"])
def test_form_upload_infected_refused_on_the_field(server, name):
    before = state(server)
    browser = _form_browser(server)
    portal_url = server["portal"].absolute_url()
    browser.open(f"{portal_url}/so-tttt/++add++File")
    browser.getControl(name="form.widgets.title").value = "Tệp nhiễm"
    browser.getControl(name="form.widgets.file").add_file(
        EICAR_SAMPLES[name], "application/octet-stream", name
    )
    browser.getControl(name="form.buttons.save").click()
    assert "++add++File" in browser.url or browser.url.endswith("/so-tttt")
    page = browser.contents
    field_html = page[page.find('id="formfield-form-widgets-file"') :]
    assert "invalid-feedback" in field_html[:4000] or "error" in field_html[:4000]
    assert_refused_message(page, name, "Eicar")
    assert_nothing_stored(before, state(server))


def test_form_upload_clean_accepted(server):
    before = state(server)
    browser = _form_browser(server)
    portal_url = server["portal"].absolute_url()
    browser.open(f"{portal_url}/so-tttt/++add++File")
    browser.getControl(name="form.widgets.title").value = "Công văn sạch"
    browser.getControl(name="form.widgets.file").add_file(
        samples.clean_pdf(), "application/pdf", "cong-van-sach.pdf"
    )
    browser.getControl(name="form.buttons.save").click()
    after = state(server)
    assert len(after["ids"]) == len(before["ids"]) + 1
    assert len(after["blobs"]) > len(before["blobs"])


# --------------------------------------------------------------------------
# Safety net and bulk import (code running in the site, committing)


def test_safety_net_code_path_commits_nothing(server):
    from plone import api
    from plone.namedfile.file import NamedBlobFile

    from dongthap.qlvb.antivirus import VirusFound

    before = state(server)
    portal = server["portal"]
    with api.env.adopt_roles(["Manager"]), pytest.raises(VirusFound):
        api.content.create(
            container=portal["so-tttt"], type="File", id="giao-nhan",
            file=NamedBlobFile(EICAR_SAMPLES["ho-so-dinh-kem.zip"], filename="giao-nhan.zip"),
        )
    from transaction.interfaces import DoomedTransaction

    with pytest.raises(DoomedTransaction):  # no caller can commit it
        transaction.commit()
    transaction.abort()
    assert_nothing_stored(before, state(server))


def test_bulk_import_refuses_infected_items(server):
    """collective.exportimport: the infected item is dropped, the clean one imported."""
    from collective.exportimport.import_content import ImportContent
    from plone import api
    from zope.globalrequest import setRequest
    from zope.interface import alsoProvides

    from dongthap.qlvb.interfaces import IQlvbLayer

    portal = server["portal"]
    request = server["layer"]["request"]
    alsoProvides(request, IQlvbLayer)
    setRequest(request)
    agency = portal["so-tttt"]
    url = agency.absolute_url()
    items = []
    for index, (name, data) in enumerate(
        [("nhap-sach.pdf", samples.clean_pdf()), ("nhap-nhiem.pdf", EICAR_SAMPLES["to-trinh.pdf"])]
    ):
        item = file_json(name, data, "application/pdf")
        item.update({
            "@id": f"{url}/import-{index}", "id": f"import-{index}",
            "UID": f"aaaaaaaaaaaaaaaaaaaaaaaaaaaa000{index}",
            "parent": {"@id": url, "UID": api.content.get_uuid(agency), "@type": "Agency"},
        })
        items.append(item)
    before = state(server)
    request.form["form.submitted"] = True
    request.form["import_to_current_folder"] = True
    with api.env.adopt_roles(["Manager"]):
        view = ImportContent(agency, request)
        view(jsonfile=json.dumps(items), return_json=True)
    transaction.commit()
    after = state(server)
    assert after["ids"] - before["ids"] == {"import-0"}
    from .test_plone_api import incidents_of

    (incident,) = incidents_of(portal, "nhap-nhiem.pdf")
    assert incident["kind"] == "infected" and incident["path_of_entry"] == "rest"


# --------------------------------------------------------------------------
# Failures of the scanner, limits, degraded mode


def test_clamd_stopped_mid_run_fail_closed(server, av):
    s = session()
    pdf = samples.clean_pdf("Cong van truoc khi clamd dung")
    assert s.post(f"{server['url']}/so-tttt", json=file_json("truoc.pdf", pdf)).status_code == 201
    av.stop()
    try:
        before = state(server)
        r = s.post(f"{server['url']}/so-tttt", json=file_json("trong-khi-dung.pdf", pdf))
        assert r.status_code == 400, r.text
        message = rest_error_message(r)
        assert "trong-khi-dung.pdf" in message and "Không quét được virus" in message
        assert_nothing_stored(before, state(server))
    finally:
        av.start()
    r = s.post(f"{server['url']}/so-tttt", json=file_json("sau-khi-chay-lai.pdf", pdf))
    assert r.status_code == 201, r.text


def test_stream_over_limit_refused(server, av, monkeypatch):
    s = session()
    big = b"%PDF-1.4\n" + b"1" * (3 * 1024 * 1024 + 1)  # client limit is 3 MB
    before = state(server)
    r = s.post(f"{server['url']}/so-tttt", json=file_json("qua-lon.pdf", big))
    assert r.status_code == 400, r.text
    assert "vượt quá giới hạn quét" in rest_error_message(r)
    # Client limit above clamd's StreamMaxLength (4 MB): clamd resets -> refused too.
    monkeypatch.setenv("QLVB_CLAMD_MAX_SIZE", "20M")
    bigger = b"%PDF-1.4\n" + b"2" * (5 * 1024 * 1024)
    r = s.post(f"{server['url']}/so-tttt", json=file_json("qua-lon-clamd.pdf", bigger))
    assert r.status_code == 400, r.text
    assert "Không quét được virus" in rest_error_message(r)
    assert_nothing_stored(before, state(server))


def test_degraded_mode_logged_and_visible(server, av):
    from plone import api

    admin = session()
    r = admin.patch(
        f"{server['url']}/@registry",
        json={"dongthap.qlvb.antivirus.degraded_reason": "Bảo trì clamd",
              "dongthap.qlvb.antivirus.degraded": True},
    )
    assert r.status_code == 204, r.text
    transaction.begin()
    assert api.portal.get_registry_record("dongthap.qlvb.antivirus.degraded_by") == SITE_OWNER_NAME
    av.stop()
    try:
        r = admin.post(f"{server['url']}/so-tttt", json=file_json("che-do-han-che.pdf",
                                                                 samples.clean_pdf()))
        assert r.status_code == 201, r.text  # accepted without scan...
        # ...but never silently: incident + banner for administrators
        r = session(("qtht", DEMO_PASSWORD)).get(f"{server['url']}/@av-incidents")
        kinds = {(i["kind"], i["filename"]) for i in r.json()["items"]}
        assert ("accepted_unscanned", "che-do-han-che.pdf") in kinds
        assert any(kind == "degraded_on" for kind, _f in kinds)
        page = requests.get(f"{server['url']}/so-tttt", auth=("qtht", DEMO_PASSWORD))
        assert "qlvb-av-degraded-banner" in page.text
        assert SITE_OWNER_NAME in page.text  # who switched it
        page = requests.get(f"{server['url']}/so-tttt", auth=("stttt.vanthu", DEMO_PASSWORD))
        assert "qlvb-av-degraded-banner" not in page.text  # administrators only
        unscanned = [i for i in r.json()["items"] if i["filename"] == "che-do-han-che.pdf"]
        assert len(unscanned) == 1  # one incident per file, not one per hook
        # infected files stay refused in degraded mode
        av.start()
        r = admin.post(f"{server['url']}/so-tttt", json=file_json("eicar.com", eicar_bytes()))
        assert r.status_code == 400
    finally:
        av.start()


# --------------------------------------------------------------------------
# Incidents: who sees what


def test_incidents_visible_to_the_agency_officer_only(server):
    s = session()
    r = s.post(f"{server['url']}/so-tttt", json=file_json("su-co.zip",
                                                         EICAR_SAMPLES["ho-so-dinh-kem.zip"]))
    assert r.status_code == 400
    officer = session(("stttt.antt", DEMO_PASSWORD))
    r = officer.get(f"{server['url']}/so-tttt/@av-incidents")
    assert r.status_code == 200, r.text
    (item,) = [i for i in r.json()["items"] if i["filename"] == "su-co.zip"]
    assert item["kind"] == "infected" and item["signature"].startswith("Eicar")
    assert item["agency_code"] == "000.00.14.H20" and item["path_of_entry"] == "rest"
    assert item["userid"] == SITE_OWNER_NAME and len(item["sha256"]) == 64
    assert item["kind_title"]
    # the officer of another agency: not there, not in their own list
    other = session(("snv.antt", DEMO_PASSWORD))
    assert other.get(f"{server['url']}/so-tttt/@av-incidents").status_code in (401, 403)
    own = other.get(f"{server['url']}/so-noi-vu/@av-incidents").json()
    assert all(i["filename"] != "su-co.zip" for i in own["items"])
    # the whole province: only the provincial admin
    assert officer.get(f"{server['url']}/@av-incidents").status_code in (401, 403)
    for user in ("stttt.vanthu", "stttt.quantri", "stttt.lanhdao"):
        r = session((user, DEMO_PASSWORD)).get(f"{server['url']}/so-tttt/@av-incidents")
        assert r.status_code in (401, 403), user
    r = session(("qtht", DEMO_PASSWORD)).get(f"{server['url']}/@av-incidents")
    assert any(i["filename"] == "su-co.zip" for i in r.json()["items"])
    # the page, with the notice, and the exports
    page = requests.get(f"{server['url']}/so-tttt", auth=("stttt.antt", DEMO_PASSWORD))
    assert "qlvb-av-new-incidents" in page.text
    page = requests.get(f"{server['url']}/so-tttt/@@su-co-attt",
                        auth=("stttt.antt", DEMO_PASSWORD))
    assert page.status_code == 200 and "su-co.zip" in page.text
    assert vi("heading_av_incidents", "Security incidents") in page.text
    page = requests.get(f"{server['url']}/so-tttt", auth=("stttt.antt", DEMO_PASSWORD))
    assert "qlvb-av-new-incidents" not in page.text  # seen
    csv_r = requests.get(f"{server['url']}/so-tttt/@@su-co-attt?export=csv",
                         auth=("stttt.antt", DEMO_PASSWORD))
    assert csv_r.headers["Content-Type"].startswith("text/csv")
    text = csv_r.content.decode("utf-8-sig")
    assert "su-co.zip" in text and "Eicar" in text
    xlsx_r = requests.get(f"{server['url']}/so-tttt/@@su-co-attt?export=xlsx",
                          auth=("stttt.antt", DEMO_PASSWORD))
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx_r.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "su-co.zip" in values
    denied = requests.get(f"{server['url']}/so-tttt/@@su-co-attt",
                          auth=("snv.antt", DEMO_PASSWORD), allow_redirects=False)
    assert denied.status_code in (302, 401, 403) and "su-co.zip" not in denied.text


# --------------------------------------------------------------------------
# Control panel


def test_controlpanel_status_and_scan_test(server, av):
    browser = _form_browser(server)
    portal_url = server["portal"].absolute_url()
    browser.open(f"{portal_url}/@@quet-virus")
    assert "qlvb-av-up" in browser.contents
    assert "ClamAV" in browser.contents or "1." in browser.contents
    browser.getControl(name="form.buttons.scan_test").click()
    assert "alert-success" in browser.contents and "Eicar" in browser.contents
    r = session(("qtht", DEMO_PASSWORD)).get(f"{server['url']}/@av-status")
    assert r.status_code == 200 and r.json()["reachable"] is True
    r = session(("qtht", DEMO_PASSWORD)).post(f"{server['url']}/@av-status")
    assert r.json()["ok"] is True and r.json()["signature"].startswith("Eicar")
    for user in ("stttt.antt", "stttt.quantri"):
        r = requests.get(f"{server['url']}/@@quet-virus", auth=(user, DEMO_PASSWORD),
                         allow_redirects=False)
        assert r.status_code in (302, 401, 403) and "qlvb-av-up" not in r.text, user
        r = session((user, DEMO_PASSWORD)).get(f"{server['url']}/@av-status")
        assert r.status_code in (401, 403), user
    av.stop()
    try:
        browser.open(f"{portal_url}/@@quet-virus")
        assert "qlvb-av-down" in browser.contents
        browser.getControl(name="form.buttons.scan_test").click()
        assert "alert-danger" in browser.contents
    finally:
        av.start()
