"""Create the Plone site ``qlvb`` with the add-on and demo data, if it is missing.

Run by ``make site``/``make start``: ``zconsole run var/instance/etc/zope.conf scripts/create_site.py``.
Idempotent: an existing site is kept; only pending upgrade steps of our profile
run and missing demo data is added, so running it twice changes nothing.
Environment: QLVB_SITE_ID (qlvb), QLVB_ADMIN_USER / QLVB_ADMIN_PASSWORD
(admin / admin, the Zope root manager), QLVB_DEMO (1: install demo data).
"""

from AccessControl.SecurityManagement import newSecurityManager
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import os
import transaction

SITE_ID = os.environ.get("QLVB_SITE_ID", "qlvb")
ADMIN = os.environ.get("QLVB_ADMIN_USER", "admin")
ADMIN_PASSWORD = os.environ.get("QLVB_ADMIN_PASSWORD", "admin")
DEMO = os.environ.get("QLVB_DEMO", "1") == "1"

app = makerequest(app)  # noqa: F821 - ``app`` is given by zconsole
if app.acl_users.getUserById(ADMIN) is None:
    app.acl_users.userFolderAddUser(ADMIN, ADMIN_PASSWORD, ["Manager"], [])
    transaction.commit()
    print(f"Zope administrator '{ADMIN}' created")
admin = app.acl_users.getUserById(ADMIN)
newSecurityManager(None, admin.__of__(app.acl_users))

if SITE_ID not in app.objectIds():
    from Products.CMFPlone.factory import addPloneSite

    print(f"creating the site /{SITE_ID} …")
    site = addPloneSite(
        app,
        SITE_ID,
        title="Hệ thống quản lý văn bản và điều hành tỉnh Đồng Tháp",
        default_language="vi",
        portal_timezone="Asia/Ho_Chi_Minh",
        setup_content=False,
        extension_ids=[
            "plone.app.contenttypes:default",
            "plonetheme.barceloneta:default",
            "plone.restapi:default",
            "dongthap.qlvb:default",
        ],
    )
    transaction.commit()
    print(f"site /{SITE_ID} created")
site = app[SITE_ID]
setSite(site)
setup = site.portal_setup
for profile in ("dongthap.qlvb:default",):
    if setup.listUpgrades(profile):
        print(f"running upgrade steps of {profile}")
        setup.upgradeProfile(profile)
if DEMO:
    setup.runAllImportStepsFromProfile("profile-dongthap.qlvb:demo", purge_old=False)
    print("demo data in place")
transaction.commit()
