"""Post-install and uninstall handlers of the GenericSetup profiles."""

from dongthap.qlvb.security import roles as R
from plone import api
from plone.base.interfaces import INonInstallable
from zope.interface import implementer


@implementer(INonInstallable)
class HiddenProfiles:
    """Hide the uninstall and demo profiles from the add-on control panel."""

    def getNonInstallableProfiles(self):
        return ["dongthap.qlvb:uninstall", "dongthap.qlvb:demo"]


def post_install(context):
    """The provincial administrators' group holds the only global staff role."""
    if api.group.get(groupname=R.PROVINCE_ADMIN_GROUP) is None:
        api.group.create(
            groupname=R.PROVINCE_ADMIN_GROUP,
            title="Quản trị hệ thống cấp tỉnh (Sở TT&TT)",
        )
    api.group.grant_roles(groupname=R.PROVINCE_ADMIN_GROUP, roles=[R.PROVINCE_ADMIN])
    portal = api.portal.get()
    portal.setLayout("trang-chu")
    from dongthap.qlvb.agencies.api import reserve_group_prefix

    reserve_group_prefix(portal)
    from dongthap.qlvb.accounts import plugin

    plugin.install(portal)
    from dongthap.qlvb.search import lexicon

    lexicon.install(api.portal.get_tool("portal_catalog"))


def uninstall(context):
    """Nothing is deleted on uninstall: documents and groups stay for the record."""
