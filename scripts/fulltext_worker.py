"""The full-text worker: extracts the text of new documents' files, OCR of scans, round after round.

Runs inside the database like the exchange worker's direct mode::

    zconsole run var/instance/etc/zope.conf scripts/fulltext_worker.py [--once] [--site qlvb]
                 [--interval 20] [--limit 20]

Tick mode (a FileStorage held by the running web process, as with ``make start``, which
starts it beside the exchange worker and stops it with it): each round is one
``POST <site>/@@fulltext-worker-tick`` with the local workers' token (the exchange
worker's ``var/exchange-worker.token``, created 0600 if missing)::

    python scripts/fulltext_worker.py --url http://localhost:8080/qlvb \\
        --token-file var/exchange-worker.token [--interval 20] [--limit 5] [--pid-file ...]

SIGTERM/SIGINT end it after the current round.

Each round extracts at most ``--limit`` documents marked pending
(:func:`dongthap.qlvb.search.fulltext.process_pending`) and commits; never in a web request.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

logger = logging.getLogger("dongthap.qlvb.search.worker")


STOP = False


def _stop(signum, frame):
    global STOP
    STOP = True


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Full-text worker of dongthap.qlvb")
    parser.add_argument("--site", default=os.environ.get("QLVB_SITE_ID", "qlvb"))
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--interval", type=float, default=20)
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--url", default="", help="tick mode: the site's address")
    parser.add_argument("--token-file", default="var/exchange-worker.token")
    parser.add_argument("--pid-file", default="")
    return parser.parse_args(argv)


def _token(path):
    import secrets

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(32))
    for _ in range(50):  # written by the exchange worker started a moment earlier
        token = path.read_text().strip()
        if token:
            return token
        time.sleep(0.1)
    sys.exit(f"empty token file {path}")


def run_tick(args):
    """Rounds run by the web process, one ``POST @@fulltext-worker-tick`` each."""
    token = _token(args.token_file)
    url = args.url.rstrip("/") + f"/@@fulltext-worker-tick?limit={args.limit}"
    while not STOP:
        request = urllib.request.Request(url, data=b"", method="POST",
                                         headers={"X-Qlvb-Worker-Token": token})
        counts = {}
        try:
            with urllib.request.urlopen(request, timeout=900) as response:
                counts = json.loads(response.read().decode("utf-8", "replace") or "{}")
        except (urllib.error.URLError, OSError, ValueError) as problem:
            logger.warning("full-text worker: %s unreachable: %s", url, problem)
        print(json.dumps(counts), flush=True)
        if args.once:
            break
        if not counts or counts.get("busy"):  # nothing pending, or another process runs it: wait
            for _ in range(int(args.interval * 10)):
                if STOP:
                    break
                time.sleep(0.1)


def main(app, argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    if args.pid_file:
        Path(args.pid_file).parent.mkdir(parents=True, exist_ok=True)
        Path(args.pid_file).write_text(str(os.getpid()))
    try:
        if args.url:
            return run_tick(args)
        if app is None:
            sys.exit("run with zconsole (direct mode) or give --url (tick mode)")
        run_direct(app, args)
    finally:
        if args.pid_file:
            Path(args.pid_file).unlink(missing_ok=True)


def run_direct(app, args):
    import transaction
    from dongthap.qlvb.search import fulltext
    from zope.component.hooks import setSite

    site = app[args.site]
    setSite(site)
    while True:
        transaction.begin()
        try:
            counts = fulltext.process_pending(args.limit)
            transaction.commit()
        except Exception:  # noqa: BLE001 - keep the worker alive
            transaction.abort()
            logger.exception("full-text worker: round failed")
            counts = {"error": 1}
        print(json.dumps(counts), flush=True)
        if args.once or STOP:
            break
        time.sleep(args.interval)
        app._p_jar.sync()


if __name__ == "__main__":
    _argv = sys.argv[1:]
    for _index, _arg in enumerate(sys.argv):  # zconsole run <conf> <this script> args...
        if _arg.endswith("fulltext_worker.py"):
            _argv = sys.argv[_index + 1:]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    main(globals().get("app"), _argv)
