"""zconsole script for a kept benchmark site (bench/_server.py ``keep``): run the pending upgrade
steps of dongthap.qlvb:default, so the data built by an older checkout is measured as upgraded."""

from AccessControl.SecurityManagement import newSecurityManager
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import time
import transaction

app = makerequest(app)  # noqa: F821
newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
site = app["qlvb"]
setSite(site)
setup = site.portal_setup
profile = "dongthap.qlvb:default"
before = setup.getLastVersionForProfile(profile)
start = time.perf_counter()
setup.upgradeProfile(profile)
transaction.commit()
after = setup.getLastVersionForProfile(profile)
if before != after:
    print(f"upgraded {profile} {'.'.join(before)} → {'.'.join(after)} in {time.perf_counter() - start:.0f} s")
