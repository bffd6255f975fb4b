""""Ủy quyền" (``<agency>/@@uy-quyen``): a leader delegates, lists and revokes (with a confirmation
page); a delegate sees what he received and the documents waiting for him under it."""

from __future__ import annotations

from dongthap.qlvb.agencies.api import list_staff
from dongthap.qlvb.delegation import api as D
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import run_in_transaction
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.i18n import translate

FIELDS = ("delegate", "start", "end", "scope", "authority", "reason", "delegator_position",
          "delegate_position")


class DelegationsView(BrowserView):
    template = ViewPageTemplateFile("templates/delegations.pt")
    confirm_template = ViewPageTemplateFile("templates/revoke.pt")

    def t(self, msg):
        return translate(msg, context=self.request)

    def url(self):
        return f"{self.context.absolute_url()}/@@uy-quyen"

    def __call__(self):
        form = self.request.form
        self.errors = {}
        self.message = ""
        self.values = {"scope": "both", "authority": "KT",
                       "start": D.fmt_date(D.today()), "end": ""}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            if form.get("revoke") and form.get("confirmed"):
                return self._revoke(form["revoke"], form.get("revoke_reason") or "")
            if form.get("create"):
                done = self._create(form)
                if done:
                    return done
        elif form.get("thu-hoi"):
            self.record = D.get(self.context, form["thu-hoi"])
            if self.record is None or self.record["delegator"] != D.actor():
                api.portal.show_message(self.t(_("error_delegation_not_found",
                                                 default="There is no such delegation.")),
                                        request=self.request, type="error")
                return self.request.response.redirect(self.url())
            self.record = D.info(self.record)
            return self.confirm_template()
        self.data = D.listing(self.context)
        self.waiting = D.waiting_work(self.context)
        return self.template()

    def _create(self, form):
        data = {k: form.get(k).strip() if isinstance(form.get(k), str) else form.get(k) for k in FIELDS}
        self.values = data
        try:
            run_in_transaction(lambda: D.create(self.context, data), note="qlvb: delegation")
        except QlvbError as error:
            self.message = self.t(error.message)
            self.errors = {e["field"]: self.t(e["message"]) for e in error.errors}
            if error.status == 403:
                self.request.response.setStatus(403)
            else:
                self.request.response.setStatus(400)
            return None
        api.portal.show_message(self.t(_("msg_delegation_created", default="The delegation is saved.")),
                                request=self.request)
        return self.request.response.redirect(self.url())

    def _revoke(self, delegation_id, reason):
        try:
            run_in_transaction(lambda: D.revoke(self.context, delegation_id, reason),
                               note="qlvb: revoke delegation")
        except QlvbError as error:
            api.portal.show_message(self.t(error.message), request=self.request, type="error")
        else:
            api.portal.show_message(self.t(_("msg_delegation_revoked", default="The delegation is revoked.")),
                                    request=self.request)
        return self.request.response.redirect(self.url())

    def staff(self):
        me = D.actor()
        return [s for s in list_staff(agency=self.context) if s["userid"] != me]

    def scopes(self):
        return [{"value": k, "title": self.t(v)} for k, v in D.SCOPE_TITLES.items()]

    def authorities(self):
        return [{"value": k, "title": self.t(v)} for k, v in D.AUTHORITY_TITLES.items()]
