"""Restore drills: FileStorage + blobs backed up while the site serves, and RelStorage on PostgreSQL.

Each drill backs up, restores into a new place, and checks the restored site has
the same fingerprint (objects, states, histories, local roles, files) and passes
the integrity check — the steps of the README's restore drill.
"""

from pathlib import Path
from tests.conftest import require
from tests.transfer.conftest import BIN
from tests.transfer.conftest import Instance
from tests.transfer.conftest import make_instance
from tests.transfer.conftest import ROOT

import os
import secrets
import shutil
import socket
import subprocess
import time

from dongthap.qlvb.transfer.compare import differences
import pytest

# Real Zope instances (site creation, backup, restore): in the second pytest session that
# scripts/run-tests.sh runs alongside the first (marker "stress"), so CI stays within its time.
pytestmark = pytest.mark.stress

PG = os.environ.get("QLVB_TEST_PG", "host=127.0.0.1 port=5432 user=postgres")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_filestorage_backup_while_serving_and_restore(demo_instance, tmp_path):
    import requests

    port = _free_port()
    subprocess.run([BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a",
                    "--var", demo_instance.var, "--port", str(port), "--host", "127.0.0.1",
                    "--env", "QLVB_CLAMD_ENABLED=0"],
                   check=True, env=demo_instance.env, capture_output=True)
    before = demo_instance.fingerprint("qlvb", tmp_path / "before.json")
    server = subprocess.Popen([BIN / "runwsgi", demo_instance.var / "a" / "etc" / "zope.ini"],
                              env=demo_instance.env, cwd=demo_instance.var,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 180
        while True:
            try:
                if requests.get(f"http://127.0.0.1:{port}/qlvb", timeout=30).status_code < 500:
                    break
            except requests.RequestException:
                pass
            assert time.time() < deadline, "the instance did not start"
            time.sleep(0.5)
        backup = tmp_path / "backup"
        for _ in range(2):  # a full backup, then an incremental one
            subprocess.run([BIN / "python", ROOT / "scripts" / "backup.py", "fs-backup",
                            "--var", demo_instance.var, "--dest", backup], check=True, capture_output=True)
            assert requests.get(f"http://127.0.0.1:{port}/qlvb", timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(60)
    assert len(list((backup / "repozo").glob("*.fs*"))) >= 1
    restored = tmp_path / "restored"
    subprocess.run([BIN / "python", ROOT / "scripts" / "backup.py", "fs-restore", "--src", backup,
                    "--var", restored], check=True, capture_output=True)
    env = dict(demo_instance.env)
    subprocess.run([BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a", "--var", restored,
                    "--port", "0"], check=True, env=env, capture_output=True)
    copy = Instance(restored, env)
    after = copy.fingerprint("qlvb", tmp_path / "after.json")
    assert differences(before, after) == []
    assert copy.transfer("integrity").returncode == 0


def _pg_available():
    if not shutil.which("createdb"):
        return False
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", 5432)) == 0


def test_relstorage_pg_dump_and_restore(tmp_path):
    require(_pg_available(), "PostgreSQL on 127.0.0.1:5432 with createdb")
    source_db = f"qlvb_h20_{secrets.token_hex(4)}"
    restored_db = f"{source_db}_r"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", source_db], check=True)
    try:
        source = make_instance(tmp_path / "src", dsn=f"dbname={source_db} {PG}")
        before = source.fingerprint("qlvb", tmp_path / "before.json")
        dump = tmp_path / "qlvb.dump"
        subprocess.run([BIN / "python", ROOT / "scripts" / "backup.py", "pg-backup", "--dsn",
                        f"dbname={source_db} {PG}", "--dest", dump], check=True, capture_output=True)
        subprocess.run([BIN / "python", ROOT / "scripts" / "backup.py", "pg-restore", "--create-db", "--dsn",
                        f"dbname={restored_db} {PG}", "--src", dump], check=True, capture_output=True)
        env = dict(source.env)
        var = tmp_path / "dst"
        subprocess.run([BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a", "--var", var,
                        "--port", "0", "--dsn", f"dbname={restored_db} {PG}"], check=True, env=env,
                       capture_output=True)
        copy = Instance(var, env)
        after = copy.fingerprint("qlvb", tmp_path / "after.json")
        assert differences(before, after) == []
        assert copy.transfer("integrity").returncode == 0
        # the history is kept (keep-history true): the pack policy removes only old history
        pack = copy.zconsole(Path(ROOT / "scripts" / "pack_site.py"), 90)
        assert "packed" in pack.stdout
    finally:
        for db in (source_db, restored_db):
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=False)
