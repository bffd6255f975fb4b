"""The exchange worker: sends the outbox, polls the inbox (liên thông văn bản), round after round.

Direct mode (the worker opens the database; RelStorage/ZEO shared with the web
processes, or a FileStorage no web process holds)::

    zconsole run var/instance/etc/zope.conf scripts/exchange_worker.py [--once] [--site qlvb]
                 [--interval 30] [--pid-file var/exchange-worker.pid]

Tick mode (a FileStorage held by the running web process, as with ``make start``):
each round is one ``POST <site>/@@exchange-worker-tick`` authenticated by the
token in ``<var>/exchange-worker.token`` (created 0600 if missing, never in
the ZODB)::

    python scripts/exchange_worker.py --url http://localhost:8080/qlvb \\
        --token-file var/exchange-worker.token [--interval 30] [--pid-file ...]

Stop it with SIGTERM/SIGINT (``kill $(cat var/exchange-worker.pid)``): the
current round finishes, then the worker exits.  A pid file with an exclusive
lock guarantees one worker per host; each round runs once across all the
processes of a site on PostgreSQL (an advisory lock, ``dongthap.qlvb.utils.singleton``):
with several instances (``make start-cluster``) a second worker, or a tick reaching
another instance meanwhile, answers ``{"busy": true}`` and does nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

logger = logging.getLogger("dongthap.qlvb.exchange.worker")
STOP = False


def _stop(signum, frame):
    global STOP
    STOP = True
    logger.info("exchange worker: stop requested (signal %s)", signum)


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Exchange worker of dongthap.qlvb")
    parser.add_argument("--site", default=os.environ.get("QLVB_SITE_ID", "qlvb"))
    parser.add_argument("--once", action="store_true", help="one round, then exit")
    parser.add_argument("--interval", type=float, default=None, help="seconds between rounds")
    parser.add_argument("--rounds", type=int, default=0, help="stop after N rounds (0: never)")
    parser.add_argument("--pid-file", default="")
    parser.add_argument("--url", default="", help="tick mode: URL of the site")
    parser.add_argument("--token-file", default="", help="tick mode: token file")
    return parser.parse_args(argv)


def lock_pid_file(path):
    """Hold an exclusive lock on the pid file for the life of the process."""
    if not path:
        return None
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")  # noqa: SIM115 - kept open while the worker runs
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(f"another exchange worker holds {path}")
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def _sleep(seconds):
    end = time.monotonic() + seconds
    while not STOP and time.monotonic() < end:
        time.sleep(min(0.2, max(0.0, end - time.monotonic())))


def run_direct(app, args):
    """Rounds inside this process (zconsole gives ``app``)."""
    import transaction
    from dongthap.qlvb.exchange import settings, worker
    from zope.component.hooks import setSite

    site = app[args.site]
    setSite(site)
    rounds = 0
    while not STOP:
        transaction.begin()
        try:
            result = worker.run_once(site)
        except Exception:  # noqa: BLE001 - keep the worker alive; the engine contains package errors
            transaction.abort()
            logger.exception("exchange worker: round failed")
            result = {"error": True}
        print(json.dumps({"round": rounds + 1, **result}, default=str), flush=True)
        rounds += 1
        if args.once or (args.rounds and rounds >= args.rounds):
            break
        interval = args.interval or float(settings.values().get("poll_interval") or 30)
        _sleep(interval)


def run_tick(args):
    """Rounds triggered over HTTP in the web process."""
    token_file = Path(args.token_file or "var/exchange-worker.token")
    if not token_file.exists():
        import secrets

        token_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(32))
    token = token_file.read_text().strip()
    url = args.url.rstrip("/") + "/@@exchange-worker-tick"
    rounds = 0
    while not STOP:
        request = urllib.request.Request(url, data=b"", method="POST",
                                         headers={"X-Qlvb-Worker-Token": token})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                print(response.read().decode("utf-8", "replace"), flush=True)
        except (urllib.error.URLError, OSError) as exc:
            logger.warning("exchange worker: %s unreachable: %s", url, exc)
        rounds += 1
        if args.once or (args.rounds and rounds >= args.rounds):
            break
        _sleep(args.interval or 30)


def main(argv, app=None):
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    _lock = lock_pid_file(args.pid_file)  # noqa: F841 - held until exit
    if args.url:
        run_tick(args)
    elif app is not None:
        run_direct(app, args)
    else:
        sys.exit("run with zconsole (direct mode) or give --url (tick mode)")


if __name__ == "__main__":
    _app = globals().get("app")  # given by ``zconsole run``
    _argv = sys.argv[1:]
    for _index, _arg in enumerate(sys.argv):  # zconsole run <conf> <this script> args...
        if _arg.endswith("exchange_worker.py"):
            _argv = sys.argv[_index + 1:]
    main(_argv, _app)
