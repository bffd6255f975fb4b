#!/usr/bin/env python3
"""Render a Zope instance configuration from the templates in ``instance/``.

Usage::

    python scripts/instance.py [--name instance] [--host 0.0.0.0] [--port 8080]

The result lands in ``var/<name>/etc/`` (zope.conf, zope.ini, site.zcml).
Storage: ZODB FileStorage with blobs under ``var/`` by default; when the
environment variable ``QLVB_RELSTORAGE_DSN`` (or ``--dsn``) holds a libpq DSN,
e.g. ``dbname=qlvb user=qlvb host=127.0.0.1 password=secret``, RelStorage on
PostgreSQL is used instead so that several instances share one database.
Rendering is idempotent: run it as often as you like, data is never touched.
"""

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "instance"


TESTING_INCLUDE = '  <include package="dongthap.qlvb_testing" />  <!-- test-only views -->\n'


def render(name, *, var, host, port, threads, dsn, debug, environment, testing=False):
    """Write the configuration of instance ``name``; return its etc directory.

    ``testing`` also loads the ZCML of ``dongthap.qlvb_testing`` (test-only views), for the
    instances the tests and benchmarks start; the demo and production instances never do.
    """
    var = Path(var).resolve()
    home = var / name
    etc = home / "etc"
    for folder in (etc, var / "log", var / "filestorage", var / "blobstorage", var / "cache" / "chameleon"):
        folder.mkdir(parents=True, exist_ok=True)
    values = {
        "instance_home": str(home),
        "instance_name": name,
        "var": str(var),
        "host": host,
        "port": port,
        "threads": threads,
        "dsn": dsn or "",
        "debug_mode": "on" if debug else "off",
        "extra_environment": "\n".join(f"    {k} {v}" for k, v in sorted(environment.items())),
    }
    if dsn:  # the site's code reads it too (audit trail, login counters, once-only worker rounds)
        environment = {"QLVB_RELSTORAGE_DSN": dsn, **environment}
    values["extra_environment"] = "\n".join(f"    {k} {v}" for k, v in sorted(environment.items()))
    storage_template = "storage-relstorage.conf.in" if dsn else "storage-filestorage.conf.in"
    values["storage"] = (TEMPLATES / storage_template).read_text().format(**values)
    (etc / "zope.conf").write_text((TEMPLATES / "zope.conf.in").read_text().format(**values))
    (etc / "zope.ini").write_text((TEMPLATES / "zope.ini.in").read_text().format(**values))
    site_zcml = (TEMPLATES / "site.zcml").read_text()
    if testing:
        site_zcml = site_zcml.replace("</configure>", TESTING_INCLUDE + "\n</configure>")
    (etc / "site.zcml").write_text(site_zcml)
    return etc


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="instance")
    parser.add_argument("--var", default=str(ROOT / "var"))
    from dongthap.qlvb.utils.deployment import SETTINGS

    parser.add_argument("--host", default=SETTINGS.value("QLVB_HOST"))
    parser.add_argument("--port", type=int, default=SETTINGS.value("QLVB_PORT"))
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--dsn", default=SETTINGS.value("QLVB_RELSTORAGE_DSN"))
    parser.add_argument("--debug", action="store_true")
    parser.add_argument("--testing", action="store_true", default=SETTINGS.value("QLVB_TEST_VIEWS"),
                        help="also load dongthap.qlvb_testing (test-only views; default: $QLVB_TEST_VIEWS)")
    parser.add_argument(
        "--env", action="append", default=[], metavar="KEY=VALUE",
        help="extra environment variable for the instance",
    )
    args = parser.parse_args(argv)
    environment = dict(item.split("=", 1) for item in args.env)
    etc = render(
        args.name, var=args.var, host=args.host, port=args.port, threads=args.threads,
        dsn=args.dsn, debug=args.debug, environment=environment, testing=args.testing,
    )
    storage = "RelStorage (PostgreSQL)" if args.dsn else "FileStorage + blobs"
    print(f"instance '{args.name}' configured in {etc} ({storage})")


if __name__ == "__main__":
    main()
