"""RFC 3161 time-stamps from the local test TSA (``testpeers``): signing, verification, errors."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import shutil
import subprocess

import pytest
import requests
from asn1crypto import algos, tsp
from plone import api
from pyhanko.pdf_utils.reader import PdfFileReader
from signing_helpers import ISSUED_AT
from zope.i18n import translate

from dongthap.qlvb.signing import api as signing
from dongthap.qlvb.signing import errors
from dongthap.qlvb.signing.pdfsign import sign_agency, sign_person, timestamper
from dongthap.qlvb_testing.testpeers import TSA_POLICY

SECOND = dt.timedelta(seconds=1)
TSA_CLOCK = dt.timedelta(minutes=-3)  # the TSA's clock differs from the server's
LEADER, CLERK = "stttt.lanhdao", "stttt.vanthu"


@contextlib.contextmanager
def tsa_clock(peers, offset=TSA_CLOCK):
    peers.tsa.clock_offset = offset
    try:
        yield peers.tsa
    finally:
        peers.tsa.clock_offset = dt.timedelta(0)


def _tst_info(signed: bytes, index: int = -1):
    """(TSTInfo of the signature time-stamp, claimed signing time) of one signature."""
    sig = PdfFileReader(io.BytesIO(signed)).embedded_signatures[index]
    attrs = {a["type"].native: a["values"][0] for a in sig.signer_info["unsigned_attrs"]}
    token = attrs["signature_time_stamp_token"]
    return token["content"]["encap_content_info"]["content"].parsed, sig.self_reported_timestamp


def _request(nonce=None, digest=b"\x11" * 32, algorithm="sha256", cert_req=False, policy=None):
    req = {"version": "v1", "message_imprint": tsp.MessageImprint({
        "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}),
        "hashed_message": digest}), "cert_req": cert_req}
    if nonce is not None:
        req["nonce"] = nonce
    if policy:
        req["req_policy"] = policy
    return tsp.TimeStampReq(req).dump()


def _post(url, body) -> bytes:
    r = requests.post(url, data=body, timeout=5,
                      headers={"Content-Type": "application/timestamp-query"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/timestamp-reply"
    return r.content


# --------------------------------------------------------------------------
# the signing core


def test_timestamped_signatures_take_the_tsa_time(pdf_bytes, leader, agency, peers, verify):
    with tsa_clock(peers) as tsa:
        signed = sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH",
                             timestamper=timestamper(peers.tsa_url, timeout=5))
        person_token = tsa.issued[-1]
        signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=15,
                             code_notation="QĐ-UBND", issued_at=ISSUED_AT,
                             timestamper=timestamper(peers.tsa_url, timeout=5))
        agency_token = tsa.issued[-1]
    report = verify(signed)
    assert report.legal_validity == "legal", report.to_dict()
    by_kind = {s.kind: s for s in report.signatures}
    for kind, issued in (("person", person_token), ("agency", agency_token)):
        sig = by_kind[kind]
        assert sig.time_source == "timestamp" and sig.ok
        # the verdict uses the TSA's genTime, not the signer's own (3 minutes later) clock
        assert abs(sig.signing_time - issued["gen_time"]) <= SECOND
        info, claimed = _tst_info(signed, 0 if kind == "person" else 1)
        assert abs(claimed - sig.signing_time) > dt.timedelta(minutes=2)
        # real RFC 3161 bytes: our policy, serial and nonce, the imprint of the signature value
        assert info["policy"].native == TSA_POLICY
        assert info["serial_number"].native == issued["serial"]
        assert info["nonce"].native == issued["nonce"] is not None
        assert info["gen_time"].native == issued["gen_time"]
    assert agency_token["serial"] > person_token["serial"]
    sig_value = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].signer_info["signature"]
    assert _tst_info(signed, 0)[0]["message_imprint"]["hashed_message"].native == \
        hashlib.sha256(sig_value.native).digest()


def test_timestamped_pdf_is_valid_for_pdfsig(tmp_path, pdf_bytes, leader, agency, peers, pki):
    from test_inputs_pdfsig import _nss_db

    from tests.conftest import require

    require(shutil.which("pdfsig") and shutil.which("certutil"), "poppler-utils / libnss3-tools")
    signed = sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH",
                         timestamper=timestamper(peers.tsa_url, timeout=5))
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=16,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT,
                         timestamper=timestamper(peers.tsa_url, timeout=5))
    path = tmp_path / "timestamped.pdf"
    path.write_bytes(signed)
    out = subprocess.run(["pdfsig", "-nssdir", _nss_db(tmp_path, pki.root.cert_pem), str(path)],
                         capture_output=True, text=True, timeout=60, check=False).stdout
    assert out.count("Signature is Valid.") == 2, out
    assert out.count("Certificate is Trusted.") == 2, out


def test_tsa_peer_speaks_rfc3161(peers):
    """Granted tokens echo the nonce, increase the serial, honour certReq; bad requests are refused."""
    first = tsp.TimeStampResp.load(_post(peers.tsa_url, _request(nonce=12345, cert_req=True)))
    second = tsp.TimeStampResp.load(_post(peers.tsa_url, _request()))
    assert first["status"]["status"].native == second["status"]["status"].native == "granted"
    one, two = (r["time_stamp_token"]["content"] for r in (first, second))
    info_one = one["encap_content_info"]["content"].parsed
    info_two = two["encap_content_info"]["content"].parsed
    assert info_one["nonce"].native == 12345 and info_two["nonce"].native is None
    assert info_two["serial_number"].native > info_one["serial_number"].native
    assert info_one["message_imprint"]["hashed_message"].native == b"\x11" * 32
    assert sorted(c.chosen.subject.native["common_name"] for c in one["certificates"]) == \
        ["QLVB Test Signing CA", "QLVB Test TSA"]
    assert not two["certificates"]  # certReq false: no certificates (RFC 3161 §2.4.2)
    attrs = {a["type"].native for a in one["signer_infos"][0]["signed_attrs"]}
    assert {"content_type", "message_digest", "signing_certificate_v2"} <= attrs
    from dongthap.qlvb.signing.pdfsign import TimeStampResponse

    for body, fail in ((_request(policy="1.2.3.4"), "unaccepted_policy"),
                       (_request(digest=b"\x11" * 20), "bad_alg"),
                       (b"\x30\x03\x02\x01\x07", "bad_data_format")):
        status = TimeStampResponse.load(_post(peers.tsa_url, body))["status"]
        assert status["status"].native == "rejection"
        assert status["fail_info"].native == {fail}


@pytest.mark.parametrize(("route", "error"), [("tsa_reject_url", errors.TimestampRejectedError),
                                              ("tsa_garbage_url", errors.TimestampInvalidError)])
def test_bad_tsa_answer_is_a_timestamp_error(pdf_bytes, leader, peers, route, error):
    before = bytes(pdf_bytes)
    with pytest.raises(error) as exc:
        sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH",
                    timestamper=timestamper(getattr(peers, route), timeout=5))
    assert isinstance(exc.value, errors.TimestampError)
    assert pdf_bytes == before


# --------------------------------------------------------------------------
# through Plone: the "tsa_url" setting


@pytest.fixture(scope="session")
def demo_peers(demo_pki):
    """A TSA (and OCSP responder) of the demo PKI, which the demo site trusts, on a free port."""
    from dongthap.qlvb_testing.testpeers import PeerServer

    server = PeerServer(demo_pki.directory).start().attach(demo_pki)
    yield server
    server.stop()


@pytest.fixture
def tsa_site(sdemo, demo_peers):
    """The demo site with the setting ``tsa_url`` = the local TSA of the demo PKI."""
    api.portal.set_registry_record("dongthap.qlvb.signing.tsa_url", demo_peers.tsa_url)
    return sdemo


def test_plone_signing_with_the_tsa_setting(tsa_site, unsigned_doc, demo_peers):
    from test_plone_api import as_manager

    with tsa_clock(demo_peers) as tsa:
        with api.env.adopt_user(username=LEADER):
            signing.sign_person(document=unsigned_doc, name="Lê Văn An", position="GIÁM ĐỐC")
        person_time = tsa.issued[-1]["gen_time"]
        with api.env.adopt_user(username=CLERK):
            report = signing.sign_agency(document=unsigned_doc, code_number=8,
                                         code_notation="QĐ-STTTT", issued_at=ISSUED_AT)
        agency_time = tsa.issued[-1]["gen_time"]
    assert report["legal_validity"] == "legal", report
    assert unsigned_doc.legal_validity == "legal"
    sigs = {s["kind"]: s for s in unsigned_doc.signature_report["signatures"]}
    for kind, gen_time in (("person", person_time), ("agency", agency_time)):
        assert sigs[kind]["time_source"] == "timestamp"
        assert abs(dt.datetime.fromisoformat(sigs[kind]["signing_time"]) - gen_time) <= SECOND
    as_manager(tsa_site)
    html = unsigned_doc.restrictedTraverse("@@chu-ky-so")()
    assert html.count("(dấu thời gian)") == 2
    vn = gen_time.astimezone(dt.timezone(dt.timedelta(hours=7)))
    assert vn.strftime("%d/%m/%Y %H:%M:%S +07:00") in html


@pytest.mark.parametrize(("route", "error", "vietnamese"), [
    ("tsa_reject_url", errors.TimestampRejectedError,
     "Dịch vụ cấp dấu thời gian đã từ chối yêu cầu"),
    ("tsa_garbage_url", errors.TimestampInvalidError,
     "Dịch vụ cấp dấu thời gian trả về phản hồi không hợp lệ"),
])
def test_plone_bad_tsa_answer_is_translated_and_document_unchanged(tsa_site, unsigned_doc,
                                                                   demo_peers, route, error,
                                                                   vietnamese):
    api.portal.set_registry_record("dongthap.qlvb.signing.tsa_url", getattr(demo_peers, route))
    before, modified = bytes(unsigned_doc.file.data), unsigned_doc.modified()
    report_before = unsigned_doc.signature_report
    with api.env.adopt_user(username=LEADER), pytest.raises(error) as exc:
        signing.sign_person(document=unsigned_doc, name="Lê Văn An", position="GIÁM ĐỐC")
    text = translate(exc.value.message, target_language="vi")
    assert text.startswith(vietnamese), text
    assert "Văn bản chưa được ký" in text
    assert bytes(unsigned_doc.file.data) == before and unsigned_doc.modified() == modified
    assert unsigned_doc.signature_report == report_before
    assert unsigned_doc.legal_validity == "unsigned"
    assert not signing.history(document=unsigned_doc)


def test_environment_tsa_url_overrides_the_setting(sdemo, demo_peers, monkeypatch):
    """``make start`` points the demo at its local TSA with $QLVB_TSA_URL."""
    from dongthap.qlvb.signing import settings as cfg

    api.portal.set_registry_record("dongthap.qlvb.signing.tsa_url", "")
    monkeypatch.delenv("QLVB_TSA_URL", raising=False)
    assert cfg.tsa_url() is None
    monkeypatch.setenv("QLVB_TSA_URL", demo_peers.tsa_url)
    assert cfg.tsa_url() == demo_peers.tsa_url
    api.portal.set_registry_record("dongthap.qlvb.signing.tsa_url", "http://127.0.0.1:9/tsa")
    assert cfg.tsa_url() == demo_peers.tsa_url
    monkeypatch.setenv("QLVB_TSA_URL", "")
    assert cfg.tsa_url() == "http://127.0.0.1:9/tsa"
