"""Upgrade step 1005 (accounts): an existing site gets the PAS plugin first among authenticators, the
Vietnamese password policy instead of Plone's English one, the settings and the control panel."""

from dongthap.qlvb.accounts import plugin, store
from dongthap.qlvb.accounts.settings import PREFIX
from dongthap.qlvb.upgrades.v1005_accounts2 import install_account_security
from plone import api
from plone.registry.interfaces import IRegistry
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin, IValidationPlugin
from zope.component import getUtility


def _ids(pas, iface):
    return [pid for pid, _p in pas.plugins.listPlugins(iface)]


def test_upgrade_installs_the_account_security(demo):
    pas = demo.acl_users
    # the 1004 state: no plugin, Plone's password policy, no records, no configlet
    for iface in (IAuthenticationPlugin, IValidationPlugin):
        pas.plugins.deactivatePlugin(iface, plugin.PLUGIN_ID)
    pas._delObject(plugin.PLUGIN_ID)
    pas.plugins.activatePlugin(IValidationPlugin, "password_policy")
    registry = getUtility(IRegistry)
    for name in [n for n in registry.records.keys() if n.startswith(PREFIX + ".")]:
        del registry.records[name]
    api.portal.get_tool("portal_controlpanel").unregisterConfiglet("qlvb-accounts")
    from zope.annotation.interfaces import IAnnotations

    IAnnotations(demo).pop(store.KEY, None)

    install_account_security(None)

    assert _ids(pas, IAuthenticationPlugin)[0] == plugin.PLUGIN_ID
    assert _ids(pas, IValidationPlugin) == [plugin.PLUGIN_ID]
    assert registry[f"{PREFIX}.max_failures"] == 5
    assert registry[f"{PREFIX}.min_length"] == 10
    assert "qlvb-accounts" in [c.getId() for c in api.portal.get_tool("portal_controlpanel").listActions()]
    assert store.get(demo, "stttt.chuyenvien")["password_changed"] > 0
    install_account_security(None)  # twice: nothing changes
    assert _ids(pas, IAuthenticationPlugin).count(plugin.PLUGIN_ID) == 1


def test_1006_the_site_wide_switch_becomes_the_default_mode(demo):
    from dongthap.qlvb.upgrades import v1006_two_factor
    from plone.registry import field, Record

    registry = getUtility(IRegistry)
    # a fresh install: the default mode, no switch
    assert registry[v1006_two_factor.NEW] == "optional" and v1006_two_factor.OLD not in registry.records
    for before, after in ((True, "leaders"), (False, "optional")):
        # the 1005 state: the yes/no switch, no mode
        del registry.records[v1006_two_factor.NEW]
        registry.records[v1006_two_factor.OLD] = Record(field.Bool(title="old"), before)
        v1006_two_factor.two_factor_per_agency(None)
        assert registry[v1006_two_factor.NEW] == after and v1006_two_factor.OLD not in registry.records
        assert registry[f"{PREFIX}.max_failures"] == 5  # the other records keep their values
    registry[f"{PREFIX}.max_failures"] = 7
    v1006_two_factor.two_factor_per_agency(None)  # twice: nothing changes
    assert registry[v1006_two_factor.NEW] == "optional" and registry[f"{PREFIX}.max_failures"] == 7
