"""REST through a real WSGI server (demo users), and the SoftHSM2 agency seal via the API."""

from __future__ import annotations

import base64
import os

import pytest
import requests
import transaction
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from plone import api
from plone_helpers import demo_pki_dir, install_test_type, make_doc
from signing_helpers import ISSUED_AT

from dongthap.qlvb.signing import api as signing
from dongthap.qlvb.signing import settings as cfg

PW = "Demo@2026"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def rest_doc(demo_server, pdf_bytes):
    portal = demo_server["layer"]["portal"]
    install_test_type(portal)
    doc = make_doc(portal["so-tttt"], pdf_bytes, "vb-rest")
    transaction.commit()
    return f"{demo_server['url']}/so-tttt/vb-rest", doc


def test_signatures_get_is_vietnamese(rest_doc):
    url, _doc = rest_doc
    r = requests.get(f"{url}/@signatures", headers=JSON, auth=("stttt.vanthu", PW), timeout=30)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["legal_validity"] == "unsigned"
    assert body["badge"]["label"] == "Chưa ký số"
    assert requests.get(f"{url}/@signatures", headers=JSON, timeout=30).status_code == 401


def test_external_two_step_flow_over_rest(rest_doc):
    url, _doc = rest_doc
    auth = ("stttt.lanhdao", PW)
    r = requests.post(f"{url}/@sign-external", headers=JSON, auth=auth, timeout=60,
                      json={"action": "prepare", "name": "Lê Văn An", "position": "GIÁM ĐỐC"})
    assert r.status_code == 200, r.text
    prep = r.json()
    assert len(base64.b64decode(prep["digest"])) == 32
    key_pem = (demo_pki_dir() / "person_stttt_lanhdao.key.pem").read_bytes()
    key = serialization.load_pem_private_key(key_pem, None)
    data_to_sign = base64.b64decode(prep["data_to_sign"])
    sig = key.sign(data_to_sign, padding.PKCS1v15(), hashes.SHA256())
    # another user cannot complete the leader's request
    r = requests.post(f"{url}/@sign-external", headers=JSON, auth=("stttt.chuyenvien", PW),
                      json={"action": "complete", "state_id": prep["state_id"],
                            "signature": base64.b64encode(sig).decode()}, timeout=30)
    assert r.status_code in (401, 403)
    # a wrong signature is refused with a Vietnamese message
    r = requests.post(f"{url}/@sign-external", headers=JSON, auth=auth, timeout=30,
                      json={"action": "complete", "state_id": prep["state_id"],
                            "signature": base64.b64encode(b"x" * 256).decode()})
    assert r.status_code == 400 and "chữ ký" in r.json()["error"]["message"].lower()
    r = requests.post(f"{url}/@sign-external", headers=JSON, auth=auth, timeout=60,
                      json={"action": "complete", "state_id": prep["state_id"],
                            "signature": base64.b64encode(sig).decode()})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["legal_validity"] == "reference"
    assert [s["kind"] for s in body["signatures"]] == ["person"]
    assert body["signatures"][0]["ok"]
    # the state is single-use
    r = requests.post(f"{url}/@sign-external", headers=JSON, auth=auth, timeout=30,
                      json={"action": "complete", "state_id": prep["state_id"],
                            "signature": base64.b64encode(sig).decode()})
    assert r.status_code == 400


def test_sign_services_need_the_sign_permission(rest_doc):
    url, _doc = rest_doc
    for user in ("stttt.chuyenvien", "stttt.vanthu"):
        r = requests.post(f"{url}/@sign-external", headers=JSON, auth=(user, PW), timeout=30,
                          json={"action": "prepare", "name": "X", "position": "Y"})
        assert r.status_code in (401, 403), (user, r.status_code)
    r = requests.post(f"{url}/@sign-external", headers=JSON, timeout=30,
                      json={"action": "prepare", "name": "X", "position": "Y"})
    assert r.status_code == 401


def test_user_certificates_over_rest(demo_server):
    url = demo_server["url"]
    r = requests.get(f"{url}/@signing-certificates", headers=JSON,
                     auth=("stttt.lanhdao", PW), timeout=30)
    assert r.status_code == 200 and len(r.json()["items"]) == 1
    # an agency administrator may look, a specialist may not
    r = requests.get(f"{url}/@signing-certificates", params={"userid": "stttt.lanhdao"},
                     headers=JSON, auth=("stttt.quantri", PW), timeout=30)
    assert r.status_code == 200 and r.json()["items"]
    r = requests.get(f"{url}/@signing-certificates", params={"userid": "stttt.lanhdao"},
                     headers=JSON, auth=("stttt.chuyenvien", PW), timeout=30)
    assert r.status_code == 403


@pytest.fixture
def seal_token(softhsm, monkeypatch):
    """The Sở TT&TT seal key of the demo PKI on a SoftHSM2 token 'qlvb-seal' (PIN 4321)."""
    import subprocess

    env = dict(os.environ)
    pki = demo_pki_dir()
    subprocess.run(["softhsm2-util", "--init-token", "--free", "--label", "qlvb-seal",
                    "--pin", "4321", "--so-pin", "5678"], check=False, capture_output=True,
                   env=env)
    subprocess.run(["softhsm2-util", "--import", str(pki / "seal_000_00_14_H20.key.pem"),
                    "--token", "qlvb-seal", "--label", "seal", "--id", "02", "--pin", "4321"],
                   check=False, capture_output=True, env=env)
    cert = x509_der(pki / "seal_000_00_14_H20.pem")
    der = pki.parent / "seal-cert.der"
    der.write_bytes(cert)
    subprocess.run(["pkcs11-tool", "--module", softhsm["module"], "--login", "--pin", "4321",
                    "--token-label", "qlvb-seal", "--write-object", str(der), "--type", "cert",
                    "--label", "seal", "--id", "02"], check=False, capture_output=True, env=env)
    prefix = "QLVB_SEAL_000_00_14_H20"
    monkeypatch.setenv(f"{prefix}_PKCS11_MODULE", softhsm["module"])
    monkeypatch.setenv(f"{prefix}_PKCS11_TOKEN", "qlvb-seal")
    monkeypatch.setenv(f"{prefix}_PKCS11_KEY_LABEL", "seal")
    monkeypatch.setenv(f"{prefix}_PIN", "4321")
    return prefix


def x509_der(path):
    from cryptography import x509

    return x509.load_pem_x509_certificate(path.read_bytes()).public_bytes(
        serialization.Encoding.DER)


def test_softhsm_agency_seal_through_the_api(sdemo, unsigned_doc, seal_token, monkeypatch):
    assert cfg.seal_status("000.00.14.H20")["kind"] == "pkcs11"
    assert cfg.seal_status("000.00.14.H20")["status"] == "found"
    with api.env.adopt_user(username="stttt.lanhdao"):
        signing.sign_person(document=unsigned_doc, name="Lê Văn An", position="GIÁM ĐỐC")
    with api.env.adopt_user(username="stttt.vanthu"):
        report = signing.sign_agency(document=unsigned_doc, code_number=9,
                                     code_notation="QĐ-STTTT", issued_at=ISSUED_AT)
    assert report["legal_validity"] == "legal"
    # wrong PIN: translated error, document unchanged
    before, modified = bytes(unsigned_doc.file.data), unsigned_doc.modified()
    monkeypatch.setenv(f"{seal_token}_PIN", "0000")
    from zope.i18n import translate

    from dongthap.qlvb.signing import errors

    with api.env.adopt_user(username="stttt.vanthu"), pytest.raises(errors.WrongPinError) as exc:
        signing.sign_attachment(document=unsigned_doc, code_text="09/QĐ-STTTT")
    assert "PIN" in translate(exc.value.message, target_language="vi")
    assert bytes(unsigned_doc.file.data) == before and unsigned_doc.modified() == modified
