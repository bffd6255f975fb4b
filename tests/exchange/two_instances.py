"""Two real instances of the system and the axis relay, as separate processes (test helper).

Used by ``test_two_instances.py`` and ``bench/bench_exchange_e2e.py``:

* :class:`Relay` — ``tests/exchange/axis_relay.py`` run as a script (own process,
  packages on disk);
* :class:`Instance` — a Zope instance rendered by ``scripts/instance.py`` into
  its own temporary var dir (own FileStorage, own port), the site created by
  ``scripts/create_site.py`` with the demo data, served by ``runwsgi``, with the
  exchange configured through environment variables (transport ``axis``, the
  relay URL, its own system id; the secret only in the process environment);
* :meth:`Instance.tick` — one round of the exchange worker in **tick mode**:
  ``scripts/exchange_worker.py --url <site> --token-file <file> --once``
  (the FileStorage is held by the web process);
* :func:`wait_for` — poll a condition with a deadline (never an unbounded sleep);
* :func:`shared_test_pki` — one test root CA for all instances (their demo
  signatures verify as ``legal`` in each other).

Every process is started with its own process group and stopped with
terminate → wait (kill after a grace period).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent
SITE_ID = "qlvb"
ADMIN = ("admin", "admin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout, interval=0.2, what="condition", between=None):
    """Call ``condition()`` until it returns a truthy value (returned); ``between()`` runs in between.

    Raises ``TimeoutError`` (with the last value) after ``timeout`` seconds.
    """
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = condition()
        if last:
            return last
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}; last value: {last!r}")
        if between is not None:
            between()
        else:
            time.sleep(interval)


def _stop(process: subprocess.Popen | None, grace=20):
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=grace)


def _port_open(port) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


class Relay:
    """The axis relay test peer in its own process."""

    def __init__(self, base: Path, systems: dict[str, tuple[str, str]], agencies: list[dict]):
        self.base = Path(base)
        self.data = self.base / "relay"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.systems = systems
        self.agencies = agencies
        self.process = None
        self.log = self.base / "relay.log"

    def start(self, timeout=30):
        self.base.mkdir(parents=True, exist_ok=True)
        agencies = self.base / "agencies.json"
        agencies.write_text(json.dumps(self.agencies, ensure_ascii=False), encoding="utf-8")
        cmd = [sys.executable, str(HERE / "axis_relay.py"), "--host", "127.0.0.1", "--port", str(self.port),
               "--data", str(self.data), "--agencies", str(agencies)]
        for system_id, (secret, organs) in self.systems.items():
            cmd += ["--system", f"{system_id}:{secret}:{organs}"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_for(lambda: self._ready(), timeout=timeout, what="the relay to listen")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"the relay exited: {self.log.read_text(errors='replace')[-2000:]}")
        return _port_open(self.port)

    def records(self) -> list[dict]:
        """What the relay stored (its ``index.json``): one record per distinct package."""
        index = self.data / "index.json"
        if not index.exists():
            return []
        return list(json.loads(index.read_text(encoding="utf-8")).values())

    def stop(self):
        _stop(self.process)


class Instance:
    """One instance of the system: own var dir, FileStorage, port and exchange identity."""

    def __init__(self, name: str, base: Path, *, relay_url: str, system_id: str, secret: str):
        self.name = name
        self.var = Path(base) / name
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/{SITE_ID}"
        self.token_file = self.var / "exchange-worker.token"
        self.conf = self.var / "instance" / "etc" / "zope.conf"
        self.settings = {
            "QLVB_EXCHANGE_TRANSPORT": "axis",
            "QLVB_AXIS_URL": relay_url,
            "QLVB_AXIS_SYSTEM_ID": system_id,
            "QLVB_EXCHANGE_TOKEN_FILE": str(self.token_file),
        }
        # The secret is never written into zope.conf: only the process environment has it.
        self.env = dict(os.environ, QLVB_DEMO="1", QLVB_SITE_ID=SITE_ID, QLVB_AXIS_SECRET=secret)
        self.env.pop("QLVB_RELSTORAGE_DSN", None)
        # Keys of its own, next to its own copy of the shared test PKI (``<var>/test-pki``, see
        # shared_test_pki): the test session's QLVB_KEYS_DIR, inherited from os.environ, would
        # make both instances issue their demo keys in one directory (and generate one PKI there,
        # in parallel) – the second overwriting the first's keys under another root.
        self.env["QLVB_KEYS_DIR"] = str(self.var / "keys")
        self.process = None
        self.log = self.var / "instance.log"
        self.ticks = []

    # -- life cycle --------------------------------------------------------------
    def render(self):
        self.var.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, str(ROOT / "scripts" / "instance.py"), "--var", str(self.var),
               "--name", "instance", "--port", str(self.port), "--host", "127.0.0.1", "--dsn", ""]
        for key, value in self.settings.items():
            cmd += ["--env", f"{key}={value}"]
        subprocess.run(cmd, check=True, capture_output=True, env=self.env, timeout=60)
        # the token of the tick mode, 0600, outside the ZODB (shared by the web process and the worker)
        fd = os.open(self.token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(32))

    def create_site(self, timeout=600):
        result = subprocess.run([str(BIN / "zconsole"), "run", str(self.conf),
                                 str(ROOT / "scripts" / "create_site.py")],
                                capture_output=True, env=self.env, timeout=timeout)
        if result.returncode:
            raise RuntimeError(f"create_site of {self.name} failed:\n"
                               f"{result.stdout.decode(errors='replace')[-3000:]}\n"
                               f"{result.stderr.decode(errors='replace')[-5000:]}")

    def start(self, timeout=180):
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen([str(BIN / "runwsgi"), str(self.conf.parent / "zope.ini")],
                                            stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                            start_new_session=True)
        wait_for(self._ready, timeout=timeout, interval=0.5, what=f"instance {self.name} to serve")
        return self

    def _ready(self):
        if self.process.poll() is not None:
            raise RuntimeError(f"instance {self.name} exited: {self.log.read_text(errors='replace')[-3000:]}")
        try:
            return requests.get(self.url, timeout=5, auth=ADMIN,
                                headers={"Accept": "application/json"}).status_code == 200
        except requests.RequestException:
            return False

    def stop(self):
        _stop(self.process)

    def log_tail(self, word="", lines=60) -> str:
        """The last ``lines`` lines of the instance's log (only those with ``word``, and tracebacks)."""
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return ""
        keep = [line for line in text if not word or word in line or line.startswith((" ", "Traceback"))]
        return "\n".join(keep[-lines:])

    # -- the worker in tick mode ---------------------------------------------------
    def tick(self, timeout=120) -> dict:
        """One worker round through the shipped worker script (tick mode); returns its JSON answer."""
        result = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "exchange_worker.py"), "--url", self.url,
             "--token-file", str(self.token_file), "--once"],
            capture_output=True, timeout=timeout, env=self.env)
        out = result.stdout.decode("utf-8", "replace").strip()
        if result.returncode or not out:
            raise RuntimeError(f"worker tick of {self.name} failed ({result.returncode}): {out}\n"
                               f"{result.stderr.decode(errors='replace')[-2000:]}")
        answer = json.loads(out.splitlines()[-1])
        self.ticks.append(answer)
        return answer

    # -- REST ------------------------------------------------------------------------
    def session(self, user: str | None = None, password: str = "Demo@2026") -> requests.Session:
        s = requests.Session()
        if user == "admin":
            s.auth = ADMIN
        elif user:
            s.auth = (user, password)
        s.headers["Accept"] = "application/json"
        return s


def shared_test_pki(base: Path) -> Path:
    """ONE test PKI (root + intermediate) for all instances, so that each trusts the others' signatures.

    The demo keys of an instance are issued under ``<keys dir>/../test-pki``
    (``qlvb_testing.signing_demo.install``: ``<var>/test-pki``); it is created there only
    when missing.  Every instance gets a copy of the same root and
    intermediate before its site is created, and issues its own leaf keys in
    its own copy: the sites are created in parallel, and the test PKI has no
    locking for two processes issuing the same identities in one directory.
    """
    from dongthap.qlvb_testing.testpki import ensure_test_pki

    return ensure_test_pki(Path(base) / "test-pki").directory


def start_pair(base: Path, relay: Relay, identities: dict[str, tuple[str, str]]) -> dict[str, Instance]:
    """Render, create (in parallel) and start one instance per ``name -> (system_id, secret)``."""
    instances = {name: Instance(name, base, relay_url=relay.url, system_id=sid, secret=secret)
                 for name, (sid, secret) in identities.items()}
    pki = shared_test_pki(base)
    for instance in instances.values():
        instance.render()
        shutil.copytree(pki, instance.var / "test-pki")
    with ThreadPoolExecutor(len(instances)) as pool:
        list(pool.map(lambda i: i.create_site(), instances.values()))
    started = []
    try:
        for instance in instances.values():
            instance.process = None
            started.append(instance)
        with ThreadPoolExecutor(len(instances)) as pool:
            list(pool.map(lambda i: i.start(), instances.values()))
    except BaseException:
        for instance in started:
            instance.stop()
        raise
    return instances
