"""The Plone side without HTTP: check_file, the safety net, incidents, e-mail.

Integration layer (rolled back after each test) with the real private clamd.
Incidents are committed in a separate connection, so they are read back in a
fresh connection (:func:`stored_incidents`) - which is also the proof that
they survive the abort of the refused upload's transaction.
"""

from __future__ import annotations

import hashlib
import os

import pytest
import transaction
from plone import api
from plone.app.testing import TEST_USER_ID, setRoles
from plone.namedfile.file import NamedBlobFile

from dongthap.qlvb.antivirus import (
    INFECTED,
    NOT_SCANNED,
    ScanFailed,
    VirusFound,
    eicar_bytes,
)
from dongthap.qlvb.antivirus import api as av_api
from dongthap.qlvb.antivirus import incidents, settings

from . import samples

TESTFILES_DIR = "/usr/share/clamav-testfiles"


def stored_incidents(context=None):
    """All incidents as committed (read through a new connection)."""
    portal = api.portal.get()
    tm = transaction.TransactionManager()
    conn = portal._p_jar.db().open(transaction_manager=tm)
    try:
        log = incidents.get_log(conn.get(portal._p_oid))
        return log.query() if log is not None else []
    finally:
        tm.abort()
        conn.close()


def incidents_of(context, filename):
    return [i for i in stored_incidents() if i["filename"] == filename]


@pytest.fixture
def folder(site, av):
    setRoles(site, TEST_USER_ID, ["Manager"])
    return api.content.create(container=site, type="Folder", id="av-test", title="AV test")


@pytest.fixture
def mailhost(site):
    from Products.CMFPlone.tests.utils import MockMailHost
    from Products.MailHost.interfaces import IMailHost

    sm = site.getSiteManager()
    original = site.MailHost
    mock = MockMailHost("MailHost")
    mock.smtp_host = "localhost"
    site.MailHost = mock
    sm.registerUtility(mock, provided=IMailHost)
    api.portal.set_registry_record("plone.email_from_address", "qlvb@example.invalid")
    api.portal.set_registry_record("plone.email_from_name", "QLVB")
    yield mock
    site.MailHost = original
    sm.registerUtility(original, provided=IMailHost)


def test_settings_from_environment(av):
    config = settings.get_config()
    assert config.address == av.socket  # unix:// prefix removed
    assert config.max_stream_size == 3 * 1024 * 1024
    assert config.enabled and not config.degraded


def test_settings_in_registry(site):
    assert api.portal.get_registry_record("dongthap.qlvb.antivirus.enabled") is True
    assert api.portal.get_registry_record("dongthap.qlvb.antivirus.degraded") is False
    assert api.portal.get_registry_record("dongthap.qlvb.antivirus.max_size_mb") == 50


def test_check_file_clean_and_cached(folder, monkeypatch):
    calls = []
    real = av_api.check_upload

    def counting(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(av_api, "check_upload", counting)
    pdf = samples.clean_pdf()
    result = av_api.check_file(pdf, "cv.pdf", path_of_entry="api", context=folder)
    assert result.clean and result.sha256 == hashlib.sha256(pdf).hexdigest()
    # The same bytes again in this transaction (e.g. the safety net): not rescanned.
    value = NamedBlobFile(pdf, filename="cv.pdf")
    obj = api.content.create(container=folder, type="File", id="cv", file=value)
    assert calls == ["cv.pdf"]
    assert av_api.is_verified(obj.file)


def test_marker_is_bound_to_content_and_secret(folder):
    value = NamedBlobFile(samples.clean_pdf(), filename="a.pdf")
    av_api.check_file(value, "a.pdf", path_of_entry="api")
    assert av_api.is_verified(value)
    status, sha, size, modified, mac = value._qlvb_av
    value._qlvb_av = (status, sha, size, modified, "0" * 64)  # forged
    assert not av_api.is_verified(value)
    value._qlvb_av = (status, sha, size, modified, mac)
    value.data = b"other bytes"  # new content: the marker no longer applies
    assert not av_api.is_verified(value)


@pytest.mark.parametrize(
    "name,data",
    [
        ("eicar.com", eicar_bytes()),
        ("ho-so.zip", samples.zip_of({"a/readme.txt": b"x", "a/eicar.com": eicar_bytes()})),
        ("to-trinh.pdf", samples.reportlab_pdf_with_payload(eicar_bytes())),
    ],
    ids=["eicar", "zip", "pdf"],
)
def test_safety_net_refuses_infected_blob(folder, name, data):
    """api.content.create with an infected NamedBlobFile: raise, doomed, recorded."""
    before = len(incidents_of(folder, name))
    with pytest.raises(VirusFound) as info:
        api.content.create(
            container=folder, type="File", id="bad", file=NamedBlobFile(data, filename=name)
        )
    assert info.value.result.signature.startswith("Eicar")
    assert transaction.get().isDoomed()  # no code path can commit it any more
    transaction.abort()
    assert "av-test" not in api.portal.get().objectIds()
    assert not api.content.find(id="bad")
    found = incidents_of(folder, name)
    assert len(found) == before + 1
    incident = found[0]
    assert incident["kind"] == INFECTED
    assert incident["path_of_entry"] == "event"
    assert incident["sha256"] == hashlib.sha256(data).hexdigest()
    assert incident["size"] == len(data)
    assert incident["userid"] == TEST_USER_ID
    assert incident["signature"].startswith("Eicar")


def test_safety_net_modified_event(folder):
    obj = api.content.create(
        container=folder,
        type="File",
        id="good",
        file=NamedBlobFile(samples.clean_pdf(), filename="good.pdf"),
    )
    obj.file = NamedBlobFile(eicar_bytes(), filename="v2.com")  # e.g. a new version
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    with pytest.raises(VirusFound):
        notify(ObjectModifiedEvent(obj))
    assert transaction.get().isDoomed()
    transaction.abort()


def test_check_file_for_other_capabilities(site, av, mailhost):
    """delivery / exchange call check_file with bytes and the agency."""
    setRoles(site, TEST_USER_ID, ["Manager"])
    agency = api.content.create(
        container=site, type="Agency", id="so-test", title="Sở Thử nghiệm",
        agency_code="000.00.99.H20", abbreviation="STN", level="department",
    )
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R

    api.user.create(username="officer", email="officer@example.invalid", password="secret123!")
    agencies.assign(agency=agency, username="officer", roles=[R.SECURITY_OFFICER])
    name = "edxml-dinh-kem.zip"
    with pytest.raises(VirusFound) as info:
        av_api.check_file(
            samples.zip_of({"eicar.txt": eicar_bytes()}), name,
            path_of_entry="exchange", agency=agency,
        )
    from zope.i18n import translate

    text = translate(info.value.message, target_language="vi")
    assert name in text and "nhiễm mã độc" in text and "Eicar" in text
    (incident,) = incidents_of(site, name)
    assert incident["path_of_entry"] == "exchange"
    assert incident["agency_code"] == "000.00.99.H20"
    assert incident["agency_uid"] == api.content.get_uuid(agency)
    assert len(mailhost.messages) == 1
    mail = mailhost.messages[0].decode("utf-8") if isinstance(
        mailhost.messages[0], bytes) else str(mailhost.messages[0])
    assert "officer@example.invalid" in mail


def test_testfiles_refused_through_api(folder, testfiles_dir):
    from tests.conftest import require

    require(os.path.isdir(TESTFILES_DIR), "clamav-testfiles")
    names = sorted(p.name for p in testfiles_dir.iterdir())
    assert len(names) >= 40
    for name in names:
        with pytest.raises(VirusFound) as info:
            av_api.check_file((testfiles_dir / name).read_bytes(), name, path_of_entry="import")
        assert info.value.result.signature.startswith("ClamAV-Test-File")


def test_unreachable_refused_then_degraded_accepts(folder, monkeypatch, tmp_path):
    monkeypatch.setenv("QLVB_CLAMD", f"unix://{tmp_path}/nothing.sock")
    name = "khong-quet.pdf"
    with pytest.raises(ScanFailed) as info:
        av_api.check_file(samples.clean_pdf(), name, path_of_entry="api")
    assert info.value.result.status == NOT_SCANNED
    assert incidents_of(folder, name)[0]["kind"] == incidents.NOT_SCANNED
    api.portal.set_registry_record("dongthap.qlvb.antivirus.degraded_reason", "clamd hỏng")
    api.portal.set_registry_record("dongthap.qlvb.antivirus.degraded", True)
    assert api.portal.get_registry_record("dongthap.qlvb.antivirus.degraded_by") == TEST_USER_ID
    assert api.portal.get_registry_record("dongthap.qlvb.antivirus.degraded_since")
    result = av_api.check_file(samples.clean_pdf(), name, path_of_entry="api")
    assert result.status == NOT_SCANNED
    kinds = [i["kind"] for i in incidents_of(folder, name)]
    assert kinds[0] == incidents.ACCEPTED_UNSCANNED
    assert any(i["kind"] == incidents.DEGRADED_ON for i in stored_incidents(folder))
    # infected files stay refused in degraded mode (clamd reachable again)
    monkeypatch.undo()
    with pytest.raises(VirusFound):
        av_api.check_file(eicar_bytes(), "x.com", path_of_entry="api")


def test_oversize_refused_even_degraded(folder):
    api.portal.set_registry_record("dongthap.qlvb.antivirus.degraded", True)
    big = b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024 + 10)
    with pytest.raises(ScanFailed) as info:
        av_api.check_file(big, "lon.pdf", path_of_entry="api")
    assert info.value.result.reason == "oversize"
