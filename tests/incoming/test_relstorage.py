"""Numbering across two Zope processes sharing one RelStorage (PostgreSQL) database.

A throw-away database is created for the run and dropped afterwards. Two
``runwsgi`` processes serve the same site. CLIENTS × PER_CLIENT (8 × 25 = 200 by default,
``QLVB_RELSTORAGE_PER_CLIENT`` raises it) received documents are created first, in a few big
transactions (``zconsole run relstorage_bulk.py``); then 8 clients (split over both processes)
register PER_CLIENT of them each through ``@workflow/register``: the arrival numbers must be
exactly 1..200, one per document.
"""

from pathlib import Path
from tests.conftest import require
from tests.incoming.test_rest import assert_numbered_once
from tests.incoming.test_rest import CLIENTS
from tests.incoming.test_rest import register_concurrently

import json
import os
import pytest
import secrets
import shutil
import socket
import subprocess
import time

pytestmark = pytest.mark.stress  # two processes / thousands of requests: run with --stress

PER_CLIENT = int(os.environ.get("QLVB_RELSTORAGE_PER_CLIENT", "25"))

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"
PG = os.environ.get("QLVB_TEST_PG", "host=127.0.0.1 port=5432 user=postgres password=postgres")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_available():
    if not shutil.which("createdb"):
        return False
    try:
        import psycopg2  # noqa: F401
        import relstorage  # noqa: F401
    except ImportError:
        return False
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 5432)) == 0


class Instances(list):
    """The base URLs of the two processes; ``zconsole(**env)`` runs our bulk script on their site."""

    def __init__(self, urls, zope_conf, env):
        super().__init__(urls)
        self.zope_conf = zope_conf
        self.env = env

    def zconsole(self, **env):
        env = dict(self.env, PYTHONPATH=str(ROOT), **env)
        done = subprocess.run([BIN / "zconsole", "run", self.zope_conf, Path(__file__).with_name(
            "relstorage_bulk.py")], env=env, cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr[-3000:]


@pytest.fixture(scope="module")
def two_instances(tmp_path_factory):
    require(_pg_available(), "PostgreSQL on 127.0.0.1:5432 with createdb, relstorage and psycopg2")
    dbname = f"qlvb_test_{secrets.token_hex(4)}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
    var = tmp_path_factory.mktemp("relstorage")
    dsn = f"dbname={dbname} {PG}"
    env = dict(os.environ, QLVB_SITE_ID="plone", QLVB_DEMO="1", QLVB_CLAMD_ENABLED="0")
    procs, urls = [], []
    try:
        ports = []
        for name in ("a", "b"):
            port = _free_port()
            ports.append(port)
            subprocess.run([BIN / "python", ROOT / "scripts" / "instance.py", "--name", name, "--var", var,
                            "--host", "127.0.0.1", "--port", str(port), "--dsn", dsn,
                            "--env", "QLVB_CLAMD_ENABLED=0"], check=True, env=env, capture_output=True)
        subprocess.run([BIN / "zconsole", "run", var / "a" / "etc" / "zope.conf",
                        ROOT / "scripts" / "create_site.py"], check=True, env=env, cwd=ROOT,
                       capture_output=True)
        for name, port in zip(("a", "b"), ports, strict=True):
            log = open(var / f"{name}.log", "wb")
            procs.append(subprocess.Popen([BIN / "runwsgi", var / name / "etc" / "zope.ini"], env=env,
                                          cwd=var, stdout=log, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}/plone")
        import requests

        deadline = time.time() + 120
        for url in urls:
            while True:
                try:
                    if requests.get(url, timeout=30).status_code < 500:
                        break
                except requests.RequestException:
                    pass
                if time.time() > deadline:
                    pytest.fail(f"{url} did not start; see {var}")
                time.sleep(0.5)
        yield Instances(urls, var / "a" / "etc" / "zope.conf", env)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", dbname], check=False)


def test_two_processes_number_without_gap_or_duplicate(two_instances, tmp_path):
    total = CLIENTS * PER_CLIENT  # two processes racing: fewer documents than the one-process race
    listing = tmp_path / "paths.json"
    bulk = {"QLVB_BULK_AGENCY": "so-tai-chinh", "QLVB_BULK_CLERK": "stc.vanthu",
            "QLVB_BULK_FILE": str(listing)}
    two_instances.zconsole(QLVB_BULK="create", QLVB_BULK_COUNT=str(total), **bulk)
    paths = json.loads(listing.read_text())
    assert len(paths) == total
    numbers, failures = register_concurrently(two_instances, paths, "stc.vanthu")
    two_instances.zconsole(QLVB_BULK="dump", **bulk)
    stored = json.loads((tmp_path / "paths.json.out").read_text())
    assert_numbered_once(paths, numbers, failures, stored, 0)
    import requests

    for url in two_instances:  # both processes see the same register
        rows = requests.get(f"{url}/so-tai-chinh/@registers/incoming", auth=("stc.vanthu", "Demo@2026"),
                            headers={"Accept": "application/json"}).json()["register"]["rows"]
        assert sorted(r["arrival_number"] for r in rows) == list(range(1, total + 1))
