"""scripts/clamd_ctl.py: configuration, idempotent start, status, fallback."""

from __future__ import annotations

import hashlib
import subprocess
import sys

from .conftest import REPO


def _conf(clamd) -> dict:
    values = {}
    for line in (clamd.var_dir / "clamd.conf").read_text().splitlines():
        if line and not line.startswith("#"):
            key, _sep, value = line.partition(" ")
            values[key] = value
    return values


def test_generated_config(clamd):
    conf = _conf(clamd)
    assert conf["LocalSocket"] == clamd.socket
    assert conf["TCPSocket"] == str(clamd.port)
    assert conf["TCPAddr"] == "127.0.0.1"
    assert conf["Foreground"] == "no"
    assert conf["PidFile"] == str(clamd.var_dir / "clamd.pid")
    assert conf["LogFile"] == str(clamd.var_dir / "clamd.log")
    assert int(conf["StreamMaxLength"]) == clamd.stream_max
    # never silently skip data: limits alert, file limit >= scan limit
    assert conf["AlertExceedsMax"] == "yes"
    assert int(conf["MaxFileSize"]) >= int(conf["MaxScanSize"]) >= clamd.stream_max
    assert conf["DatabaseDirectory"] == str(clamd.var_dir / "db-test")


def test_test_database(clamd, testfiles_dir):
    db = clamd.var_dir / "db-test"
    ndb = (db / "test.ndb").read_text().strip()
    name, offset_type, offset, hexsig = ndb.split(":")
    assert (name, offset_type, offset) == ("Eicar-Test-Signature", "0", "*")
    from dongthap.qlvb.antivirus import eicar_bytes

    assert bytes.fromhex(hexsig) == eicar_bytes()
    data = (testfiles_dir / "clam.exe").read_bytes()
    assert (db / "test.hdb").read_text().strip() == (
        f"{hashlib.md5(data).hexdigest()}:{len(data)}:ClamAV-Test-File"
    )


def test_start_is_idempotent(clamd, clamd_ctl):
    before = clamd_ctl.status(str(clamd.var_dir))
    assert before["running"] and before["answering"]
    again = clamd.start()
    assert again["pid"] == before["pid"]


def test_status_and_stop_of_unknown_dir(clamd_ctl, tmp_path):
    info = clamd_ctl.status(str(tmp_path))
    assert info["running"] is False and info["pid"] is None
    assert clamd_ctl.stop(str(tmp_path)) is False


def test_stale_pidfile_is_not_trusted(clamd_ctl, tmp_path):
    """A pid file naming a foreign process must never lead to a kill."""
    (tmp_path / "clamd.pid").write_text("1\n")
    assert clamd_ctl.status(str(tmp_path))["running"] is False
    assert clamd_ctl.stop(str(tmp_path)) is False
    assert not (tmp_path / "clamd.pid").exists()


def test_cli_status(clamd):
    script = REPO / "scripts" / "clamd_ctl.py"
    proc = subprocess.run(
        [sys.executable, str(script), "status", "--var-dir", str(clamd.var_dir)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    assert "answering" in proc.stdout and clamd.socket in proc.stdout


def test_cli_status_not_running(tmp_path):
    script = REPO / "scripts" / "clamd_ctl.py"
    proc = subprocess.run(
        [sys.executable, str(script), "status", "--var-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=30,
    )
    assert proc.returncode == 3
    assert "not running" in proc.stdout


def test_system_db_without_signatures_falls_back_loudly(
    clamd_ctl, tmp_path, monkeypatch, capsys
):
    empty = tmp_path / "empty-system-db"
    empty.mkdir()
    monkeypatch.setattr(clamd_ctl, "SYSTEM_DB_DIR", str(empty))
    paths = clamd_ctl.Paths(str(tmp_path / "var"))
    db_dir = clamd_ctl.resolve_db(paths, "system")
    assert db_dir == paths.test_db
    err = capsys.readouterr().err
    assert "WARNING" in err and "NO REAL MALWARE" in err and "!!!!" in err


def test_system_db_with_signatures_is_used(clamd_ctl, tmp_path, monkeypatch, capsys):
    system = tmp_path / "system-db"
    system.mkdir()
    (system / "main.cvd").write_bytes(b"ClamAV-VDB:")
    monkeypatch.setattr(clamd_ctl, "SYSTEM_DB_DIR", str(system))
    assert clamd_ctl.resolve_db(clamd_ctl.Paths(str(tmp_path / "v")), "system") == str(
        system
    )
    assert "WARNING" not in capsys.readouterr().err
