"""The two Zope processes on one RelStorage (PostgreSQL) database of the numbering races.

A pytest plugin (named in ``tests/conftest.py``), so that the session-scoped fixture
``two_instances`` is ONE fixture for ``tests/incoming/test_relstorage.py`` and
``tests/outgoing/test_relstorage.py``: one throw-away database, one site, two processes.
"""

from pathlib import Path
from tests.conftest import require

import os
import pytest
import secrets
import shutil
import socket
import subprocess
import time

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


@pytest.fixture(scope="session")
def two_instances(tmp_path_factory):
    """Two ``runwsgi`` processes (``a``, ``b``) serving ONE demo site ``/plone`` on RelStorage, for the
    incoming and the outgoing numbering races (``tests/*/test_relstorage.py``): built once per
    session (site creation and two Zope starts are the expensive part). Their registers do not
    meet: the incoming race registers arrivals, the outgoing one takes outgoing numbers through
    the test-only view (``QLVB_TEST_VIEWS=1``, switched on for both)."""
    require(_pg_available(), "PostgreSQL on 127.0.0.1:5432 with createdb, relstorage and psycopg2")
    dbname = f"qlvb_test_{secrets.token_hex(4)}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
    var = tmp_path_factory.mktemp("relstorage")
    dsn = f"dbname={dbname} {PG}"
    env = dict(os.environ, QLVB_SITE_ID="plone", QLVB_DEMO="1", QLVB_CLAMD_ENABLED="0",
               QLVB_TEST_VIEWS="1")
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
