"""``scripts/peers_ctl.py``: the demo's test PKI services start once, answer, and stop."""

from pathlib import Path

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = Path(__file__).resolve().parents[2]


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _ctl(home, action, port):
    env = dict(os.environ, QLVB_PEERS_PORT=str(port))
    return subprocess.run([sys.executable, str(home / "scripts" / "peers_ctl.py"), action],
                          capture_output=True, text=True, timeout=120, env=env)


def test_start_is_idempotent_answers_and_stops(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "peers_ctl.py", tmp_path / "scripts")  # var/ under tmp_path
    port = _free_port()
    first = _ctl(tmp_path, "start", port)
    try:
        assert first.returncode == 0, first.stderr
        assert "CRL, OCSP, TSA" in first.stdout
        assert (tmp_path / "var" / "test-pki" / "intermediate.crl").exists()
        again = _ctl(tmp_path, "start", port)
        assert again.returncode == 0 and "already running" in again.stdout
        # the CRL is served; a key file is not
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/pki/intermediate.crl", timeout=5) as r:
            assert r.status == 200 and r.read()
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/pki/tsa.key.pem", timeout=5)
            raise AssertionError("a private key was served")
        except urllib.error.HTTPError as exc:
            assert exc.code in (403, 404)
        # the TSA answers a time-stamp request with a TimeStampResp (here: a refusal of garbage)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/pki/tsa", data=b"\x30\x00",
                                         headers={"Content-Type": "application/timestamp-query"})
        with urllib.request.urlopen(request, timeout=5) as r:
            assert r.headers["Content-Type"] == "application/timestamp-reply" and r.read()[:1] == b"\x30"
    finally:
        stopped = _ctl(tmp_path, "stop", port)
    assert stopped.returncode == 0
    deadline = time.time() + 10
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            time.sleep(0.2)
        except OSError:
            break
    else:
        raise AssertionError("the services still answer after stop")
    assert not (tmp_path / "var" / "test-peers.pid").exists()


def test_a_taken_port_is_a_clear_error(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "peers_ctl.py", tmp_path / "scripts")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        result = _ctl(tmp_path, "start", busy.getsockname()[1])
    assert result.returncode == 1
    assert "is taken by another program" in result.stderr
