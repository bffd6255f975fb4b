"""A real instance (FileStorage, demo data) for the export/import and backup tests.

Everything runs as the commands an administrator runs (``scripts/transfer.py``,
``scripts/backup.py``) against an instance in a temporary directory; no port is
served. Scanning is off (the demo's files are ours).
"""

from pathlib import Path

import json
import os
import pytest
import shutil
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


def _render(var, *, dsn=None, demo=True):
    """``scripts/instance.py`` into ``var`` (instance ``a``, no port served); the instance's environment."""
    env = dict(os.environ, QLVB_SITE_ID="qlvb", QLVB_DEMO="1" if demo else "0", QLVB_CLAMD_ENABLED="0",
               QLVB_KEYS_DIR=str(Path(var) / "keys"), QLVB_AUDIT_DIR=str(Path(var) / "audit"))
    env.pop("QLVB_RELSTORAGE_DSN", None)
    cmd = [BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a", "--var", var, "--port", "0",
           "--env", "QLVB_CLAMD_ENABLED=0"]
    if dsn:
        cmd += ["--dsn", dsn]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    return Instance(var, env)


def make_instance(var, *, dsn=None, demo=True):
    instance = _render(var, dsn=dsn, demo=demo)
    instance.zconsole(ROOT / "scripts" / "create_site.py")
    return instance


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory):
    """The demo instance built ONCE per session by ``create_site.py`` (FileStorage, blobs, keys, test PKI,
    audit trail): :func:`demo_instance` copies it instead of building the same site again."""
    return make_instance(tmp_path_factory.mktemp("transfer-template"))


def copy_instance(template, var):
    """A copy of ``template``'s whole var folder in ``var``, its configuration rendered for ``var``.

    The FileStorage holds no absolute path; ``zope.conf``/``zope.ini`` do, and are rendered again
    (the way ``make_instance`` rendered the template's).
    """
    shutil.copytree(template.var, var, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("*.lock", "*.tmp", "*.pid"))
    return _render(var)


@pytest.fixture(scope="module")
def demo_instance(demo_template, tmp_path_factory):
    """The demo site ``/qlvb`` in a FileStorage of its own (a copy of the session's template)."""
    return copy_instance(demo_template, tmp_path_factory.mktemp("transfer"))
