"""The full-text worker: extracts the text of new documents' files, OCR of scans, round after round.

Runs inside the database like the exchange worker's direct mode::

    zconsole run var/instance/etc/zope.conf scripts/fulltext_worker.py [--once] [--site qlvb]
                 [--interval 20] [--limit 20]

Each round extracts at most ``--limit`` documents marked pending
(:func:`dongthap.qlvb.search.fulltext.process_pending`) and commits; never in a web request.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time

logger = logging.getLogger("dongthap.qlvb.search.worker")


def main(app, argv):
    import transaction
    from dongthap.qlvb.search import fulltext
    from zope.component.hooks import setSite

    parser = argparse.ArgumentParser(description="Full-text worker of dongthap.qlvb")
    parser.add_argument("--site", default=os.environ.get("QLVB_SITE_ID", "qlvb"))
    parser.add_argument("--once", action="store_true")
    parser.add_argument("--interval", type=float, default=20)
    parser.add_argument("--limit", type=int, default=20)
    args = parser.parse_args(argv)
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
        if args.once:
            break
        time.sleep(args.interval)
        app._p_jar.sync()


if __name__ == "__main__" and "app" in globals():
    main(globals()["app"], sys.argv[1:])
