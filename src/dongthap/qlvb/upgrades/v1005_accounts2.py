"""1005 (accounts): the account security PAS plugin, its settings, and a start for password expiry."""

import time

from plone import api


def install_account_security(context):
    """Install the PAS plugin (first authenticator, password policy), the registry records of the
    "Bảo mật tài khoản" panel and its configlet; existing accounts' passwords count as set today."""
    from dongthap.qlvb.accounts import plugin, store

    setup = api.portal.get_tool("portal_setup")
    for step in ("plone.app.registry", "controlpanel"):
        setup.runImportStepFromProfile("profile-dongthap.qlvb:default", step, run_dependencies=False)
    portal = api.portal.get()
    plugin.install(portal)
    now = time.time()
    for user in api.user.get_users():
        if not store.get(portal, user.getId()).get("password_changed"):
            store.update(portal, user.getId(), password_changed=now)
