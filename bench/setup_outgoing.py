"""zconsole script for bench_outgoing.py: 50 recipient agencies; one review level at Sở TT&TT."""

from AccessControl.SecurityManagement import newSecurityManager
from plone import api
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import transaction

app = makerequest(app)  # noqa: F821
newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
site = app["qlvb"]
setSite(site)
for i in range(50):
    api.content.create(container=site, type="Agency", id=f"bench-nhan-{i:02d}",
                       title=f"Cơ quan nhận số {i:02d}", agency_code=f"000.50.{i:02d}.H20",
                       abbreviation=f"CQN{i:02d}", level="department", safe_id=False)
from dongthap.qlvb.outgoing import settings  # noqa: E402

settings.set_settings(site["so-tttt"], review_levels={"*": ["leader"]})
transaction.commit()
print("bench content: 50 recipient agencies")
