"""The agency's incident-response scenarios (kịch bản ứng phó sự cố): one rich text per agency.

Stored in an annotation of the agency (small: one text); read by whoever may see
the agency's incidents, edited by who handles them.  The HTML is cleaned by
Plone's ``safe_html`` transform before it is stored.
"""

from __future__ import annotations

from persistent.mapping import PersistentMapping
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.annotation.interfaces import IAnnotations

from dongthap.qlvb.audit.log import log, now_iso
from dongthap.qlvb.i18n import _

KEY = "dongthap.qlvb.audit.scenarios"
HANDLE_PERMISSION = "dongthap.qlvb: Manage security incidents"
MAX_LENGTH = 200_000


def get_scenarios(agency) -> dict:
    return dict(IAnnotations(agency).get(KEY) or {})


def set_scenarios(agency, html: str, userid: str) -> dict:
    transforms = api.portal.get_tool("portal_transforms")
    clean = transforms.convertTo("text/x-html-safe", html, mimetype="text/html")
    text = clean.getData() if clean is not None else ""
    annotations = IAnnotations(agency)
    stored = annotations.get(KEY)
    if stored is None:
        stored = annotations[KEY] = PersistentMapping()
    stored.update(text=text, modified=now_iso(), by=userid)
    return dict(stored)


class ScenariosView(BrowserView):
    """``kich-ban-ung-pho``: the scenarios of the agency; an edit form for who handles incidents."""

    index = ViewPageTemplateFile("templates/scenarios.pt")

    def __call__(self):
        self.error = None
        if self.request.method == "POST":
            self.save()
        return self.index()

    def can_edit(self):
        return api.user.has_permission(HANDLE_PERMISSION, obj=self.context)

    def scenarios(self):
        return get_scenarios(self.context)

    def modified(self):
        from dongthap.qlvb.audit.api import local_time

        stored = self.scenarios()
        return local_time({"at": stored["modified"]}) if stored.get("modified") else ""

    def save(self):
        from plone.protect import CheckAuthenticator
        from zExceptions import Unauthorized

        CheckAuthenticator(self.request)
        if not self.can_edit():
            raise Unauthorized("edit scenarios")
        text = self.request.form.get("text") or ""
        if len(text) > MAX_LENGTH:
            self.error = _("error_scenarios_too_long", default="The text is too long.")
            self.request.response.setStatus(413)
            return
        set_scenarios(self.context, text, api.user.get_current().getId())
        log("scenarios_changed", self.context)
        api.portal.show_message(_("msg_scenarios_saved", default="The scenarios were saved."), self.request)
