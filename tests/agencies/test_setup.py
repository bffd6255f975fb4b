"""The add-on installs, registers its types, roles and workflow, and uninstalls cleanly."""

from dongthap.qlvb.security import roles as R
from plone import api


def test_profile_installed(site):
    from plone.base.utils import get_installer

    assert get_installer(site).is_product_installed("dongthap.qlvb")


def test_browserlayer_registered(site):
    from dongthap.qlvb.interfaces import IQlvbLayer
    from plone.browserlayer import utils

    assert IQlvbLayer in utils.registered_layers()


def test_types_registered(site):
    types = api.portal.get_tool("portal_types")
    assert {"Agency", "Department"} <= set(types["Agency"].allowed_content_types)
    assert "Document" not in types["Agency"].allowed_content_types
    assert not types["Department"].global_allow


def test_roles_exist(site):
    valid = site.validRoles()
    for role in (*R.AGENCY_ROLES, R.PROVINCE_ADMIN):
        assert role in valid


def test_workflow_bound(site):
    wf = api.portal.get_tool("portal_workflow")
    assert wf.getChainForPortalType("Agency") == ("qlvb_agency_workflow",)
    assert wf.getChainForPortalType("Department") == ("qlvb_agency_workflow",)


def test_site_is_vietnamese(site):
    assert api.portal.get_registry_record("plone.default_language") == "vi"
    assert api.portal.get_registry_record("plone.navigation_depth") == 1


def test_province_admin_group_has_global_role(site):
    group = api.group.get(groupname=R.PROVINCE_ADMIN_GROUP)
    assert R.PROVINCE_ADMIN in group.getRoles()


def test_uninstall_removes_layer(site):
    from dongthap.qlvb.interfaces import IQlvbLayer
    from plone.browserlayer import utils
    from plone.base.utils import get_installer

    with api.env.adopt_roles(["Manager"]):
        get_installer(site).uninstall_product("dongthap.qlvb")
    assert IQlvbLayer not in utils.registered_layers()
