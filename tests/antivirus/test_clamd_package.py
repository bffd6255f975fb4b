"""The scanner speaks to clamd through the ``clamd`` package (PyPI), wrapped."""

from __future__ import annotations

import clamd as clamd_package
import pytest

from dongthap.qlvb.antivirus import (
    CLEAN,
    ERROR,
    INFECTED,
    NOT_SCANNED,
    OVERSIZE,
    ScannerConfig,
    scan_bytes,
    scanner,
)

from .test_scan_failures import fake_config

MB = 1024 * 1024


def test_clients_are_the_clamd_package_classes(tmp_path):
    unix = scanner._client(ScannerConfig(address=str(tmp_path / "c.sock")))
    tcp = scanner._client(ScannerConfig(address="tcp://127.0.0.1:3310"))
    assert isinstance(unix, clamd_package.ClamdUnixSocket)
    assert isinstance(tcp, clamd_package.ClamdNetworkSocket)


@pytest.mark.parametrize(
    ("reply", "status", "reason"),
    [
        (b"stream: OK\n", CLEAN, None),
        (b"stream: Win.Test.EICAR_HDB-1 FOUND\n", INFECTED, None),
        (b"INSTREAM size limit exceeded. ERROR\n", NOT_SCANNED, OVERSIZE),
        (b"stream: Heuristics.Limits.Exceeded.MaxFileSize FOUND\n", NOT_SCANNED, OVERSIZE),
        (b"stream: lstat() failed ERROR\n", NOT_SCANNED, ERROR),
    ],
)
def test_newline_replies_of_n_commands(fake_clamd, reply, status, reason):
    """The package sends ``nINSTREAM``: clamd then ends its reply with a newline."""
    server = fake_clamd("reply", reply)
    result = scan_bytes(b"content", "a.txt", fake_config(server, timeout=3))
    assert (result.status, result.reason) == (status, reason), result


def test_chunks_keep_our_size(fake_clamd, monkeypatch):
    """``clamd`` reads 1 KiB at a time; the frames still carry ``chunk_size`` bytes."""
    sent = []
    real_send = scanner._DeadlineSocket.send

    def spy(self, data):
        sent.append(len(data))
        return real_send(self, data)

    monkeypatch.setattr(scanner._DeadlineSocket, "send", spy)
    server = fake_clamd("reply", b"stream: OK\n")
    cfg = fake_config(server, timeout=3, chunk_size=64 * 1024)
    assert scan_bytes(b"a" * (200 * 1024), "a.bin", cfg).clean
    assert sent[1:4] == [4 + 64 * 1024] * 3  # after the command: 4-byte length + chunk


def test_reply_before_reset_names_the_size_limit(clamd):
    """A stream past StreamMaxLength: clamd says why, then resets; the reason is kept."""
    cfg = ScannerConfig(address=clamd.socket, timeout=10, max_stream_size=64 * MB)
    result = scan_bytes(b"a" * (clamd.stream_max + 2 * MB), "big.bin", cfg)
    assert (result.status, result.reason) == (NOT_SCANNED, OVERSIZE), result
    assert "size limit exceeded" in result.detail
