"""Fail-closed behaviour: unreachable, timeouts, oversize, protocol errors."""

from __future__ import annotations

import logging
import time

import pytest

from dongthap.qlvb.antivirus import (
    CLEAN,
    DISABLED,
    ERROR,
    INFECTED,
    NOT_SCANNED,
    OVERSIZE,
    TIMEOUT,
    UNREACHABLE,
    ScanFailed,
    ScannerConfig,
    VirusFound,
    check_upload,
    eicar_bytes,
    not_scanned_message,
    ping,
    scan_bytes,
    scan_stream,
    version,
)

from . import samples
from .test_scan_clamd import NonSeekable

MB = 1024 * 1024


def fake_config(server, **kw) -> ScannerConfig:
    kw.setdefault("timeout", 0.5)
    kw.setdefault("connect_timeout", 0.5)
    return ScannerConfig(address=server.path, **kw)


def test_unreachable_socket(tmp_path):
    cfg = ScannerConfig(address=str(tmp_path / "missing.sock"), timeout=1)
    result = scan_bytes(b"data", "a.txt", cfg)
    assert result.status == NOT_SCANNED and result.reason == UNREACHABLE
    assert not result.clean and not result.scanned
    with pytest.raises(ScanFailed) as info:
        check_upload(b"data", "a.txt", cfg)
    assert info.value.result.reason == UNREACHABLE
    assert info.value.message.mapping["filename"] == "a.txt"


def test_unreachable_tcp_port():
    from .conftest import free_tcp_port

    cfg = ScannerConfig(address=f"tcp://127.0.0.1:{free_tcp_port()}", timeout=1)
    assert scan_bytes(b"x", "a", cfg).reason == UNREACHABLE
    assert ping(cfg) is False and version(cfg) is None


def test_timeout_when_clamd_never_answers(fake_clamd):
    server = fake_clamd("silent")
    cfg = fake_config(server)
    started = time.monotonic()
    result = scan_bytes(samples.clean_pdf(), "a.pdf", cfg)
    assert time.monotonic() - started < 2
    assert result.status == NOT_SCANNED and result.reason == TIMEOUT
    with pytest.raises(ScanFailed) as info:
        check_upload(samples.clean_pdf(), "a.pdf", cfg)
    assert info.value.message == "scan_failed_timeout"


def test_timeout_when_clamd_stops_reading(fake_clamd):
    """Socket buffers fill up: the send itself must time out."""
    server = fake_clamd("noread")
    cfg = fake_config(server, max_stream_size=32 * MB)
    started = time.monotonic()
    result = scan_bytes(b"\0" * (16 * MB), "big.bin", cfg)
    assert time.monotonic() - started < 2
    assert result.reason == TIMEOUT


def test_ping_timeout(fake_clamd):
    server = fake_clamd("silent")
    cfg = fake_config(server)
    started = time.monotonic()
    assert ping(cfg) is False and version(cfg) is None
    assert time.monotonic() - started < 3


def test_connection_dropped_mid_stream(fake_clamd):
    server = fake_clamd("close")
    result = scan_bytes(b"a" * (2 * MB), "a.bin", fake_config(server, timeout=5))
    assert result.status == NOT_SCANNED and result.reason == ERROR


@pytest.mark.parametrize(
    ("reply", "status", "reason"),
    [
        (b"stream: OK\0", CLEAN, None),
        (b"stream: Win.Test.EICAR_HDB-1 FOUND\0", INFECTED, None),
        (
            b"stream: Heuristics.Limits.Exceeded.MaxScanSize FOUND\0",
            NOT_SCANNED,
            OVERSIZE,
        ),
        (b"INSTREAM size limit exceeded. ERROR\0", NOT_SCANNED, OVERSIZE),
        (b"stream: Can't allocate memory ERROR\0", NOT_SCANNED, ERROR),
        (b"garbage", NOT_SCANNED, ERROR),
        (b"", NOT_SCANNED, ERROR),
        (b"stream: OKAY\0", NOT_SCANNED, ERROR),
    ],
)
def test_protocol_replies(fake_clamd, reply, status, reason):
    server = fake_clamd("reply", reply)
    result = scan_bytes(b"content", "a.txt", fake_config(server, timeout=3))
    assert (result.status, result.reason) == (status, reason), result
    if status == INFECTED:
        assert result.signature == "Win.Test.EICAR_HDB-1"


def test_oversize_refused_without_contacting_clamd(fake_clamd):
    server = fake_clamd("reply", b"stream: OK\0")
    cfg = fake_config(server, max_stream_size=1 * MB)
    data = b"a" * (MB + 1)
    result = scan_bytes(data, "big.pdf", cfg)
    assert result.status == NOT_SCANNED and result.reason == OVERSIZE
    assert result.size == MB + 1
    with pytest.raises(ScanFailed) as info:
        check_upload(data, "big.pdf", cfg)
    assert info.value.message == "scan_failed_oversize"
    assert info.value.message.mapping == {"filename": "big.pdf", "limit": "1 MB"}
    # streams: seekable and non-seekable
    import io

    assert scan_stream(io.BytesIO(data), "big.pdf", cfg).reason == OVERSIZE
    assert scan_stream(NonSeekable(data), "big.pdf", cfg).reason == OVERSIZE
    # degraded mode never lets an unscannable (oversize) file through
    with pytest.raises(ScanFailed):
        check_upload(
            data, "big.pdf", fake_config(server, max_stream_size=MB, degraded=True)
        )
    time.sleep(0.2)
    assert server.connections == 0
    # exactly at the limit it is sent
    assert scan_bytes(b"a" * MB, "ok.pdf", cfg).clean
    time.sleep(0.2)
    assert server.connections == 1


def test_degraded_mode_lets_scanner_failures_through_flagged(tmp_path, caplog):
    cfg = ScannerConfig(address=str(tmp_path / "missing.sock"), degraded=True)
    data = samples.clean_pdf()
    with caplog.at_level(logging.WARNING, logger="dongthap.qlvb.antivirus"):
        result = check_upload(data, "cv.pdf", cfg)
    assert result.status == NOT_SCANNED and result.reason == UNREACHABLE
    assert not result.clean
    assert result.sha256  # caller can log/re-scan it later
    assert any(
        "WITHOUT scan" in r.getMessage() and "cv.pdf" in r.getMessage()
        for r in caplog.records
    )
    notice = not_scanned_message(result)
    assert notice == "scan_skipped"
    assert notice.mapping == {"filename": "cv.pdf", "reason": UNREACHABLE}


def test_degraded_mode_timeout_is_not_clean(fake_clamd):
    server = fake_clamd("silent")
    result = check_upload(b"abc", "a.txt", fake_config(server, degraded=True))
    assert result.status == NOT_SCANNED and result.reason == TIMEOUT


def test_degraded_mode_still_refuses_viruses(config):
    degraded = ScannerConfig(address=config.address, degraded=True)
    with pytest.raises(VirusFound):
        check_upload(eicar_bytes(), "e.com", degraded)
    assert check_upload(samples.docx(), "a.docx", degraded).clean


def test_disabled_scanning_is_flagged_never_clean(caplog):
    cfg = ScannerConfig(enabled=False)
    with caplog.at_level(logging.WARNING, logger="dongthap.qlvb.antivirus"):
        result = check_upload(eicar_bytes(), "e.com", cfg)
    assert result.status == NOT_SCANNED and result.reason == DISABLED
    assert caplog.records, "a disabled scan must be logged"
    assert scan_stream(NonSeekable(b"x"), "x", cfg).reason == DISABLED


def test_unexpected_exception_fails_closed(monkeypatch, config):
    from dongthap.qlvb.antivirus import scanner

    def boom(*args, **kw):
        raise RuntimeError("bug")

    monkeypatch.setattr(scanner, "_instream", boom)
    assert scan_bytes(b"x", "x", config).reason == ERROR
    with pytest.raises(ScanFailed) as info:
        check_upload(b"x", "x", config)
    assert info.value.message == "scan_failed_error"
    with pytest.raises(ScanFailed):
        check_upload(b"x", "x", ScannerConfig(address=config.address, degraded=False))
