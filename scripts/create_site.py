"""Create the Plone site ``qlvb`` with the add-on and demo data, if it is missing.

Run by ``make site``/``make start``: ``zconsole run var/instance/etc/zope.conf scripts/create_site.py``.
Idempotent: an existing site is kept; only pending upgrade steps of our profile
run. The demo data is seeded once per site (``dongthap.qlvb.demo.data``): what an
administrator deleted or revoked later never comes back.
Environment: QLVB_SITE_ID, QLVB_ADMIN_USER / QLVB_ADMIN_PASSWORD (the Zope root
manager, see ``dongthap.qlvb.utils.zope_admin``), QLVB_DEMO (docs/settings.md).
"""

from AccessControl.SecurityManagement import newSecurityManager
from App.config import getConfiguration
from dongthap.qlvb.utils.deployment import SETTINGS
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import transaction

SITE_ID = SETTINGS.value("QLVB_SITE_ID")
ADMIN = SETTINGS.value("QLVB_ADMIN_USER")
ADMIN_PASSWORD = SETTINGS.value("QLVB_ADMIN_PASSWORD")
DEMO = SETTINGS.value("QLVB_DEMO")

app = makerequest(app)  # noqa: F821 - ``app`` is given by zconsole
if app.acl_users.getUserById(ADMIN) is None:
    from dongthap.qlvb.utils.zope_admin import ensure_zope_admin

    ensure_zope_admin(app.acl_users, name=ADMIN, password=ADMIN_PASSWORD, demo=DEMO,
                      var_dir=getConfiguration().clienthome)
    transaction.commit()
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
    from dongthap.qlvb.demo import data as demo_data

    if demo_data.seeded_version(site) >= demo_data.DEMO_VERSION:
        print("demo data seeded before: nothing added again")
    else:
        setup.runAllImportStepsFromProfile("profile-dongthap.qlvb:demo", purge_old=False)
        print("demo data seeded")
transaction.commit()
