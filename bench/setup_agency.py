"""zconsole script for bench_agency.py: an agency and a plain folder with the same 1,000 children."""

from AccessControl.SecurityManagement import newSecurityManager
from plone import api
from plone.dexterity.utils import createContentInContainer
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import transaction

app = makerequest(app)  # noqa: F821
newSecurityManager(None, app.acl_users.getUserById("admin").__of__(app.acl_users))
site = app["qlvb"]
setSite(site)
agency = api.content.create(container=site, type="Agency", id="bench-agency", title="Sở Đo Hiệu Năng",
                            agency_code="000.00.90.H20", abbreviation="SDHN", level="department")
folder = api.content.create(container=site, type="Folder", id="bench-folder", title="Thư mục Plone")
for container in (agency, folder):
    for i in range(1000):
        createContentInContainer(container, "Department", checkConstraints=False,
                                 id=f"phong-{i:04d}", title=f"Phòng số {i:04d}", abbreviation=f"P{i:04d}")
    transaction.commit()
print("bench content: 1,000 departments in an agency and in a plain folder")
