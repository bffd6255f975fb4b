"""Export, import, migrate, check: the command of dongthap.qlvb.transfer (issue 20).

Run inside the instance (the site may be serving at the same time)::

    zconsole run var/instance/etc/zope.conf scripts/transfer.py export  var/transfer/2026-12-06
    zconsole run var/instance/etc/zope.conf scripts/transfer.py import  var/transfer/2026-12-06 \\
        [--max-objects N] [--restart]
    .venv/bin/python scripts/transfer.py import-all var/transfer/2026-12-06 --chunk 20000 \\
        [--conf var/instance/etc/zope.conf] [--restart]
    zconsole run var/instance/etc/zope.conf scripts/transfer.py integrity [--record] [--json FILE]
    zconsole run var/instance/etc/zope.conf scripts/transfer.py migrate --agency so-tttt \\
        --kind incoming --register so-den-2019.xlsx --pdfs pdf/ [--create]
    zconsole run var/instance/etc/zope.conf scripts/transfer.py fingerprint out.json

``--site`` (default QLVB_SITE_ID) names the site; ``--batch`` the batch size.
``import`` into a missing site creates it first (the add-on installed, no demo data).
The import records its progress in the site with every batch: run again, it goes on where
it stopped (a crash included); ``--max-objects N`` stops it cleanly after about N objects
(exit status 3, saying how many are left); a finished import run again does nothing;
``--restart`` imports everything again (updating in place).
``import-all`` (run with the instance's Python, *not* through zconsole) runs that import
chunk after chunk, each of ``--chunk`` objects in a fresh ``zconsole run`` process, until it
is finished, printing objects done / total, the rate and each chunk's peak memory: a
process's memory is bounded by its chunk, whatever the number of documents.
Exit status: 0 done; 1 the integrity check found differences or the migration
could not read some rows; 2 bad arguments; 3 ``import --max-objects`` stopped with objects left.
See docs/backup.md.
"""

import argparse
import json
import os
import subprocess
import sys
import time

#: Exit status of ``import --max-objects``: stopped at a batch boundary, objects left.
MORE = 3


def _site(app, site_id, create=False):
    from zope.component.hooks import setSite

    if site_id not in app.objectIds():
        if not create:
            sys.exit(f"no site /{site_id}")
        from Products.CMFPlone.factory import addPloneSite

        addPloneSite(app, site_id, title="Hệ thống quản lý văn bản và điều hành tỉnh Đồng Tháp",
                     default_language="vi", portal_timezone="Asia/Ho_Chi_Minh", setup_content=False,
                     extension_ids=["plone.app.contenttypes:default", "plonetheme.barceloneta:default",
                                    "plone.restapi:default", "dongthap.qlvb:default"])
        import transaction

        transaction.commit()
    site = app[site_id]
    setSite(site)
    return site


def main(app, argv):
    from dongthap.qlvb.utils.deployment import SETTINGS

    parser = argparse.ArgumentParser(prog="transfer.py", description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=SETTINGS.value("QLVB_SITE_ID"))
    parser.add_argument("--batch", type=int, default=1000)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("export").add_argument("directory")
    imp = sub.add_parser("import")
    imp.add_argument("directory")
    imp.add_argument("--max-objects", type=int, help="stop after about this many objects (resume: run again)")
    imp.add_argument("--restart", action="store_true", help="forget the progress recorded for this export")
    sub.add_parser("import-all", help="run with python, not zconsole: see import_all()").add_argument(
        "rest", nargs=argparse.REMAINDER)
    check = sub.add_parser("integrity")
    check.add_argument("--record", action="store_true", help="store the checksums of files without one")
    check.add_argument("--no-signatures", action="store_true")
    check.add_argument("--json", help="write the full report here")
    sub.add_parser("fingerprint").add_argument("output")
    mig = sub.add_parser("migrate")
    mig.add_argument("--agency", required=True, help="path of the agency below the site, e.g. so-tttt")
    mig.add_argument("--kind", choices=("incoming", "outgoing"), required=True)
    mig.add_argument("--register", required=True, help=".xlsx or .csv")
    mig.add_argument("--pdfs", required=True, help="folder of the PDFs")
    mig.add_argument("--create", action="store_true", help="create (default: dry run)")
    parser.add_argument("--verbose", action="store_true", help="log every object (collective.exportimport)")
    args = parser.parse_args(argv)
    if args.verbose:
        import logging

        handler = logging.StreamHandler()
        for name in ("collective.exportimport", "dongthap.qlvb.transfer"):
            logging.getLogger(name).setLevel(logging.INFO)
            logging.getLogger(name).addHandler(handler)

    import transaction
    from AccessControl.SecurityManagement import newSecurityManager

    # as the Zope root administrator (create_site.py makes it): catalog searches see everything
    admin = app.acl_users.getUserById(SETTINGS.value("QLVB_ADMIN_USER"))
    if admin is not None:
        newSecurityManager(None, admin.__of__(app.acl_users))
    site = _site(app, args.site, create=args.command == "import")

    def progress(step, figures):
        print(f"  {step}: " + ", ".join(f"{k}={v}" for k, v in figures.items()), flush=True)

    if args.command == "export":
        from dongthap.qlvb.transfer import api

        manifest = api.export_site(site, args.directory, batch=args.batch, progress=progress)
        transaction.abort()
        print(json.dumps({k: v for k, v in manifest.items() if k != "errors"}))
        for error in manifest["errors"]:
            print(f"  not exported: {error['path']}: {error['error']}")
        return 1 if manifest["errors"] else 0
    if args.command == "import":
        from dongthap.qlvb.transfer import api

        if args.max_objects is not None and args.max_objects < 1:
            parser.error("--max-objects must be 1 or more")
        result = api.import_site(site, args.directory, batch=args.batch, progress=progress,
                                 max_objects=args.max_objects, restart=args.restart)
        if result["already"]:
            print(f"already imported completely ({result['total']} objects): nothing to do")
        elif result["finished"]:
            print(f"import finished: {result['done']}/{result['total']} objects "
                  f"({result['objects']} in this run)")
        else:
            print(f"stopped after {result['objects']} objects: {result['done']}/{result['total']} done, "
                  f"{result['left']} left (next: {result['phase']} from item {result['position']}); "
                  "run the same command again to go on")
        print(json.dumps(result), flush=True)
        return 0 if result["finished"] else MORE
    if args.command == "import-all":
        parser.error("import-all runs outside the instance: "
                     ".venv/bin/python scripts/transfer.py import-all …")
    if args.command == "integrity":
        from dongthap.qlvb.transfer import integrity

        report = integrity.check_site(site, verify_signatures=not args.no_signatures, record=args.record,
                                      progress=lambda done, total: print(f"  {done}/{total}", flush=True))
        transaction.commit() if args.record else transaction.abort()
        print(f"documents={report['documents']} files={report['files']} "
              f"signatures={report['signatures']} differences={len(report['problems'])}")
        for problem in report["problems"][:200]:
            print(f"  {problem['path']} {problem['file']}: {problem['kind']}")
        if args.json:
            with open(args.json, "w", encoding="utf-8") as out:
                json.dump(report, out, ensure_ascii=False, indent=1)
        return 1 if report["problems"] else 0
    if args.command == "fingerprint":
        from dongthap.qlvb.transfer import compare

        with open(args.output, "w", encoding="utf-8") as out:
            json.dump(compare.fingerprint(site), out, ensure_ascii=False, sort_keys=True, indent=1,
                      default=str)
        transaction.abort()
        return 0
    if args.command == "migrate":
        from dongthap.qlvb.transfer import migration
        from zope.i18n import translate

        agency = site.unrestrictedTraverse(args.agency.strip("/"))
        try:
            result = migration.migrate(agency, args.register, args.pdfs, kind=args.kind,
                                       dry_run=not args.create)
        except migration.MigrationError as problem:
            print(translate(problem.message, target_language="vi"))
            return 2
        report = migration.messages_text(result)
        if result["dry_run"]:
            transaction.abort()
        else:
            transaction.commit()
        print(json.dumps(report, ensure_ascii=False, indent=1, default=str))
        return 1 if result["problems"] else 0
    return 2


def _peak_mb(usage):
    return round(usage.ru_maxrss / 1024, 1)  # kB on Linux


def _run_chunk(command):
    """Run one chunk's process, echoing its output; (exit status, last output line, peak RSS MB)."""
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, bufsize=1)
    last = ""
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.strip():
            last = line
            if not line.startswith("{"):
                print(f"    {line}", flush=True)
    proc.stdout.close()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, last, _peak_mb(usage)


def import_all(argv):
    """``import-all DIR --chunk N``: ``import DIR --max-objects N`` in a fresh ``zconsole run``
    process again and again until the import is finished (each process's memory is bounded by its
    chunk). Prints, per chunk, the objects done / total, the rate and the process's peak RSS."""
    parser = argparse.ArgumentParser(prog="transfer.py import-all", description=import_all.__doc__)
    parser.add_argument("directory")
    parser.add_argument("--chunk", type=int, default=20000, help="objects per process (default 20000)")
    parser.add_argument("--conf", default="var/instance/etc/zope.conf", help="the instance's zope.conf")
    parser.add_argument("--site", help="default: QLVB_SITE_ID")
    parser.add_argument("--batch", type=int, help="objects per transaction (default 1000)")
    parser.add_argument("--restart", action="store_true", help="forget the progress recorded for this export")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    if args.chunk < 1:
        parser.error("--chunk must be 1 or more")
    if not os.path.exists(args.conf):
        parser.error(f"no {args.conf}: give the instance's zope.conf with --conf")
    if not os.path.exists(os.path.join(args.directory, "manifest.json")):
        parser.error(f"{args.directory}: no manifest.json (not an export, or an unfinished one)")
    zconsole = os.path.join(os.path.dirname(sys.executable), "zconsole")
    options = [*(["--site", args.site] if args.site else []),
               *(["--batch", str(args.batch)] if args.batch else []),
               *(["--verbose"] if args.verbose else [])]
    started = time.monotonic()
    peaks = []
    last_state = None
    chunk = 0
    while True:
        chunk += 1
        command = [zconsole, "run", args.conf, os.path.abspath(__file__), *options, "import",
                   os.path.abspath(args.directory), "--max-objects", str(args.chunk)]
        if args.restart and chunk == 1:
            command.append("--restart")
        print(f"chunk {chunk}: {' '.join(command[3:])}", flush=True)
        chunk_started = time.monotonic()
        status, last, peak = _run_chunk(command)
        seconds = time.monotonic() - chunk_started
        try:
            result = json.loads(last)
        except ValueError:
            result = None
        if status not in (0, MORE) or result is None:
            print(f"chunk {chunk} failed (exit status {status}, peak RSS {peak} MB); what it committed is "
                  "kept: run the same command again to go on", flush=True)
            return status or 1
        peaks.append(peak)
        total_seconds = time.monotonic() - started
        share = 100 * result["done"] / result["total"] if result["total"] else 100.0
        print(f"chunk {chunk}: +{result['objects']} objects in {seconds:.1f} s "
              f"({result['objects'] / max(seconds, 0.01):.1f} objects/s), "
              f"{result['done']}/{result['total']} done ({share:.1f} %), peak RSS {peak} MB", flush=True)
        if status == 0:
            print(f"import finished: {result['done']}/{result['total']} objects, {chunk} chunk(s) in "
                  f"{total_seconds:.1f} s; peak RSS per chunk (MB): first {peaks[0]}, last {peaks[-1]}, "
                  f"max {max(peaks)}", flush=True)
            print(last, flush=True)  # the last chunk's result (JSON)
            return 0
        state = (result["phase"], result["position"], result["done"])
        if state == last_state:
            print(f"chunk {chunk} made no progress ({result['phase']} item {result['position']}): stopped",
                  flush=True)
            return 1
        last_state = state


if __name__ == "__main__":
    if "app" in globals():  # run by zconsole
        sys.exit(main(app, sys.argv[4:]))  # noqa: F821 - ``app`` is given by zconsole
    if sys.argv[1:2] == ["import-all"]:
        sys.exit(import_all(sys.argv[2:]))
    sys.exit("run it inside the instance: zconsole run var/instance/etc/zope.conf scripts/transfer.py … "
             "(only import-all runs with python)")
