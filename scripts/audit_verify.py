#!/usr/bin/env python
"""Verify the hash chain of the audit trail (exit 0: intact; 1: broken, naming the records).

    .venv/bin/python scripts/audit_verify.py            # the store the settings name
    .venv/bin/python scripts/audit_verify.py --dir var/audit
    .venv/bin/python scripts/audit_verify.py --dsn "dbname=qlvb host=127.0.0.1 user=qlvb password=…"
    .venv/bin/python scripts/audit_verify.py --purge    # first remove records older than the retention

The store: ``--dsn``/``--dir``, else ``QLVB_AUDIT_DSN``, ``QLVB_RELSTORAGE_DSN`` or ``QLVB_AUDIT_DIR``
(default ``var/audit``), as the instance uses them (docs/audit.md).
"""

import argparse
import datetime as dt
import sys


def main(argv=None):
    from dongthap.qlvb.audit import settings
    from dongthap.qlvb.audit.store import FileStore, PgStore, get_store

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dsn", help="PostgreSQL DSN of the audit table")
    parser.add_argument("--dir", help="folder of the file store")
    parser.add_argument("--purge", action="store_true",
                        help=f"remove records older than {settings.ENV_RETENTION} days first")
    args = parser.parse_args(argv)
    store = PgStore(args.dsn) if args.dsn else FileStore(args.dir) if args.dir else get_store()
    if args.purge:
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.retention_days())
        removed = store.purge(cutoff.isoformat())
        print(f"purged {removed} records older than {cutoff:%d/%m/%Y}")
    result = store.verify()
    print(f"{store.describe()}: {result.summary()}")
    for problem in result.problems:
        print(f"  {problem}")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
