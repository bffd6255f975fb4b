#!/usr/bin/env python3
"""Start, stop and query a private ClamAV daemon for dongthap.qlvb.

The daemon gets its own configuration, socket, pid file, log and (optionally)
its own signature database under a *var dir* (default ``<repo>/var/clamd``),
so it never touches the system ``clamav-daemon`` service.

Usage::

    python3 scripts/clamd_ctl.py start  [--var-dir DIR] [--port 3311] [--db test|system]
    python3 scripts/clamd_ctl.py status [--var-dir DIR]
    python3 scripts/clamd_ctl.py stop   [--var-dir DIR]

Signature databases (``--db``):

``test``
    A tiny database built on the fly: one ``.ndb`` line for the EICAR test
    string and one ``.hdb`` line (md5:size:name) for the test virus
    ``/usr/share/clamav-testfiles/clam.exe`` of the Debian package
    ``clamav-testfiles`` (which makes all of its 44 packed samples detectable).
    Loads in a fraction of a second.  **It detects no real malware.**
``system``
    ``/var/lib/clamav`` as maintained by ``freshclam``.  When that directory
    holds no official signatures (``main``/``daily`` ``.cvd``/``.cld``) the
    script falls back to the test database and prints a loud warning.

The script uses the standard library only and runs with any Python 3.7+.  It
can also be imported (e.g. by pytest fixtures through ``importlib``): see
:func:`start`, :func:`stop`, :func:`status` and :func:`ping`.

clamd runs as the user who starts it.  When started as root, no ``User``
option is written, so it keeps running as root and can read the var dir and
``/var/lib/clamav``; pass ``--user clamav`` to drop privileges (the var dir is
then handed over to that user).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_VAR_DIR = os.path.join(REPO_ROOT, "var", "clamd")
DEFAULT_PORT = 3311
DEFAULT_STREAM_MAX = "60M"
SYSTEM_DB_DIR = "/var/lib/clamav"
TESTFILES_DIR = "/usr/share/clamav-testfiles"
TEST_VIRUS_FILE = os.path.join(TESTFILES_DIR, "clam.exe")

EICAR_SIGNATURE_NAME = "Eicar-Test-Signature"
TEST_FILE_SIGNATURE_NAME = "ClamAV-Test-File"

# clamd refuses larger MaxFileSize/MaxScanSize values (2 GB technical limit).
_MAX_SCAN_BYTES = 2000 * 1024 * 1024

# Official signature files; a directory without any of these is "empty".
_OFFICIAL_DB_PREFIXES = ("main.", "daily.")
_OFFICIAL_DB_SUFFIXES = (".cvd", ".cld")


class ClamdCtlError(RuntimeError):
    """Raised when the daemon cannot be started or stopped."""


def _eicar() -> bytes:
    """Return the 68-byte EICAR test string, assembled from harmless pieces."""
    head = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$"
    tail = "EICAR-STANDARD-" + "ANTIVIRUS-TEST-FILE!$H+H*"
    return (head + tail).encode("ascii")


def _parse_size(text: str) -> int:
    """Parse a clamd SIZE value (``60M``, ``512K``, ``1048576``) into bytes."""
    text = str(text).strip().upper()
    factor = 1
    if text.endswith("M"):
        factor, text = 1024 * 1024, text[:-1]
    elif text.endswith("K"):
        factor, text = 1024, text[:-1]
    return int(text) * factor


class Paths:
    """All file locations of one private clamd instance."""

    def __init__(self, var_dir: str | None = None) -> None:
        self.var_dir = os.path.abspath(var_dir or DEFAULT_VAR_DIR)
        self.conf = os.path.join(self.var_dir, "clamd.conf")
        self.socket = os.path.join(self.var_dir, "clamd.sock")
        self.pidfile = os.path.join(self.var_dir, "clamd.pid")
        self.logfile = os.path.join(self.var_dir, "clamd.log")
        self.tmp = os.path.join(self.var_dir, "tmp")
        self.test_db = os.path.join(self.var_dir, "db-test")


def find_clamd() -> str:
    """Return the path of the clamd binary (``$CLAMD_BIN``, PATH, /usr/sbin)."""
    candidates = [os.environ.get("CLAMD_BIN"), shutil.which("clamd"), "/usr/sbin/clamd"]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    raise ClamdCtlError(
        "clamd binary not found: install the Debian package clamav-daemon "
        "(or set CLAMD_BIN)"
    )


def build_test_db(db_dir: str) -> str:
    """Write the small test signature database into *db_dir* and return it.

    * ``test.ndb``: the EICAR string anywhere in a file (``Name:0:*:<hex>``);
    * ``test.hdb``: md5:size:name of clamav-testfiles' ``clam.exe`` (only when
      that package is installed).
    """
    os.makedirs(db_dir, exist_ok=True)
    with open(os.path.join(db_dir, "test.ndb"), "w", encoding="ascii") as fh:
        fh.write(f"{EICAR_SIGNATURE_NAME}:0:*:{_eicar().hex()}\n")
    hdb = os.path.join(db_dir, "test.hdb")
    if os.path.isfile(TEST_VIRUS_FILE):
        with open(TEST_VIRUS_FILE, "rb") as fh:
            data = fh.read()
        with open(hdb, "w", encoding="ascii") as fh:
            fh.write(
                f"{hashlib.md5(data).hexdigest()}:{len(data)}:{TEST_FILE_SIGNATURE_NAME}\n"
            )
    elif os.path.exists(hdb):
        os.unlink(hdb)
    return db_dir


def system_db_has_signatures(db_dir: str = SYSTEM_DB_DIR) -> bool:
    """Tell whether *db_dir* holds official ClamAV signatures (main/daily)."""
    try:
        names = os.listdir(db_dir)
    except OSError:
        return False
    return any(
        name.startswith(_OFFICIAL_DB_PREFIXES) and name.endswith(_OFFICIAL_DB_SUFFIXES)
        for name in names
    )


def _warn_loudly(message: str) -> None:
    bar = "!" * 78
    sys.stderr.write(f"\n{bar}\n!!! WARNING: {message}\n{bar}\n\n")
    sys.stderr.flush()


def resolve_db(paths: Paths, db: str) -> str:
    """Return the DatabaseDirectory to use for ``--db test|system``."""
    if db == "system":
        if system_db_has_signatures(SYSTEM_DB_DIR):
            return SYSTEM_DB_DIR
        _warn_loudly(
            f"{SYSTEM_DB_DIR} holds no ClamAV signatures (no main/daily .cvd/.cld; freshclam has "
            "never run). Falling back to the TEST database, which detects ONLY the "
            "EICAR and clamav-testfiles test samples and NO REAL MALWARE."
        )
    elif db != "test":
        raise ClamdCtlError(f"unknown --db {db!r} (use 'test' or 'system')")
    return build_test_db(paths.test_db)


def write_config(
    paths: Paths,
    db_dir: str,
    port: int | None = DEFAULT_PORT,
    stream_max: str = DEFAULT_STREAM_MAX,
    user: str | None = None,
    threads: int = 4,
) -> str:
    """Write ``clamd.conf`` for this instance and return its path.

    ``AlertExceedsMax`` makes files that hit a limit come back as
    ``Heuristics.Limits.Exceeded.*`` instead of a silent "OK", so nothing
    half-scanned is reported clean.  ``MaxScanSize`` is four times
    ``StreamMaxLength`` (archives count twice: container plus content) and
    ``MaxFileSize`` is *not smaller* than ``MaxScanSize``: ClamAV 1.4 silently
    trims an archive member larger than ``MaxFileSize`` and scans only its
    beginning (no alert), whereas exceeding ``MaxScanSize`` always alerts.
    """
    stream_bytes = _parse_size(stream_max)
    scan_bytes = min(4 * stream_bytes, _MAX_SCAN_BYTES)
    lines = [
        "# Generated by scripts/clamd_ctl.py - do not edit, it is rewritten on start.",
        f"LocalSocket {paths.socket}",
        "LocalSocketMode 660",
        "FixStaleSocket yes",
        f"PidFile {paths.pidfile}",
        "Foreground no",
        f"LogFile {paths.logfile}",
        "LogTime yes",
        "LogFileMaxSize 10M",
        f"DatabaseDirectory {db_dir}",
        f"TemporaryDirectory {paths.tmp}",
        f"StreamMaxLength {stream_bytes}",
        f"MaxScanSize {scan_bytes}",
        f"MaxFileSize {scan_bytes}",
        "AlertExceedsMax yes",
        f"MaxThreads {int(threads)}",
        "ReadTimeout 60",
        "CommandReadTimeout 30",
        "SelfCheck 3600",
        "ExitOnOOM yes",
    ]
    if port:
        lines += [f"TCPSocket {int(port)}", "TCPAddr 127.0.0.1"]
    if user:
        lines.append(f"User {user}")
    os.makedirs(paths.var_dir, exist_ok=True)
    with open(paths.conf, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    return paths.conf


def ping(socket_path: str, timeout: float = 1.0) -> bool:
    """Return True when the clamd on *socket_path* answers ``PING``."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(timeout)
            sock.connect(socket_path)
            sock.sendall(b"zPING\0")
            return sock.recv(64).rstrip(b"\0\n") == b"PONG"
    except OSError:
        return False


def _read_pid(paths: Paths) -> int | None:
    try:
        with open(paths.pidfile, encoding="ascii") as fh:
            return int(fh.read().strip())
    except (OSError, ValueError):
        return None


def _is_our_clamd(pid: int, paths: Paths) -> bool:
    """True when *pid* is a live (not zombie) clamd using our configuration."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            if fh.read().rsplit(")", 1)[-1].split()[0] == "Z":
                return False
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmdline = fh.read().split(b"\0")
    except (OSError, IndexError):
        return False
    return any(b"clamd" in arg for arg in cmdline[:1]) and any(
        paths.conf.encode() in arg for arg in cmdline
    )


def status(var_dir: str | None = None) -> dict:
    """Return ``{"running", "answering", "pid", "socket", "var_dir"}``."""
    paths = Paths(var_dir)
    pid = _read_pid(paths)
    running = bool(pid) and _is_our_clamd(pid, paths)
    return {
        "running": running,
        "answering": running and ping(paths.socket),
        "pid": pid if running else None,
        "socket": paths.socket,
        "var_dir": paths.var_dir,
    }


def _wait_for_ping(paths: Paths, wait: float) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if ping(paths.socket, timeout=0.5):
            return True
        time.sleep(0.05)
    return False


def _log_tail(paths: Paths, lines: int = 15) -> str:
    try:
        with open(paths.logfile, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:])
    except OSError:
        return "(no log)"


def start(
    var_dir: str | None = None,
    port: int | None = DEFAULT_PORT,
    db: str = "test",
    stream_max: str = DEFAULT_STREAM_MAX,
    user: str | None = None,
    wait: float | None = None,
) -> dict:
    """Start the private clamd (no-op when it already runs) and wait for PING.

    *wait* defaults to 30 s for the test database and 300 s for the system
    one (production signatures take tens of seconds to load).  Returns
    :func:`status`; raises :class:`ClamdCtlError` when clamd does not answer
    in time (it is then stopped again).
    """
    paths = Paths(var_dir)
    current = status(paths.var_dir)
    if current["running"]:
        if current["answering"] or _wait_for_ping(paths, wait or 30.0):
            return status(paths.var_dir)
        raise ClamdCtlError(
            "clamd (pid {}) runs but does not answer; log:\n{}".format(
                current["pid"], _log_tail(paths)
            )
        )
    clamd = find_clamd()
    db_dir = resolve_db(paths, db)
    if wait is None:
        wait = 30.0 if db_dir != SYSTEM_DB_DIR else 300.0
    os.makedirs(paths.tmp, exist_ok=True)
    write_config(paths, db_dir, port=port, stream_max=stream_max, user=user)
    for stale in (paths.pidfile, paths.socket):
        if os.path.exists(stale):
            os.unlink(stale)
    if user:
        entry = pwd.getpwnam(user)
        for root, dirs, files in os.walk(paths.var_dir):
            for name in [root] + [os.path.join(root, n) for n in dirs + files]:
                os.chown(name, entry.pw_uid, entry.pw_gid)
    proc = subprocess.run(
        [clamd, f"--config-file={paths.conf}"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        timeout=wait + 10,
        check=False,
    )
    if proc.returncode != 0:
        raise ClamdCtlError(
            f"clamd exited with status {proc.returncode}:\n"
            f"{proc.stdout.decode(errors='replace')}\nlog:\n{_log_tail(paths)}"
        )
    if not _wait_for_ping(paths, wait):
        stop(paths.var_dir)
        raise ClamdCtlError(
            f"clamd did not answer PING within {wait:.0f} s; log:\n{_log_tail(paths)}"
        )
    return status(paths.var_dir)


def stop(var_dir: str | None = None, timeout: float = 15.0) -> bool:
    """Stop the private clamd (SIGTERM, then SIGKILL after *timeout*).

    Only a process whose command line names this instance's clamd.conf is
    signalled.  Returns True when a daemon was stopped, False when none ran.
    """
    paths = Paths(var_dir)
    pid = _read_pid(paths)
    if not pid or not _is_our_clamd(pid, paths):
        for stale in (paths.pidfile, paths.socket):
            if os.path.exists(stale):
                os.unlink(stale)
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _is_our_clamd(pid, paths):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            time.sleep(0.2)
            break
        time.sleep(0.05)
    for stale in (paths.pidfile, paths.socket):
        if os.path.exists(stale):
            os.unlink(stale)
    return True


def main(argv: list | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["start", "stop", "status", "restart"])
    parser.add_argument(
        "--var-dir", default=DEFAULT_VAR_DIR, help="default: %(default)s"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help="TCP port on 127.0.0.1 (0 = unix socket only; default %(default)s)",
    )
    parser.add_argument("--db", choices=["test", "system"], default="test")
    parser.add_argument(
        "--stream-max",
        default=DEFAULT_STREAM_MAX,
        help="StreamMaxLength/MaxFileSize (default %(default)s)",
    )
    parser.add_argument("--user", default=None, help="drop privileges to this user")
    parser.add_argument(
        "--wait", type=float, default=None, help="seconds to wait for PING"
    )
    args = parser.parse_args(argv)
    try:
        if args.command in ("stop", "restart"):
            stopped = stop(args.var_dir)
            print("clamd stopped" if stopped else "clamd was not running")
        if args.command in ("start", "restart"):
            info = start(
                args.var_dir,
                port=args.port or None,
                db=args.db,
                stream_max=args.stream_max,
                user=args.user,
                wait=args.wait,
            )
            print(
                "clamd running (pid {}), socket {}".format(info["pid"], info["socket"])
            )
        if args.command == "status":
            info = status(args.var_dir)
            if info["running"]:
                print(
                    "clamd running (pid {}), socket {}, {}".format(
                        info["pid"],
                        info["socket"],
                        "answering" if info["answering"] else "NOT answering",
                    )
                )
                return 0 if info["answering"] else 1
            print("clamd not running ({})".format(info["var_dir"]))
            return 3
    except ClamdCtlError as exc:
        sys.stderr.write(f"clamd_ctl: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
