"""The instance configurations: FileStorage with blobs, RelStorage, and the buildout path."""

from pathlib import Path
from tests.conftest import require

import json
import os
import pytest
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, process, timeout=90):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer in {timeout} s")


def stop_group(process):
    """Stop a server and every process it started (its own process group)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=30)
            return
        except subprocess.TimeoutExpired:
            continue


def render(tmp_path, *args):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "instance.py"), "--var", str(tmp_path), *args],
        check=True, capture_output=True, text=True,
    )
    return tmp_path / "instance" / "etc"


def test_filestorage_config_has_blobs(tmp_path):
    etc = render(tmp_path, "--dsn", "")
    conf = (etc / "zope.conf").read_text()
    assert "<blobstorage>" in conf and f"blob-dir {tmp_path}/blobstorage" in conf
    assert f"path {tmp_path}/filestorage/Data.fs" in conf
    assert "relstorage" not in conf.split("<zodb_db main>")[1]


def test_relstorage_config_from_dsn(tmp_path):
    etc = render(tmp_path, "--dsn", "dbname=qlvb host=127.0.0.1 user=postgres password=x")
    conf = (etc / "zope.conf").read_text()
    assert "%import relstorage" in conf
    assert "dsn dbname=qlvb host=127.0.0.1 user=postgres password=x" in conf
    assert "shared-blob-dir false" in conf
    # the site's code finds the database too (audit, login counters, once-only worker rounds)
    assert "QLVB_RELSTORAGE_DSN dbname=qlvb host=127.0.0.1 user=postgres password=x" in conf


def test_rendering_is_idempotent(tmp_path):
    etc = render(tmp_path)
    first = (etc / "zope.conf").read_text()
    render(tmp_path)
    assert (etc / "zope.conf").read_text() == first


def test_buildout_builds_and_starts(tmp_path):
    """The buildout path (user's choice) builds from the same pins and serves Zope."""
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "pins-to-versions.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
    port = free_port()
    result = subprocess.run(
        [str(VENV_BIN / "buildout"), "-N", "-c", "buildout.cfg",
         f"buildout:directory={ROOT}",
         f"buildout:bin-directory={tmp_path}/bin",
         f"buildout:parts-directory={tmp_path}/parts",
         f"instance:http-address={port}",
         f"instance:var={tmp_path}/var",
         f"instance:blob-storage={tmp_path}/var/blobstorage"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    # bin/instance fg runs Zope in a child process: own process group, stopped as a whole.
    process = subprocess.Popen([str(tmp_path / "bin" / "instance"), "fg"], start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, _body = wait_http(f"http://localhost:{port}/", process)
        assert status == 200
    finally:
        stop_group(process)


def _psql(*args):
    return subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-X", "-q", *args],
                          capture_output=True, text=True)


@pytest.fixture(scope="module")
def relstorage_site(tmp_path_factory):
    """A site (no demo data) in a throw-away PostgreSQL database: ``(etc directory, environment, port)``."""
    require(shutil.which("psql") and _psql("-c", "select 1").returncode == 0,
            "PostgreSQL on 127.0.0.1:5432")
    db = f"qlvb_test_{os.getpid()}_{int(time.time())}"
    assert _psql("-c", f"create database {db}").returncode == 0
    try:
        dsn = f"dbname={db} host=127.0.0.1 user=postgres password=postgres"
        port = free_port()
        etc = render(tmp_path_factory.mktemp("relstorage"), "--dsn", dsn, "--port", str(port),
                     "--host", "127.0.0.1")
        env = dict(os.environ, QLVB_DEMO="0", QLVB_CLAMD_ENABLED="0")
        created = subprocess.run(
            [str(VENV_BIN / "zconsole"), "run", str(etc / "zope.conf"),
             str(ROOT / "scripts" / "create_site.py")],
            capture_output=True, text=True, env=env, timeout=600,
        )
        assert created.returncode == 0, created.stderr[-3000:]
        tables = _psql("-d", db, "-At", "-c", "select count(*) from object_state").stdout.strip()
        assert int(tables) > 1000  # the site lives in PostgreSQL
        yield etc, env, port
    finally:
        _psql("-c", f"drop database if exists {db} with (force)")


def test_relstorage_instance_starts_and_serves_the_site(relstorage_site):
    """An instance on RelStorage/PostgreSQL creates the site and serves it."""
    etc, env, port = relstorage_site
    process = subprocess.Popen([str(VENV_BIN / "runwsgi"), str(etc / "zope.ini")],
                               start_new_session=True, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        status, body = wait_http(f"http://localhost:{port}/qlvb", process)
        assert status == 200 and 'lang="vi"' in body
    finally:
        stop_group(process)


def test_two_generator_processes_on_relstorage(relstorage_site, tmp_path):
    """``generate_data.py --workers 2 --worker K`` (issue #21): two worker processes on one
    PostgreSQL database (worker 0 makes the agencies, worker 1 waits for them) make every step
    once, the registers stay 1…n, and the workers continue / have nothing left when run again
    (``generator_check.py``). The ``--processes`` launcher starts the same workers (measured
    in docs/capacity.md, not here: one more Plone start)."""
    etc, env, _port = relstorage_site
    zconsole = [str(VENV_BIN / "zconsole"), "run", str(etc / "zope.conf")]
    script = [str(ROOT / "scripts" / "generate_data.py"),
              "--documents", "10", "--agencies", "3", "--batch", "3"]
    logs = [tmp_path / f"worker-{k}.log" for k in (0, 1)]
    workers = []
    for k, log in enumerate(logs):
        with open(log, "w") as out:
            workers.append(subprocess.Popen(zconsole + script + ["--workers", "2", "--worker", str(k)],
                                            stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT))
    for k, (worker, log) in enumerate(zip(workers, logs, strict=True)):
        worker.wait(timeout=600)
        output = log.read_text()
        assert worker.returncode == 0, output[-3000:]
        assert f"[worker {k}/2] done: " in output, output[-3000:]
    target = tmp_path / "check.json"
    checked = subprocess.run(zconsole + [str(Path(__file__).with_name("generator_check.py")), "12",
                                         str(target)],
                             capture_output=True, text=True, env=dict(env, PYTHONPATH=str(ROOT)), cwd=ROOT,
                             timeout=600)
    assert checked.returncode == 0, checked.stderr[-3000:]
    result = json.loads(target.read_text())
    assert sum(result["runs"][0]) == 2 and result["runs"][1] == [0, 0], result["runs"]
    assert result["progress"]["steps"] == 12 and result["progress"]["agencies"] == 3
    steps = result["steps"]
    assert steps["made twice"] == steps["not incoming steps"] == [], steps
    assert steps["incoming"][0] == steps["incoming"][1], steps  # planned, accounted for
    assert steps["outgoing"][0] == steps["outgoing"][1], steps
    assert result["gaps"] == {}
