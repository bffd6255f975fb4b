#!/usr/bin/env python3
"""Start or stop the demo's test PKI services (CRL files, OCSP responder, RFC 3161 TSA).

    .venv/bin/python scripts/peers_ctl.py start   # idempotent; waits until they answer
    .venv/bin/python scripts/peers_ctl.py stop

They listen on 127.0.0.1:8765 under ``/pki`` — the address written into the
demo certificates (``dongthap.qlvb_testing.testpki.DEFAULT_CRL_BASE_URL``) —
and sign with the keys of ``var/test-pki``. TEST SERVICES ONLY: a real
deployment uses the CA's OCSP/CRL and a real time-stamping authority.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from dongthap.qlvb.utils.deployment import SETTINGS as DEPLOYMENT

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PID_FILE = VAR / "test-peers.pid"
LOG_FILE = VAR / "log" / "test-peers.log"
#: 8765 is written into the demo certificates; QLVB_PEERS_PORT only serves the tests of this script.
HOST, BASE = "127.0.0.1", "/pki"
PORT = DEPLOYMENT.value("QLVB_PEERS_PORT")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def _pid() -> int | None:
    try:
        pid = int(PID_FILE.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _answers(timeout=0.5) -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=timeout):
            return True
    except OSError:
        return False


def start(wait: float = 60.0) -> int:
    if _pid() and _answers():
        print(f"test PKI services already running on http://{HOST}:{PORT}{BASE}")
        return 0
    if _answers():
        print(f"ERROR: port {PORT} is taken by another program; the demo certificates expect "
              f"their CRL, OCSP and time-stamping services there. Free the port and retry.",
              file=sys.stderr)
        return 1
    LOG_FILE.parent.mkdir(parents=True, exist_ok=True)
    with LOG_FILE.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "dongthap.qlvb_testing.testpeers", "--dir", str(VAR / "test-pki"),
             "--host", HOST, "--port", str(PORT), "--base-path", BASE],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    PID_FILE.write_text(f"{process.pid}\n")
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if process.poll() is not None:
            print(f"ERROR: the test PKI services stopped at once; see {LOG_FILE}", file=sys.stderr)
            return 1
        if _answers():
            # the PKI is created before the TSA is attached: wait for the ready line
            if b"TSA " in LOG_FILE.read_bytes()[-4096:]:
                print(f"test PKI services (CRL, OCSP, TSA) on http://{HOST}:{PORT}{BASE}")
                return 0
        time.sleep(0.2)
    print(f"ERROR: the test PKI services did not answer within {wait:.0f} s; see {LOG_FILE}",
          file=sys.stderr)
    return 1


def stop() -> int:
    pid = _pid()
    if pid:
        os.killpg(pid, signal.SIGTERM)
    PID_FILE.unlink(missing_ok=True)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("start", "stop"))
    args = parser.parse_args(argv)
    return start() if args.action == "start" else stop()


if __name__ == "__main__":
    sys.exit(main())
