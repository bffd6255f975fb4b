"""A refused page or service: "log in" for anonymous visitors, a translated 403 for logged-in users.

Zope checks the right to see the published object at the end of traversal, before it makes the
user of the request's credentials the current user; when the check fails it raises
``Unauthorized`` and Plone's PAS asks to log in (a 401, or a redirect to the login form). A
member of agency A opening an object of agency B would be asked to log in again. The exception
views here answer such a user with 403 "Không có quyền truy cập" instead (JSON for the REST
API, a page otherwise); anonymous visitors still get the login (401 / the login form).

Nothing is said about the object: the page and the JSON answer are the same for every refused
object, and they are shown in the site's context, never in the refused object's.
"""

from AccessControl import getSecurityManager
from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.i18n import _
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component.hooks import getSite
from zope.i18n import translate

import logging

logger = logging.getLogger("dongthap.qlvb.security")

FORBIDDEN_TITLE = _("forbidden_title", default="Access denied")
FORBIDDEN_TEXT = _("forbidden_text", default="Your account may not open this page or object. If you need it "
                                             "for your work, ask the administrator of your agency.")


def _is_anonymous(user):
    return user is None or user.getUserName() == "Anonymous User"


def logged_in_user(request):
    """The user whose valid credentials (login cookie, Basic auth, token) the request carries, even
    when Zope refused them the published object (then the current user is still anonymous);
    None for an anonymous request or refused credentials (wrong password, locked account,
    second factor missing)."""
    user = getSecurityManager().getUser()
    if not _is_anonymous(user):
        return user
    site = getSite()
    acl = getattr(site, "acl_users", None)
    if acl is None or not hasattr(acl, "_extractUserIds"):
        return None
    try:
        plugins = acl._getOb("plugins")
        for user_id, login in acl._extractUserIds(request, plugins):
            found = acl._findUser(plugins, user_id, login, request=request)
            if found is not None:
                return found.__of__(acl)
    except Exception:  # noqa: BLE001 - an error page must answer; anonymous is the safe answer
        logger.exception("could not tell the user of a refused request")
    return None


def answer_forbidden(response):
    """Make the refusal a 403 that no later step (PAS's login challenge) turns into a 401."""
    response.setStatus(403, lock=1)
    # PAS challenges (login form, WWW-Authenticate) only when it has not yet: tell it it has.
    response._has_challenged = True


class UnauthorizedView(BrowserView):
    """``index.html`` of ``Unauthorized`` for the add-on's requests (not the REST API's, see
    :class:`dongthap.qlvb.restapi.errors.HttpErrorView`)."""

    template = ViewPageTemplateFile("templates/forbidden.pt")
    basic = ViewPageTemplateFile("templates/forbidden_basic.pt")

    def __call__(self):
        from plone.rest.interfaces import IAPIRequest

        if IAPIRequest.providedBy(self.request):
            from dongthap.qlvb.restapi.errors import HttpErrorView

            view = HttpErrorView(self.context, self.request)
            view.__parent__ = self.__parent__
            return view()
        user = logged_in_user(self.request)
        if user is None:
            return self._plone_answer()
        answer_forbidden(self.request.response)
        if _is_anonymous(getSecurityManager().getUser()):
            newSecurityManager(self.request, user)
        self.request.response.setHeader("Content-Type", "text/html; charset=utf-8")
        self.request.set("disable_border", True)
        self.request.set("disable_plone.leftcolumn", True)
        self.request.set("disable_plone.rightcolumn", True)
        self.title = translate(FORBIDDEN_TITLE, context=self.request)
        self.text = translate(FORBIDDEN_TEXT, context=self.request)
        site = getSite()
        self.home = site.absolute_url()
        # never the refused object: nothing of it is shown, and the layout's viewlets (logo,
        # navigation, search), which check their rights along the view's parents, are drawn
        # for the site the user may see, not for the refused object
        self.context = self.__parent__ = site
        try:
            return self.template()
        except Exception:  # noqa: BLE001 - the plain page still answers
            logger.exception("the access-denied page could not be drawn with the site's layout")
            return self.basic()

    def _plone_answer(self):
        """Plone's own answer to an anonymous visitor (PAS then asks to log in)."""
        from Products.CMFPlone.browser.exceptions import ExceptionView

        view = ExceptionView(self.context, self.request)
        view.__parent__ = self.__parent__
        view.index = ViewPageTemplateFile("templates/error_message.pt", _prefix=_plone_templates())
        return view()


def _plone_templates():
    import os
    import Products.CMFPlone.browser

    return os.path.join(os.path.dirname(Products.CMFPlone.browser.__file__), "templates")
