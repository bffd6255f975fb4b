#!/usr/bin/env python
"""Backup and restore of both storages, while the site runs (issue 20; docs/backup.md).

FileStorage + blobs (the embedded default)::

    .venv/bin/python scripts/backup.py fs-backup  --var var --dest backups/fs [--full]
    .venv/bin/python scripts/backup.py fs-restore --src backups/fs --var var-restored \\
        [--date 2026-12-06-18-00-00]

``repozo`` writes a full backup the first time and incremental ones after
(``--full`` forces a full one); it copies Data.fs up to its last complete
transaction, so the running site need not stop. The blob directory is copied
*after* it (blob files never change once written: a new revision is a new
file), only the files the backup lacks: every blob a backed-up transaction
refers to is there. Do not pack while a backup runs.

RelStorage on PostgreSQL::

    .venv/bin/python scripts/backup.py pg-backup --dsn "dbname=qlvb host=127.0.0.1 user=qlvb" \\
        --dest qlvb.dump
    .venv/bin/python scripts/backup.py pg-restore --dsn "dbname=qlvb_restored host=127.0.0.1 user=qlvb" \\
        --src qlvb.dump --create-db

``pg_dump -Fc --blobs``: one consistent snapshot (a single transaction) with the
large objects that hold the blobs; ``pg_restore`` into an empty database
(``--create-db`` creates it first).

    .venv/bin/python scripts/backup.py pack --config var/instance/etc/zope.conf --days 90

packs (keeps ``--days`` of history; RelStorage keeps history, see docs/backup.md).
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _run(cmd, **kw):
    print("+ " + " ".join(str(c) for c in cmd), flush=True)
    return subprocess.run([str(c) for c in cmd], check=True, **kw)


def copy_new_files(src: Path, dest: Path) -> int:
    """Copy the files of ``src`` that ``dest`` lacks (same relative path); returns how many."""
    copied = 0
    for root, _dirs, files in os.walk(src):
        rel = Path(root).relative_to(src)
        for name in files:
            if name.endswith(".lock") or name.startswith("."):
                continue
            target = dest / rel / name
            if target.exists() and target.stat().st_size == (Path(root) / name).stat().st_size:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(Path(root) / name, target)
            copied += 1
    # the layout marker of the blob directory
    for marker in (".layout",):
        if (src / marker).exists():
            shutil.copy2(src / marker, dest / marker)
    return copied


def fs_backup(args):
    var = Path(args.var)
    dest = Path(args.dest)
    (dest / "repozo").mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    cmd = [BIN / "repozo", "-B", "-z", "-r", dest / "repozo", "-f", var / "filestorage" / "Data.fs"]
    if args.full:
        cmd.append("-F")
    _run(cmd)
    blobs = copy_new_files(var / "blobstorage", dest / "blobs")
    print(f"blobs copied: {blobs}; {time.monotonic() - started:.1f} s")


def fs_restore(args):
    src = Path(args.src)
    var = Path(args.var)
    (var / "filestorage").mkdir(parents=True, exist_ok=True)
    target = var / "filestorage" / "Data.fs"
    if target.exists():
        sys.exit(f"{target} exists: restore into an empty var directory")
    started = time.monotonic()
    cmd = [BIN / "repozo", "-R", "-r", src / "repozo", "-o", target]
    if args.date:
        cmd += ["-D", args.date]
    _run(cmd)
    blobs = copy_new_files(src / "blobs", var / "blobstorage")
    os.chmod(var / "blobstorage", 0o700)
    print(f"blobs restored: {blobs}; {time.monotonic() - started:.1f} s")


def _pg_args(dsn):
    """libpq keywords → pg_dump options (dbname last)."""
    parts = dict(p.split("=", 1) for p in dsn.split())
    opts = []
    for key, flag in (("host", "-h"), ("port", "-p"), ("user", "-U")):
        if key in parts:
            opts += [flag, parts[key]]
    env = dict(os.environ)
    if "password" in parts:
        env["PGPASSWORD"] = parts["password"]
    return opts, parts.get("dbname"), env


def pg_backup(args):
    opts, dbname, env = _pg_args(args.dsn)
    started = time.monotonic()
    _run(["pg_dump", *opts, "-Fc", "--blobs", "-f", args.dest, dbname], env=env)
    print(f"{args.dest}: {os.path.getsize(args.dest)} bytes; {time.monotonic() - started:.1f} s")


def pg_restore(args):
    opts, dbname, env = _pg_args(args.dsn)
    started = time.monotonic()
    if args.create_db:
        _run(["createdb", *opts, dbname], env=env)
    _run(["pg_restore", *opts, "--no-owner", "--exit-on-error", "-d", dbname, args.src], env=env)
    print(f"restored into {dbname}; {time.monotonic() - started:.1f} s")


def pack(args):
    _run([BIN / "zconsole", "run", args.config, Path(__file__).with_name("pack_site.py"), str(args.days)])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("fs-backup")
    p.add_argument("--var", default="var")
    p.add_argument("--dest", required=True)
    p.add_argument("--full", action="store_true")
    p.set_defaults(func=fs_backup)
    p = sub.add_parser("fs-restore")
    p.add_argument("--src", required=True)
    p.add_argument("--var", required=True)
    p.add_argument("--date", help="restore the state at this time (repozo -D, UTC yyyy-mm-dd-hh-mm-ss)")
    p.set_defaults(func=fs_restore)
    p = sub.add_parser("pg-backup")
    p.add_argument("--dsn", required=True)
    p.add_argument("--dest", required=True)
    p.set_defaults(func=pg_backup)
    p = sub.add_parser("pg-restore")
    p.add_argument("--dsn", required=True)
    p.add_argument("--src", required=True)
    p.add_argument("--create-db", action="store_true")
    p.set_defaults(func=pg_restore)
    p = sub.add_parser("pack")
    p.add_argument("--config", required=True)
    p.add_argument("--days", type=float, default=90)
    p.set_defaults(func=pack)
    args = parser.parse_args(argv)
    args.func(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
