"""zconsole script for bench_desk.py: ``QLVB_DESK_COUNT`` incoming documents in Sở TT&TT (demo),
a third waiting for registration, the rest registered (waiting for assignment) but about one in 30
assigned by the leader to the specialist ``stttt.chuyenvien`` (his "việc của tôi"), mixed urgencies
and deadlines; committed every 500 documents (the assignments too: run in savepoints, not in a
commit of their own each). ``QLVB_DESK_OFFSET``: documents already there (a
kept data set grown by a later run)."""

from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.numbering.retry import savepoints_only
from plone import api
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import datetime
import os
import sys
import transaction

sys.path.insert(0, os.environ["QLVB_ROOT"])
from tests.incoming.helpers import payload  # noqa: E402
from tests.incoming.helpers import TINY_PDF  # noqa: E402

app = makerequest(app)  # noqa: F821
newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
site = app["qlvb"]
setSite(site)
agency = site["so-tttt"]
count = int(os.environ.get("QLVB_DESK_COUNT", "10000"))
#: documents already there (a kept data set grown by a later run: numbers go on from here)
offset = int(os.environ.get("QLVB_DESK_OFFSET", "0"))
raw = payload(file=None, page_amount="1")
raw["file"] = (TINY_PDF, "vb.pdf")
base = incoming.clean(raw)
urgencies = ("thuong",) * 7 + ("khan", "thuong_khan", "hoa_toc")
today = incoming.now().date()
for i in range(offset, offset + count):
    values = dict(base, code_number=str(i + 1), title=f"Văn bản đo hiệu năng số {i + 1}",
                  urgency=urgencies[i % len(urgencies)],
                  due_date=today + datetime.timedelta(days=1 + i % 30))
    with api.env.adopt_user(username="stttt.vanthu"):
        built = incoming.build_document(agency, values, register=i % 3 != 0)
    if i % 20 == 1 and i % 3 != 0:  # registered: the leader assigns it
        doc = app.unrestrictedTraverse(built["path"])
        deadline = (today + datetime.timedelta(days=i % 10)).isoformat()
        # savepoints_only: the assignment joins the batch of 500 instead of committing the batch
        # so far and then itself (two commits that rewrite the catalog's changed buckets each)
        with api.env.adopt_user(username="stttt.lanhdao"), savepoints_only():
            handling.assign(doc, {"lead": {"user": "stttt.chuyenvien", "deadline": deadline}})
    if (i + 1 - offset) % 500 == 0:
        transaction.commit()
        print(f"{i + 1} documents", flush=True)
transaction.commit()
print(f"bench content: {count} incoming documents added in so-tttt ({offset + count} in all)")
