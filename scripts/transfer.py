"""Export, import, migrate, check: the command of dongthap.qlvb.transfer (issue 20).

Run inside the instance (the site may be serving at the same time)::

    zconsole run var/instance/etc/zope.conf scripts/transfer.py export  var/transfer/2026-12-06
    zconsole run var/instance/etc/zope.conf scripts/transfer.py import  var/transfer/2026-12-06
    zconsole run var/instance/etc/zope.conf scripts/transfer.py integrity [--record] [--json FILE]
    zconsole run var/instance/etc/zope.conf scripts/transfer.py migrate --agency so-tttt \\
        --kind incoming --register so-den-2019.xlsx --pdfs pdf/ [--create]
    zconsole run var/instance/etc/zope.conf scripts/transfer.py fingerprint out.json

``--site`` (default QLVB_SITE_ID) names the site; ``--batch`` the batch size.
``import`` into a missing site creates it first (the add-on installed, no demo data).
Exit status: 0 done; 1 the integrity check found differences or the migration
could not read some rows; 2 bad arguments.
See docs/backup.md.
"""

import argparse
import json
import sys


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
    sub.add_parser("import").add_argument("directory")
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

        print(json.dumps(api.import_site(site, args.directory, batch=args.batch, progress=progress)))
        return 0
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


if __name__ == "__main__":
    sys.exit(main(app, sys.argv[4:]))  # noqa: F821 - ``app`` is given by zconsole
