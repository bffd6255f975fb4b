"""Bad inputs, the independent validator pdfsig, and the translations."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from signing_helpers import ISSUED_AT, make_pdf

from dongthap.qlvb.signing import errors, report
from dongthap.qlvb.signing.pdfsign import format_vn_time, sign_attachment, sign_person

BAD_INPUTS = {
    "not_pdf": (b"PK\x03\x04 this is a zip", errors.NotPdfError),
    "truncated": (make_pdf()[:300], errors.MalformedPdfError),
    "garbage": (b"%PDF-1.7\n" + b"\x00garbage" * 50, errors.MalformedPdfError),
    "encrypted": (make_pdf(encrypt="secret"), errors.EncryptedPdfError),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_refused(name, leader):
    data, exc_type = BAD_INPUTS[name]
    with pytest.raises(exc_type) as exc:
        sign_person(data, leader, "Nguyễn Văn An", "CHỦ TỊCH")
    assert isinstance(exc.value, errors.SigningError)


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_reported_not_crashing(name, verify):
    result = verify(BAD_INPUTS[name][0])
    assert result.legal_validity == "reference"
    assert result.reasons
    result.to_dict()


def test_bad_image_refused(pdf_bytes, leader):
    with pytest.raises(errors.ImageError):
        sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH",
                    signature_image_png=b"not a png")


def test_vn_time_format():
    assert format_vn_time(ISSUED_AT) == "01/07/2025 09:30:00 +07:00"


def _nss_db(tmp_path: Path, root_pem: Path) -> str:
    db = tmp_path / "nss"
    db.mkdir()
    subprocess.run(["certutil", "-N", "-d", f"sql:{db}", "--empty-password"], check=True,
                   capture_output=True)
    subprocess.run(["certutil", "-A", "-d", f"sql:{db}", "-n", "qlvb-test-root",
                    "-t", "CT,C,C", "-i", str(root_pem)], check=True, capture_output=True)
    return f"sql:{db}"


def test_pdfsig_independent_validation(tmp_path, fully_signed, pdf_bytes, agency, pki):
    from tests.conftest import require

    require(shutil.which("pdfsig") and shutil.which("certutil"), "poppler-utils / libnss3-tools")
    nss = _nss_db(tmp_path, pki.root.cert_pem)
    attachment = sign_attachment(pdf_bytes, agency, "15/QĐ-UBND")
    for name, data, count in (("doc.pdf", fully_signed, 2), ("att.pdf", attachment, 1)):
        path = tmp_path / name
        path.write_bytes(data)
        out = subprocess.run(["pdfsig", "-nssdir", nss, str(path)], capture_output=True,
                             text=True, timeout=60, check=False).stdout
        assert out.count("Signature is Valid.") == count, out
        assert out.count("Certificate is Trusted.") == count, out
        assert "ETSI.CAdES.detached" in out
    tampered = fully_signed.replace(b"ReportLab", b"ReportLaX", 1)
    (tmp_path / "bad.pdf").write_bytes(tampered)
    out = subprocess.run(["pdfsig", "-nssdir", nss, str(tmp_path / "bad.pdf")],
                         capture_output=True, text=True, timeout=60, check=False).stdout
    assert "Signature is Valid." not in out.split("Signature #2")[0]


def test_every_message_translated():
    po = (Path(report.__file__).parent.parent / "locales" / "vi" / "LC_MESSAGES" / "dongthap.qlvb.po")
    text = po.read_text(encoding="utf-8")
    msgids = set(re.findall(r'^msgid "(.+)"', text, re.MULTILINE))
    used = {m for m, _d in report.MESSAGES.values()}
    used |= {cls.msgid for cls in vars(errors).values()
             if isinstance(cls, type) and issubclass(cls, errors.SigningError)}
    assert used <= msgids, used - msgids
    assert not re.search(r'msgstr ""\n\n', text.split("\n\n", 1)[1])
    for msgid in used:
        assert report._catalog()[msgid].strip()


def test_unreachable_tsa_gives_timestamp_error(pdf_bytes, leader):
    from dongthap.qlvb.signing.pdfsign import timestamper

    tsa = timestamper("http://127.0.0.1:9/tsa", timeout=2)
    with pytest.raises(errors.TimestampError):
        sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH", timestamper=tsa)


def test_megabyte_long_last_line_is_malformed_and_cheap(fully_signed, verify):
    """Readers scan the end of a PDF byte by byte: a 1 MB last line would cost CPU on every upload."""
    import time

    hostile = fully_signed + b"%" + b"A" * (1024 * 1024)
    start = time.perf_counter()
    report = verify(hostile)
    assert time.perf_counter() - start < 0.5
    assert report.malformed and report.legal_validity == "reference"
    assert [r.code for r in report.reasons] == ["malformed_pdf"]
    # short junk after %%EOF (common in the wild) is still read
    assert verify(fully_signed + b"\n%junk\n").signatures
