#!/usr/bin/env python3
"""Build a small site with the code of an earlier commit, for the upgrade tests.

Usage (from the repository root, with the project's virtualenv)::

    .venv/bin/python scripts/make-upgrade-fixture.py   # 4a3c9b6 → tests/fixtures/site-1004.tar.xz
    .venv/bin/python scripts/make-upgrade-fixture.py --commit REV --out FILE.tar.xz

The source tree of ``--commit`` is extracted into a temporary folder
(``git archive``) and put first on ``PYTHONPATH``; a Zope instance with a
FileStorage is configured there and this same file runs inside it
(``zconsole run … --inside``). It creates the Plone site ``plone`` with the
add-on and its demo data (agencies, staff, incoming documents, outgoing
drafts, one outgoing document issued — signed with the demo PKI — and
delivered to another agency), then registers and assigns incoming documents.
Virus scanning is off (the documents are the demo's own PDFs). The storage is
packed and written, with its blobs, as one ``.tar.xz``.

``tests/test_upgrade_from_fixture.py`` opens a copy with today's code, runs
the upgrade steps and checks that every document kept its data.
"""

import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

HERE = pathlib.Path(globals().get("__file__") or sys.argv[0]).resolve()  # zconsole gives no __file__
ROOT = HERE.parent.parent
SITE_ID = "plone"
ADMIN = "admin"


def build(commit, out):
    with tempfile.TemporaryDirectory(prefix="qlvb-fixture-") as tmp:
        tmp = pathlib.Path(tmp)
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "src", "instance", "scripts"],
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tmp)], input=archive, check=True)
        var = tmp / "var"
        env = dict(os.environ, PYTHONPATH=str(tmp / "src"), QLVB_CLAMD_ENABLED="0", QLVB_DEMO="1",
                   QLVB_ADMIN_PASSWORD="admin", QLVB_DEMO_OUTGOING_ISSUE="1")
        subprocess.run([sys.executable, str(tmp / "scripts" / "instance.py"), "--name", "fixture",
                        "--var", str(var)], check=True, env=env)
        conf = var / "fixture" / "etc" / "zope.conf"
        zconsole = pathlib.Path(sys.executable).parent / "zconsole"
        subprocess.run([str(zconsole), "run", str(conf), str(HERE), "--inside"],
                       check=True, env=env, cwd=str(tmp))
        out.parent.mkdir(parents=True, exist_ok=True)
        with tarfile.open(out, "w:xz", preset=9) as tar:
            tar.add(var / "filestorage" / "Data.fs", arcname="Data.fs")
            tar.add(var / "blobstorage", arcname="blobstorage")
    print(f"{out}: {out.stat().st_size // 1024} KB")


def inside(app):  # runs in the instance, with the code of the commit
    from AccessControl.SecurityManagement import newSecurityManager
    from Products.CMFPlone.factory import addPloneSite
    from Testing.makerequest import makerequest
    from zope.component.hooks import setSite

    import transaction

    import dongthap.qlvb

    print("building with the code in", pathlib.Path(dongthap.qlvb.__file__).parent)
    app = makerequest(app)
    from dongthap.qlvb.utils.zope_admin import ensure_zope_admin

    ensure_zope_admin(app.acl_users, name=ADMIN, password="admin", demo=True, var_dir=".")
    newSecurityManager(None, app.acl_users.getUserById(ADMIN).__of__(app.acl_users))
    site = addPloneSite(app, SITE_ID, title="QLVB 1004", default_language="vi",
                        portal_timezone="Asia/Ho_Chi_Minh", setup_content=False,
                        extension_ids=["plone.app.contenttypes:default", "plone.restapi:default",
                                       "dongthap.qlvb:default"])
    setSite(site)
    site.portal_setup.runAllImportStepsFromProfile("profile-dongthap.qlvb:demo", purge_old=False)
    transaction.commit()
    documents(site)
    transaction.commit()
    app._p_jar.db().pack()
    print("fixture site built")


def documents(site):
    """Incoming documents received, registered and assigned; outgoing drafts and one issued."""
    from dongthap.qlvb.incoming import api as incoming
    from dongthap.qlvb.incoming import handling
    from plone import api

    agency = site["so-tttt"]
    found = api.content.find(context=agency, portal_type="IncomingDocument", unrestricted=True)
    docs = [b._unrestrictedGetObject() for b in found]
    received = [d for d in docs if api.content.get_state(d) == "received"]
    with api.env.adopt_user(username="stttt.vanthu"):
        for doc in received[:2]:
            incoming.transition(doc, "register", "Vào sổ")
    registered = [d for d in docs if api.content.get_state(d) == "registered"]
    if registered:
        with api.env.adopt_user(username="stttt.lanhdao"):
            try:
                handling.assign(registered[0], {"lead": {"user": "stttt.chuyenvien"},
                                                "direction": "Giao xử lý"})
            except Exception as problem:  # noqa: BLE001 - the shape of the assignment changed
                print("assignment skipped:", problem)
    for brain in api.content.find(portal_type=["IncomingDocument", "OutgoingDocument"], unrestricted=True):
        doc = brain._unrestrictedGetObject()
        print(doc.portal_type, doc.getId(), api.content.get_state(doc))


if __name__ == "__main__":
    if "--inside" in sys.argv:
        inside(app)  # noqa: F821 - ``app`` is given by zconsole
    else:
        parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
        parser.add_argument("--commit", default="4a3c9b6")
        parser.add_argument("--out", default=str(ROOT / "tests" / "fixtures" / "site-1004.tar.xz"))
        args = parser.parse_args()
        build(args.commit, pathlib.Path(args.out))
        shutil.rmtree(ROOT / "var" / "fixture", ignore_errors=True)
