"""Fixtures for the signing core: test PKI with its local peers (CRL, OCSP, TSA), PDFs, images."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import dongthap.qlvb.signing  # noqa: F401
except ImportError:  # package not installed yet: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PIL import Image, ImageDraw
from signing_helpers import ISSUED_AT, make_pdf

from dongthap.qlvb.signing.certs import CertificatePolicy
from dongthap.qlvb.signing.signers import Pkcs12Signer
from dongthap.qlvb_testing.testpeers import start_test_peers

SOFTHSM_LIB = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture(scope="session")
def peers(tmp_path_factory):
    """The session's test PKI served on 127.0.0.1 (free port): its CRL, an OCSP
    responder and an RFC 3161 TSA (``peers.tsa_url``, ``peers.ocsp_url``)."""
    server = start_test_peers(tmp_path_factory.mktemp("pki"))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def crl_server(peers):
    """``(PKI directory, base URL)`` of the local server."""
    return peers.directory, peers.base_url


@pytest.fixture(scope="session")
def pki(peers):
    return peers.pki


@pytest.fixture(scope="session")
def policy(pki):
    return CertificatePolicy(trust_roots=tuple(pki.trust_roots()), timeout=2)


@pytest.fixture(scope="session")
def leader(pki, policy):
    return Pkcs12Signer(pki.leader.p12, pki.leader.password, policy=policy)


@pytest.fixture(scope="session")
def agency(pki, policy):
    return Pkcs12Signer(pki.agency.p12, pki.agency.password, policy=policy)


@pytest.fixture(scope="session")
def pdf_bytes():
    return make_pdf()


def _png(draw, size) -> bytes:
    img = Image.new("RGBA", size, (0, 0, 0, 0))
    draw(ImageDraw.Draw(img))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture(scope="session")
def signature_png():
    return _png(lambda d: d.line((10, 100, 290, 20), fill=(0, 0, 200, 255), width=6),
                (300, 120))


@pytest.fixture(scope="session")
def seal_png():
    return _png(lambda d: d.ellipse((5, 5, 295, 295), outline=(220, 0, 0, 255), width=12),
                (300, 300))


@pytest.fixture(scope="session")
def person_signed(pdf_bytes, leader, signature_png):
    from dongthap.qlvb.signing.pdfsign import sign_person

    return sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH", "TM.", signature_png)


@pytest.fixture(scope="session")
def fully_signed(person_signed, agency, seal_png):
    from dongthap.qlvb.signing.pdfsign import sign_agency

    return sign_agency(person_signed, agency, "UBND TỈNH ĐỒNG THÁP", seal_png,
                       code_number=15, code_notation="QĐ-UBND", issued_at=ISSUED_AT)


@pytest.fixture(scope="session")
def verify(pki):
    from dongthap.qlvb.signing.verify import verify_pdf

    def _verify(data, **kwargs):
        kwargs.setdefault("timeout", 2)
        return verify_pdf(data, pki.trust_roots(), **kwargs)

    return _verify


def _run(*cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env)


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory, pki):
    """A real SoftHSM2 token "qlvb-token" (PIN 1234) holding the leader's key."""
    if not (shutil.which("softhsm2-util") and Path(SOFTHSM_LIB).exists()
            and shutil.which("pkcs11-tool")):
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail("softhsm2/opensc missing (requirements/apt.txt)")
        pytest.skip("softhsm2/opensc not installed")
    base = tmp_path_factory.mktemp("softhsm")
    (base / "tokens").mkdir()
    conf = base / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {base / 'tokens'}\nobjectstore.backend = file\n"
                    "log.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)  # read by the library at first load
    env = dict(os.environ)
    _run("softhsm2-util", "--init-token", "--free", "--label", "qlvb-token",
         "--pin", "1234", "--so-pin", "5678", env=env)
    _run("softhsm2-util", "--import", str(pki.leader.key_pem), "--token", "qlvb-token",
         "--label", "leader", "--id", "01", "--pin", "1234", env=env)
    cert_der = base / "leader.der"
    from cryptography.hazmat.primitives import serialization

    cert_der.write_bytes(pki.leader.certificate().public_bytes(serialization.Encoding.DER))
    _run("pkcs11-tool", "--module", SOFTHSM_LIB, "--login", "--pin", "1234",
         "--token-label", "qlvb-token", "--write-object", str(cert_der), "--type", "cert",
         "--label", "leader", "--id", "01", env=env)
    return {"module": SOFTHSM_LIB, "token": "qlvb-token", "pin": "1234", "label": "leader"}


# --------------------------------------------------------------------------
# Plone side (demo site: agencies, demo users, demo keys from qlvb_testing.signing_demo)


@pytest.fixture
def sdemo(demo):
    """The demo site with the signed test document type."""
    from plone_helpers import install_test_type

    install_test_type(demo)
    return demo


@pytest.fixture
def stttt(sdemo):
    return sdemo["so-tttt"]


@pytest.fixture
def unsigned_doc(stttt, pdf_bytes):
    from plone_helpers import make_doc

    return make_doc(stttt, pdf_bytes)


@pytest.fixture(scope="session")
def demo_pki():
    from plone_helpers import demo_pki_dir

    from dongthap.qlvb_testing.testpki import ensure_test_pki

    return ensure_test_pki(demo_pki_dir())
