"""A throw-away Zope instance for benchmarks: own var dir, own port, FileStorage with blobs."""

from pathlib import Path

import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = Path(__file__).resolve().parent.parent
#: the process id of the server :func:`serve` started last (for a sampling profiler)
SERVER_PID = None
BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, pct):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values):
    return {
        "n": len(values),
        "p50": statistics.median(values) * 1000,
        "p95": percentile(values, 95) * 1000,
        "mean": statistics.mean(values) * 1000,
    }


@contextlib.contextmanager
def instance(setup_script=None, demo=False, env=None, keep=None, grow_env=None):
    """Create a site in a temporary instance, run ``setup_script`` in zconsole, serve it.

    Yields the site URL (http://localhost:PORT/qlvb). ``keep``: a directory that holds the instance
    instead of a temporary one; when it already holds a site built by an earlier run (the file
    ``bench-ready``), creation and ``setup_script`` are skipped, so a large data set is built once
    and measured before and after a change (the code of this checkout serves it; upgrade steps
    are run by the caller). ``grow_env``: on a kept site, ``setup_script`` runs again (after the
    upgrade steps) with these variables added — a kept data set grown by a later run.
    """
    folder = contextlib.nullcontext(str(keep)) if keep else tempfile.TemporaryDirectory(prefix="qlvb-bench-")
    with folder as var, socket.socket() as holder:
        ready = Path(var) / "bench-ready"
        port = free_port()
        # Own keys and test PKI, revocation URLs on a port held here and never served: a benchmark
        # never reads the demo's keys nor asks the demo's CRL/OCSP/TSA on 127.0.0.1:8765.
        holder.bind(("127.0.0.1", 0))
        env = {"QLVB_KEYS_DIR": str(Path(var) / "keys"),
               "QLVB_TEST_PKI_URL": f"http://127.0.0.1:{holder.getsockname()[1]}/pki", **(env or {})}
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "instance.py"), "--var", var, "--port", str(port),
             "--host", "127.0.0.1", "--dsn", ""],
            check=True, capture_output=True,
        )
        conf = Path(var) / "instance" / "etc" / "zope.conf"
        run_env = dict(os.environ, QLVB_DEMO="1" if demo else "0", **(env or {}))
        if not ready.exists():
            create = ROOT / "scripts" / "create_site.py"
            subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(create)],
                           check=True, capture_output=True, env=run_env)
            if setup_script:
                subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(setup_script)],
                               check=True, env=run_env)
            if keep:
                ready.write_text("built\n")
        else:  # a kept site: bring it to this checkout's profile version first
            upgrade = ROOT / "bench" / "upgrade_site.py"
            subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(upgrade)], check=True, env=run_env)
            if setup_script and grow_env:
                subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(setup_script)],
                               check=True, env=dict(run_env, **grow_env))
        with serve(conf, port, run_env) as url:
            yield url


@contextlib.contextmanager
def serve(conf, port, env, timeout=600):
    """Serve the instance of ``conf`` (zope.conf) on ``port`` with ``env``; yields the site URL."""
    server = subprocess.Popen([str(BIN / "runwsgi"), str(Path(conf).parent / "zope.ini")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    url = f"http://localhost:{port}/qlvb"
    global SERVER_PID
    SERVER_PID = server.pid
    try:
        deadline = time.time() + timeout
        while True:
            try:
                urllib.request.urlopen(url, timeout=2)
                break
            except OSError:
                if time.time() > deadline or server.poll() is not None:
                    raise RuntimeError("benchmark server did not start") from None
                time.sleep(0.5)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
