"""Scanning against a real clamd (test signature database)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from dongthap.qlvb.antivirus import (
    CLEAN,
    INFECTED,
    NOT_SCANNED,
    OVERSIZE,
    UNREACHABLE,
    ScanFailed,
    ScannerConfig,
    VirusFound,
    check_upload,
    eicar_bytes,
    ping,
    scan_bytes,
    scan_stream,
    version,
)

from . import samples
from .conftest import TESTFILES_DIR

MB = 1024 * 1024
TESTFILES = (
    sorted(p.name for p in TESTFILES_DIR.glob("*")) if TESTFILES_DIR.is_dir() else []
)


def test_eicar_file_is_refused(config):
    with pytest.raises(VirusFound) as info:
        check_upload(eicar_bytes(), "eicar.com", config)
    result = info.value.result
    assert result.status == INFECTED
    assert result.signature.startswith("Eicar-Test-Signature")
    assert result.sha256 == hashlib.sha256(eicar_bytes()).hexdigest()
    message = info.value.message
    assert message == "virus_found"
    assert message.mapping == {"filename": "eicar.com", "signature": result.signature}
    assert "eicar.com" in str(info.value) and result.signature in str(info.value)


def test_eicar_in_zip(config):
    data = samples.zip_of(
        {"docs/readme.txt": b"hello", "docs/eicar.com": eicar_bytes()}
    )
    result = scan_bytes(data, "ho-so.zip", config)
    assert result.status == INFECTED
    assert "Eicar" in result.signature


@pytest.mark.parametrize(
    "builder",
    [samples.reportlab_pdf_with_payload, samples.handmade_pdf_with_embedded_file],
    ids=["reportlab-page-stream", "handmade-embedded-file"],
)
def test_eicar_in_compressed_pdf_stream(config, builder):
    pdf = builder(eicar_bytes())
    assert pdf.startswith(b"%PDF-")
    assert eicar_bytes() not in pdf  # only visible after FlateDecode
    with pytest.raises(VirusFound) as info:
        check_upload(pdf, "to-trinh.pdf", config)
    assert "Eicar" in info.value.result.signature


@pytest.mark.parametrize("name", TESTFILES)
def test_clamav_testfiles_sample_detected(config, testfiles_dir, name):
    data = (testfiles_dir / name).read_bytes()
    result = scan_bytes(data, name, config)
    assert result.status == INFECTED, result
    assert result.signature.startswith("ClamAV-Test-File")


def test_all_clamav_testfiles_present(testfiles_dir):
    # Debian clamav-testfiles 1.4 ships 44 packed/wrapped samples.
    assert len(list(testfiles_dir.glob("*"))) >= 40


@pytest.mark.parametrize(
    ("name", "builder"),
    [("cong-van.pdf", samples.clean_pdf), ("to-trinh.docx", samples.docx)],
)
def test_clean_documents_accepted(config, name, builder):
    data = builder()
    result = check_upload(data, name, config)
    assert result.status == CLEAN and result.clean
    assert result.signature is None and result.reason is None
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_scan_stream_restores_position_and_hashes(config):
    data = samples.clean_pdf()
    stream = io.BytesIO(b"HEADER" + data)
    stream.seek(6)
    result = scan_stream(stream, "cv.pdf", config)
    assert result.clean
    assert stream.tell() == 6
    assert result.size == len(data)
    assert result.sha256 == hashlib.sha256(data).hexdigest()


def test_scan_stream_detects_eicar_in_file(config, tmp_path):
    path = tmp_path / "phu-luc.zip"
    path.write_bytes(samples.zip_of({"a.com": eicar_bytes()}))
    with path.open("rb") as fh:
        with pytest.raises(VirusFound):
            check_upload(fh, path.name, config)
        assert fh.tell() == 0


class NonSeekable(io.RawIOBase):
    """A pipe-like reader (no seek, no tell)."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        chunk = self._buf.read(len(b))
        b[: len(chunk)] = chunk
        return len(chunk)


def test_scan_non_seekable_stream(config):
    assert scan_stream(NonSeekable(samples.docx()), "a.docx", config).clean
    result = scan_stream(NonSeekable(eicar_bytes()), "e.txt", config)
    assert result.status == INFECTED


def test_scan_over_tcp(clamd, config):
    tcp = ScannerConfig(address=f"tcp://127.0.0.1:{clamd.port}", timeout=10)
    assert ping(tcp)
    assert scan_bytes(eicar_bytes(), "e", tcp).status == INFECTED
    assert scan_bytes(samples.clean_pdf(), "c.pdf", tcp).status == CLEAN


def test_ping_and_version(config):
    assert ping(config) is True
    info = version(config)
    assert info is not None
    assert info.raw.startswith("ClamAV ")
    assert info.engine.split(".")[0].isdigit()
    # The test database has no daily.cvd: clamd reports no DB version/date.
    assert info.db_version is None and info.db_date is None


def test_stream_over_clamd_stream_max_length_is_not_clean(clamd):
    """Client limit above clamd's StreamMaxLength: clamd cuts the stream."""
    cfg = ScannerConfig(address=clamd.socket, timeout=10, max_stream_size=64 * MB)
    for size in (clamd.stream_max + 1, clamd.stream_max + 2 * MB):
        result = scan_bytes(b"a" * size, "big.bin", cfg)
        assert result.status == NOT_SCANNED, result
        assert not result.clean
        with pytest.raises(ScanFailed):
            check_upload(b"a" * size, "big.bin", cfg)
    # just below the limit is scanned normally
    assert scan_bytes(b"a" * (clamd.stream_max - 1024), "ok.bin", cfg).clean


def test_archive_exceeding_clamd_scan_limits_is_not_clean(config, clamd):
    """A small ZIP expanding beyond MaxScanSize must not come back "OK"."""
    member = b"Cong van so 123/UBND-VP " * (5 * clamd.stream_max // 24)
    data = samples.zip_of({"bao-cao.txt": member})
    assert len(data) < config.max_stream_size
    result = scan_bytes(data, "bao-cao.zip", config)
    assert result.status == NOT_SCANNED and result.reason == OVERSIZE, result
    assert "Heuristics.Limits.Exceeded" in result.detail
    with pytest.raises(ScanFailed):
        check_upload(
            data,
            "bao-cao.zip",
            ScannerConfig(
                address=config.address,
                degraded=True,
                max_stream_size=config.max_stream_size,
            ),
        )


def test_stored_zip_member_with_eicar_after_filler(config):
    filler = b"x" * (512 * 1024)
    data = samples.zip_of({"a.bin": filler + eicar_bytes()}, method=zipfile.ZIP_STORED)
    assert scan_bytes(data, "a.zip", config).status == INFECTED


def test_clamd_stopped_mid_run_then_restarted(clamd, config):
    """Stopping clamd makes uploads fail closed; a restart restores scanning."""
    pdf = samples.clean_pdf()
    assert check_upload(pdf, "a.pdf", config).clean
    assert clamd.stop() is True
    try:
        assert not Path(clamd.socket).exists()
        result = scan_bytes(pdf, "a.pdf", config)
        assert result.status == NOT_SCANNED and result.reason == UNREACHABLE
        with pytest.raises(ScanFailed) as info:
            check_upload(pdf, "a.pdf", config)
        assert info.value.message == "scan_failed_unreachable"
        with pytest.raises(ScanFailed):  # infected content is not "clean" either
            check_upload(eicar_bytes(), "e.com", config)
        assert ping(config) is False
        assert version(config) is None
    finally:
        clamd.start()
    assert ping(config) is True
    assert check_upload(pdf, "a.pdf", config).clean
    with pytest.raises(VirusFound):
        check_upload(eicar_bytes(), "e.com", config)
