"""Marker interfaces of the add-on."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IQlvbLayer(IDefaultBrowserLayer):
    """Browser layer installed with the ``dongthap.qlvb:default`` profile.

    Every view, viewlet and REST service of the add-on is registered for it,
    so that nothing of ours is reachable on a site without the profile.
    """
