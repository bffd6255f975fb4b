"""Generate a large realistic data set in a site (issue #21): agencies, staff, documents.

    QLVB_CLAMD_ENABLED=0 .venv/bin/zconsole run var/instance/etc/zope.conf \
        scripts/generate_data.py --documents 100000 --agencies 1000 [--batch 50] [--minutes M]

Works on whatever storage the instance's zope.conf names (FileStorage, or RelStorage
with ``QLVB_RELSTORAGE_DSN``). Resumable: the progress is committed with every batch,
so running the same command again continues where it stopped (Ctrl-C loses at most
one batch); ``--minutes`` stops on its own after that long. Prints progress and
documents/s. What is made and what is reused for speed: ``dongthap.qlvb.demo.generator``
and docs/capacity.md ("Dữ liệu lớn / Large data").
"""

from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.utils.deployment import SETTINGS
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import argparse
import os
import sys
import time

parser = argparse.ArgumentParser(prog="generate_data.py")
parser.add_argument("--documents", type=int, default=1000)
parser.add_argument("--agencies", type=int, default=20)
parser.add_argument("--batch", type=int, default=50, help="documents per transaction")
parser.add_argument("--seed", type=int, default=2026)
parser.add_argument("--minutes", type=float, default=None, help="stop after that long (resume later)")
# zconsole's argv ends with: … <script> args…
script_at = max(i for i, a in enumerate(sys.argv) if a.endswith("generate_data.py"))
args = parser.parse_args(sys.argv[script_at + 1:])

if os.environ.get("QLVB_CLAMD_ENABLED", "0") != "0":
    print("note: antivirus scanning is on (QLVB_CLAMD_ENABLED): every file is scanned")
os.environ.setdefault("QLVB_CLAMD_ENABLED", "0")

app = makerequest(app)  # noqa: F821 - ``app`` is given by zconsole
site = app[SETTINGS.value("QLVB_SITE_ID")]
admin = app.acl_users.getUserById(SETTINGS.value("QLVB_ADMIN_USER"))
newSecurityManager(None, admin.__of__(app.acl_users))
setSite(site)

from dongthap.qlvb.demo import generator  # noqa: E402

started = time.monotonic()
state = generator.generate(site, documents=args.documents, agencies=args.agencies, batch=args.batch,
                           seed=args.seed, log=lambda line: print(line, flush=True),
                           stop_after=args.minutes * 60 if args.minutes else None)
print(f"done in {time.monotonic() - started:.0f} s: " + ", ".join(
    f"{k}={v}" for k, v in sorted(state.items()) if k != "agency_paths"), flush=True)
