"""Pure unit tests: configuration, VERSION parsing, EICAR, translations."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from zope.i18n import interpolate

from dongthap.qlvb.antivirus import (
    NOT_SCANNED,
    OVERSIZE,
    ScanFailed,
    ScannerConfig,
    ScanResult,
    VirusFound,
    eicar_bytes,
    not_scanned_message,
    parse_version,
    scanner,
)

from .conftest import REPO

EICAR_SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"
PO_FILE = REPO / "src/dongthap/qlvb/locales/vi/LC_MESSAGES/dongthap.qlvb.po"
SOURCES = [
    REPO / "src/dongthap/qlvb/antivirus/scanner.py",
    REPO / "src/dongthap/qlvb/antivirus/__init__.py",
    REPO / "scripts/clamd_ctl.py",
    *sorted((REPO / "tests/antivirus").glob("*.py")),
]


def test_eicar_bytes():
    data = eicar_bytes()
    assert len(data) == 68
    assert hashlib.sha256(data).hexdigest() == EICAR_SHA256


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_sources_do_not_contain_eicar(path):
    """No source file of ours may itself be flagged by a virus scanner."""
    assert eicar_bytes() not in path.read_bytes()
    assert b"EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE" not in path.read_bytes()


@pytest.mark.parametrize(
    ("text", "engine", "db_version", "db_date"),
    [
        (
            "ClamAV 1.4.6/27830/Tue Nov 24 09:35:47 2026\n",
            "1.4.6",
            27830,
            (2026, 11, 24, 9, 35, 47),
        ),
        (
            "ClamAV 1.0.7/27101/Mon Dec  2 08:39:51 2024",
            "1.0.7",
            27101,
            (2024, 12, 2, 8, 39, 51),
        ),
        ("ClamAV 1.4.6", "1.4.6", None, None),
        ("ClamAV 1.4.6/27830/not a date", "1.4.6", 27830, None),
    ],
)
def test_parse_version(text, engine, db_version, db_date):
    info = parse_version(text)
    assert info.engine == engine
    assert info.db_version == db_version
    if db_date is None:
        assert info.db_date is None
    else:
        assert info.db_date.timetuple()[:6] == db_date
        assert info.db_date.tzinfo is not None


@pytest.mark.parametrize("text", ["", "PONG", "UNKNOWN COMMAND", "Clam 1.0"])
def test_parse_version_rejects_garbage(text):
    with pytest.raises(ValueError):
        parse_version(text)


def test_config_defaults_fail_closed():
    cfg = ScannerConfig()
    assert cfg.enabled is True and cfg.degraded is False
    assert not cfg.is_tcp


def test_config_tcp_address():
    cfg = ScannerConfig(address="tcp://127.0.0.1:3310")
    assert cfg.is_tcp and cfg.tcp_address == ("127.0.0.1", 3310)
    assert ScannerConfig(address="tcp://[::1]:3310").tcp_address == ("::1", 3310)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"address": ""},
        {"address": "tcp://localhost"},
        {"address": "tcp://localhost:99999"},
        {"address": "tcp://:3310"},
        {"timeout": 0},
        {"connect_timeout": -1},
        {"max_stream_size": 0},
        {"chunk_size": 0},
    ],
)
def test_config_rejects_invalid_values(kwargs):
    with pytest.raises(ValueError):
        ScannerConfig(**kwargs)


def test_config_from_mapping():
    cfg = ScannerConfig.from_mapping(
        {
            "clamav_address": "tcp://10.0.0.5:3310",
            "clamav_timeout": "12.5",
            "clamav_max_stream_size": "40M",
            "clamav_chunk_size": "128K",
            "clamav_degraded": "on",
            "clamav_enabled": "",
            "other": "ignored",
        },
        prefix="clamav_",
    )
    assert cfg.tcp_address == ("10.0.0.5", 3310)
    assert cfg.timeout == 12.5
    assert cfg.max_stream_size == 40 * 1024 * 1024
    assert cfg.chunk_size == 128 * 1024
    assert cfg.degraded is True and cfg.enabled is True
    with pytest.raises(ValueError):
        ScannerConfig.from_mapping({"degraded": "maybe"})


def _result(**kw):
    values = {
        "status": NOT_SCANNED,
        "filename": "Tờ trình.pdf",
        "size": 10,
        "sha256": None,
    }
    values.update(kw)
    return ScanResult(**values)


def test_messages_interpolate_in_english():
    exc = VirusFound(_result(status="infected", signature="Win.Trojan.X"))
    assert str(exc) == (
        "The file Tờ trình.pdf is infected with malware (Win.Trojan.X) and was not saved."
    )
    exc = ScanFailed(_result(reason=OVERSIZE), max_size=50 * 1024 * 1024)
    assert "larger than the scanning limit of 50 MB" in str(exc)
    assert interpolate(exc.message.default, exc.message.mapping) == str(exc)
    assert exc.message.domain == "dongthap.qlvb"


def _po_entries(text: str) -> dict:
    entries = {}
    for block in text.split("\n\n"):
        msgid = re.search(r'^msgid "(.*)"$', block, re.MULTILINE)
        msgstr = re.search(r'^msgstr "(.*)"$', block, re.MULTILINE)
        if msgid and msgid.group(1):
            entries[msgid.group(1)] = msgstr.group(1) if msgstr else ""
    return entries


def test_every_msgid_is_translated_to_vietnamese():
    source = (REPO / "src/dongthap/qlvb/antivirus/scanner.py").read_text()
    used = set(re.findall(r'_\(\s*"([a-z_]+)"', source))
    assert used >= {"virus_found", "scan_failed_unreachable", "scan_skipped"}
    entries = _po_entries(PO_FILE.read_text(encoding="utf-8"))
    # The fragment also carries the Plone side (see test_translations.py).
    assert set(entries) >= used
    defaults = dict(re.findall(r'_\(\s*"([a-z_]+)",\s*default="([^"]*)', source))
    for msgid, msgstr in entries.items():
        if msgid not in used:
            continue
        assert msgstr.strip(), msgid
        # the same ${placeholders} as the English default
        placeholders = set(re.findall(r"\$\{(\w+)\}", msgstr))
        assert placeholders >= set(re.findall(r"\$\{(\w+)\}", defaults.get(msgid, "")))
        assert placeholders, msgid
        assert re.search(r"[ệảạếờợư]", msgstr), f"{msgid}: not Vietnamese? {msgstr}"
    assert entries["virus_found"] == (
        "Tệp ${filename} bị nhiễm mã độc (${signature}) nên không được lưu."
    )


def test_po_file_compiles():
    msgfmt = shutil.which("msgfmt")
    from tests.conftest import require

    require(msgfmt, "msgfmt (Debian gettext)")
    proc = subprocess.run(
        [msgfmt, "--check", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_not_scanned_message():
    msg = not_scanned_message(_result(reason="timeout"))
    assert msg.mapping == {"filename": "Tờ trình.pdf", "reason": "timeout"}
    assert msg.domain == "dongthap.qlvb"


def test_log_line():
    line = _result(reason="timeout", detail="x").log_line()
    assert "not_scanned" in line and "reason=timeout" in line


def test_scanner_has_no_plone_imports():
    source = Path(scanner.__file__).read_text()
    imports = re.findall(r"^\s*(?:from|import)\s+([\w.]+)", source, re.MULTILINE)
    assert not [m for m in imports if m.split(".")[0] in ("Products", "plone", "Zope2")]
    assert not [
        m for m in imports if m.startswith("zope") and m != "zope.i18nmessageid"
    ]
