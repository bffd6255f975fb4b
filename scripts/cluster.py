#!/usr/bin/env python3
"""Several Zope instances on one RelStorage/PostgreSQL database behind HAProxy (``make start-cluster``).

Usage::

    python scripts/cluster.py start [--instances 2] [--port 8080] [--dsn DSN] [--threads 2]
                                    [--env KEY=VALUE ...] [--no-workers] [--no-demo]
    python scripts/cluster.py stop
    python scripts/cluster.py status

``start``

1. creates the PostgreSQL database of the DSN when it is missing (default
   ``dbname=qlvb_cluster host=127.0.0.1 port=5432 user=postgres``, or ``$QLVB_RELSTORAGE_DSN``);
2. renders ``instance1`` … ``instanceN`` under ``var/cluster/`` (``scripts/instance.py``:
   RelStorage, blobs in PostgreSQL with a local blob cache per instance, one shared
   client home for the workers' token and the demo keys), each on 127.0.0.1:<port+10+k>;
3. creates the site and the demo data ONCE (``scripts/create_site.py`` through the first
   instance; the others only open the same database);
4. starts the N ``runwsgi`` processes, then HAProxy (``var/cluster/haproxy.cfg``) on
   ``--port``: round robin without stickiness, health check ``GET /<site>/@@ok`` every 2 s,
   at most ``--threads`` requests in flight per instance (the rest wait in HAProxy's queue);
5. starts the exchange worker (exchange, reminders, notifications, background exports) and
   the full-text worker in tick mode through HAProxy. Each round runs exactly once across
   the instances whatever reaches which instance: a PostgreSQL advisory lock guards it
   (:mod:`dongthap.qlvb.utils.singleton`).

Everything runs in the background (own process groups, pid files in ``var/cluster/``);
``stop`` ends what ``start`` started (workers, HAProxy, instances), by pid.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_DSN = "dbname=qlvb_cluster host=127.0.0.1 port=5432 user=postgres"
sys.path.insert(0, str(ROOT / "scripts"))


def _log(message):
    print(f"[cluster] {message}", flush=True)


# -- PostgreSQL ---------------------------------------------------------------------
def ensure_database(dsn: str, *, fresh=False):
    """Create the database named in ``dsn`` when missing (``fresh``: drop it first)."""
    import psycopg2
    import psycopg2.extensions

    params = psycopg2.extensions.parse_dsn(dsn)
    name = params.pop("dbname")
    admin = psycopg2.connect(dbname="postgres", **params)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            if fresh:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
            if cur.fetchone() is None:
                cur.execute(f'CREATE DATABASE "{name}"')
                _log(f"database {name} created")
    finally:
        admin.close()


# -- processes ----------------------------------------------------------------------------
def _spawn(cmd, log: Path, pid_file: Path, env):
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env,
                                   start_new_session=True, cwd=str(ROOT))
    pid_file.write_text(str(process.pid))
    return process


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stop_pid_file(pid_file: Path, *, group=True, grace=30):
    try:
        pid = int(pid_file.read_text().strip())
    except (OSError, ValueError):
        pid_file.unlink(missing_ok=True)
        return False
    stopped = False
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig) if group else os.kill(pid, sig)
        except ProcessLookupError:
            break
        end = time.monotonic() + grace
        while time.monotonic() < end and _alive(pid):
            time.sleep(0.2)
            with _suppress_child():
                os.waitpid(pid, os.WNOHANG)
        if not _alive(pid):
            stopped = True
            break
    pid_file.unlink(missing_ok=True)
    return stopped


class _suppress_child:
    def __enter__(self):
        return self

    def __exit__(self, kind, value, tb):
        return kind is ChildProcessError


def _get(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except OSError:
        return None


def _wait(what, condition, timeout, process=None, log=None):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if process is not None and process.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            raise SystemExit(f"{what}: the process exited ({process.returncode})\n{tail}")
        if condition():
            return
        time.sleep(0.5)
    raise SystemExit(f"{what}: not ready after {timeout} s")


# -- HAProxy ---------------------------------------------------------------------------------
HAPROXY_CFG = """# Rendered by scripts/cluster.py; edit the script, not this copy.
global
    maxconn 4096

defaults
    mode http
    option httplog
    option forwardfor
    option redispatch
    retries 2
    timeout connect 5s
    timeout queue 60s
    timeout client 15m
    timeout server 15m

frontend qlvb
    bind {host}:{port}
    default_backend zope

# Round robin without stickiness: every instance serves every user (sessions are cookies
# signed with the site's secret, shared through the database). maxconn = waitress threads,
# so HAProxy queues the excess instead of piling it onto a busy instance.
backend zope
    balance roundrobin
    option httpchk GET /{site}/@@ok
    http-check expect status 200
    default-server inter 2s fall 3 rise 2 maxconn {threads}
{servers}
"""


def haproxy_config(var: Path, *, host, port, site, threads, backends):
    servers = "\n".join(f"    server {name} 127.0.0.1:{bport} check" for name, bport in backends)
    text = HAPROXY_CFG.format(var=var, host=host, port=port, site=site, threads=threads, servers=servers)
    path = var / "haproxy.cfg"
    path.write_text(text)
    return path


# -- start / stop ------------------------------------------------------------------------------
def start(*, instances=2, port=8080, host="0.0.0.0", dsn=None, var=None, threads=2, environment=None,
          workers=True, demo=True, fresh=False, site="qlvb", timeout=900, create=True):
    """Start a cluster; returns its description (also written to ``<var>/cluster.json``)."""
    from instance import render

    var = Path(var or ROOT / "var" / "cluster").resolve()
    dsn = dsn or os.environ.get("QLVB_RELSTORAGE_DSN") or DEFAULT_DSN
    if (var / "cluster.json").exists():
        stop(var=var)
    var.mkdir(parents=True, exist_ok=True)
    ensure_database(dsn, fresh=fresh)
    token_file = var / "exchange-worker.token"
    if not token_file.exists():
        import secrets

        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(32))
    settings = {"QLVB_EXCHANGE_TOKEN_FILE": str(token_file), "QLVB_SITE_ID": site, **(environment or {})}
    env = dict(os.environ, QLVB_DEMO="1" if demo else "0", QLVB_SITE_ID=site, QLVB_RELSTORAGE_DSN=dsn)
    env.update(settings)
    backends, confs = [], []
    for k in range(1, instances + 1):
        name, bport = f"instance{k}", port + 10 + k
        etc = render(name, var=var, host="127.0.0.1", port=bport, threads=threads, dsn=dsn, debug=False,
                     environment=settings, testing=env.get("QLVB_TEST_VIEWS", "") in ("1", "true"))
        backends.append((name, bport))
        confs.append(etc)
    if create:  # ``create=False``: the site exists and is up to date (a restart with another N)
        _log(f"creating the site /{site} once (through instance1) …")
        result = subprocess.run([str(BIN / "zconsole"), "run", str(confs[0] / "zope.conf"),
                                 str(ROOT / "scripts" / "create_site.py")], env=env, cwd=str(ROOT),
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode:
            raise SystemExit(f"create_site failed:\n{result.stdout[-3000:]}\n{result.stderr[-5000:]}")
        for line in result.stdout.splitlines():
            _log(line)
    state = {"var": str(var), "port": port, "host": host, "dsn": dsn, "site": site, "threads": threads,
             "instances": [], "url": f"http://localhost:{port}/{site}"}
    processes = []
    for (name, bport), etc in zip(backends, confs, strict=True):
        log = var / "log" / f"{name}.out"
        process = _spawn([str(BIN / "runwsgi"), str(etc / "zope.ini")], log, var / f"{name}.pid", env)
        processes.append((name, bport, process, log))
        state["instances"].append({"name": name, "port": bport, "pid": process.pid})
    (var / "cluster.json").write_text(json.dumps(state, indent=1))
    for name, bport, process, log in processes:
        _wait(f"{name} on :{bport}", lambda bport=bport: _get(f"http://127.0.0.1:{bport}/{site}/@@ok") == 200,
              timeout, process, log)
        _log(f"{name} serves on 127.0.0.1:{bport}")
    cfg = haproxy_config(var, host=host, port=port, site=site, threads=threads, backends=backends)
    check = subprocess.run(["haproxy", "-c", "-q", "-f", str(cfg)], capture_output=True, text=True)
    if check.returncode:
        raise SystemExit(f"haproxy.cfg refused:\n{check.stdout}{check.stderr}")
    haproxy = _spawn(["haproxy", "-db", "-f", str(cfg)], var / "log" / "haproxy.out", var / "haproxy.pid",
                     env)
    _wait("HAProxy", lambda: _get(f"http://127.0.0.1:{port}/{site}/@@ok") == 200, 60, haproxy,
          var / "log" / "haproxy.out")
    _log(f"HAProxy on {host}:{port}, round robin over {instances} instance(s)")
    if workers:
        url = f"http://127.0.0.1:{port}/{site}"
        _spawn([sys.executable, str(ROOT / "scripts" / "exchange_worker.py"), "--url", url,
                "--token-file", str(token_file), "--pid-file", str(var / "exchange-worker.lock")],
               var / "log" / "exchange-worker.log", var / "exchange-worker.pid", env)
        _spawn([sys.executable, str(ROOT / "scripts" / "fulltext_worker.py"), "--url", url, "--limit", "5",
                "--token-file", str(token_file)],
               var / "log" / "fulltext-worker.log", var / "fulltext-worker.pid", env)
        _log("exchange and full-text workers started (each round once across the instances)")
    return state


WORKERS = ("exchange-worker", "fulltext-worker")


def stop(*, var=None):
    var = Path(var or ROOT / "var" / "cluster").resolve()
    names = list(WORKERS) + ["haproxy"]
    state_file = var / "cluster.json"
    if state_file.exists():
        names += [i["name"] for i in json.loads(state_file.read_text())["instances"]]
    names += sorted(p.stem for p in var.glob("instance*.pid") if p.stem not in names)
    for name in names:
        pid_file = var / f"{name}.pid"
        if pid_file.exists() and _stop_pid_file(pid_file):
            _log(f"{name} stopped")
    state_file.unlink(missing_ok=True)


def status(*, var=None):
    var = Path(var or ROOT / "var" / "cluster").resolve()
    state_file = var / "cluster.json"
    if not state_file.exists():
        print("no cluster running")
        return 1
    state = json.loads(state_file.read_text())
    for name in ["haproxy", *WORKERS, *(i["name"] for i in state["instances"])]:
        pid_file = var / f"{name}.pid"
        pid = pid_file.read_text().strip() if pid_file.exists() else ""
        print(f"{name:<16} {'running' if pid and _alive(int(pid)) else 'stopped'} {pid}")
    print(f"site: {state['url']}")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("start", "stop", "status"))
    parser.add_argument("--instances", "-n", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="0.0.0.0")
    parser.add_argument("--dsn", default="")
    parser.add_argument("--threads", type=int, default=2, help="waitress threads per instance")
    parser.add_argument("--var", default=str(ROOT / "var" / "cluster"))
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--no-workers", action="store_true")
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "stop":
        return stop(var=args.var)
    if args.command == "status":
        return status(var=args.var)
    if args.instances < 1:
        parser.error("--instances must be at least 1")
    state = start(instances=args.instances, port=args.port, host=args.host, dsn=args.dsn or None,
                  var=args.var, threads=args.threads, workers=not args.no_workers, demo=not args.no_demo,
                  environment=dict(item.split("=", 1) for item in args.env))
    print(f"\n {state['url']}  ({args.instances} instance(s) behind HAProxy; stop: make stop-cluster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
