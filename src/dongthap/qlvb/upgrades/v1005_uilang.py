"""Issue 15, items 7 and 8: Vietnam time and language, the add-on's stylesheet, no search RSS."""

from plone import api
from plone.base.interfaces import IBundleRegistry
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

TIMEZONE = "Asia/Ho_Chi_Minh"
BUNDLE = "plone.bundles/dongthap-qlvb"
SEARCH_RSS = "plone.base.interfaces.syndication.ISiteSyndicationSettings.search_rss_enabled"


def vietnamese_frame(context=None):
    """Portal time zone and language Vietnamese; the stylesheet bundle; search results without RSS;
    no "URL Management" action."""
    registry = getUtility(IRegistry)
    registry["plone.portal_timezone"] = TIMEZONE
    registry["plone.available_timezones"] = [TIMEZONE]
    registry["plone.default_language"] = "vi"
    languages = list(registry["plone.available_languages"] or [])
    registry["plone.available_languages"] = ["vi", *[code for code in languages if code != "vi"]]
    registry.registerInterface(IBundleRegistry, prefix=BUNDLE)
    bundle = registry.forInterface(IBundleRegistry, prefix=BUNDLE, check=False)
    bundle.enabled = True
    bundle.csscompilation = "++plone++dongthap.qlvb/qlvb.css"
    bundle.jscompilation = None
    bundle.depends = "plone"
    bundle.load_async = False
    bundle.load_defer = False
    if SEARCH_RSS in registry.records:
        registry[SEARCH_RSS] = False
    actions = api.portal.get_tool("portal_actions")
    for category in ("object", "object_buttons"):
        redirection = getattr(getattr(actions, category, None), "redirection", None)
        if redirection is not None:
            redirection.visible = False
