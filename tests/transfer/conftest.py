"""A real instance (FileStorage, demo data) for the export/import and backup tests.

Everything runs as the commands an administrator runs (``scripts/transfer.py``,
``scripts/backup.py``) against an instance in a temporary directory; no port is
served. Scanning is off (the demo's files are ours).
"""

from pathlib import Path

import json
import os
import pytest
import subprocess

ROOT = Path(__file__).resolve().parents[2]
BIN = ROOT / ".venv" / "bin"


class Instance:
    def __init__(self, var, env):
        self.var = Path(var)
        self.env = env
        self.conf = self.var / "a" / "etc" / "zope.conf"

    def zconsole(self, script, *args, check=True, env=None):
        done = subprocess.run([BIN / "zconsole", "run", self.conf, script, *map(str, args)],
                              env=dict(self.env, **(env or {})), cwd=ROOT, capture_output=True, text=True)
        if check:
            assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-5000:])
        return done

    def transfer(self, *args, check=True, env=None):
        return self.zconsole(ROOT / "scripts" / "transfer.py", *args, check=check, env=env)

    def fingerprint(self, site, path):
        self.transfer("--site", site, "fingerprint", path)
        return json.loads(Path(path).read_text())


def make_instance(var, *, dsn=None, demo=True):
    env = dict(os.environ, QLVB_SITE_ID="qlvb", QLVB_DEMO="1" if demo else "0", QLVB_CLAMD_ENABLED="0",
               QLVB_KEYS_DIR=str(Path(var) / "keys"), QLVB_AUDIT_DIR=str(Path(var) / "audit"))
    env.pop("QLVB_RELSTORAGE_DSN", None)
    cmd = [BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a", "--var", var, "--port", "0",
           "--env", "QLVB_CLAMD_ENABLED=0"]
    if dsn:
        cmd += ["--dsn", dsn]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    instance = Instance(var, env)
    instance.zconsole(ROOT / "scripts" / "create_site.py")
    return instance


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory):
    """The demo site ``/qlvb`` in a FileStorage of its own."""
    return make_instance(tmp_path_factory.mktemp("transfer"))
