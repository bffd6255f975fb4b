"""The frame of every page: the system's name instead of Plone's logo, colophon and site actions.

The viewlets keep Plone's names and are registered for our browser layer, so they replace
Plone's own without a profile change (issue 15, item 7).
"""

from dongthap.qlvb.i18n import _
from plone.app.layout.viewlets.common import ViewletBase
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

SYSTEM_NAME = _("system_name", default="Document management and executive direction system")
PROVINCE = _("system_province", default="Đồng Tháp province")


class BrandViewlet(ViewletBase):
    """The system's name, linking to the home page (in place of the Plone logo)."""

    index = ViewPageTemplateFile("templates/brand.pt")
    name = SYSTEM_NAME
    province = PROVINCE


class FooterViewlet(ViewletBase):
    """One line: the system's name and the province (in place of the footer portlets)."""

    index = ViewPageTemplateFile("templates/footer.pt")
    name = SYSTEM_NAME
    province = PROVINCE


class NothingViewlet(ViewletBase):
    """Plone's colophon ("Powered by Plone") and site actions (Sitemap, Accessibility…): none."""

    def index(self):
        return ""


class WorkflowOnTheDocument:
    """Plone's generic status form (the workflow menu's "Advanced…"): our documents change state
    only through their own forms, with their own steps, so it opens the document page instead."""

    def __init__(self, context, request):
        self.context = context
        self.request = request

    def __call__(self):
        self.request.response.redirect(self.context.absolute_url())
        return ""
