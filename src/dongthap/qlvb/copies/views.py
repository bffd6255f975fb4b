"""Pages of copies: ``@@lap-ban-sao`` (make a copy), ``@@xem-ban-sao`` (a copy), ``@@so-ban-sao`` (the
agency's copies), and the "Bản sao" box on the page of an incoming or outgoing document."""

from dongthap.qlvb.browser.documents import AgencyPage
from dongthap.qlvb.content.copies import AUTHORITIES
from dongthap.qlvb.content.copies import FORM_TITLES
from dongthap.qlvb.content.copies import MEDIA
from dongthap.qlvb.copies import api as copies
from dongthap.qlvb.documents.views import DocumentPage
from dongthap.qlvb.i18n import _
from dongthap.qlvb.outgoing.vocabularies import AUTHORITY_TITLES
from plone import api
from plone.app.layout.viewlets.common import ViewletBase
from plone.protect import CheckAuthenticator
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class MakeCopyForm(AgencyPage):
    """"Lập bản sao": the clerk copies a document of the agency (``?original=<uid>``)."""

    def __call__(self):
        self.errors, self.general = {}, []
        form = self.request.form
        self.values = {"copy_form": "sao_y", "copy_medium": "electronic", "signing_authority": "none",
                       "place": self.default_place(), "original": form.get("original", "")}
        if self.request.method == "POST" and form.get("form.submitted"):
            CheckAuthenticator(self.request)
            raw = {k: form.get(k) for k in copies.INPUT_FIELDS if k in form}
            self.values = dict(form)
            try:
                values = copies.clean(self.agency(), raw)
                result = copies.create(self.agency(), values, comment=form.get("comment", ""))
            except copies.CopyError as problem:
                self.general.append(self.t(problem.message))
                for e in problem.errors:
                    self.errors.setdefault(e["field"], self.t(e["message"]))
                return self.index()
            self.message(_("msg_copy_made", default="The copy was prepared; it waits for the signer."))
            return self.request.response.redirect(result["url"])
        return self.index()

    def default_place(self):
        """The place printed on the copy: the agency's province by default."""
        return getattr(self.agency(), "place", None) or "Đồng Tháp"

    def error(self, name):
        return self.errors.get(name)

    def original(self):
        doc = copies.find_original(self.agency(), self.values.get("original"))
        if doc is None:
            return None
        return {"uid": self.values.get("original"), "title": doc.title,
                "notation": copies.original_notation(doc), "url": doc.absolute_url(),
                "paper": copies.is_paper_original(doc), "pages": copies._pages(doc)}

    def forms(self):
        return [{"value": k, "title": self.t(v)} for k, v in FORM_TITLES.items()]

    def media(self):
        return [{"value": k, "title": self.t(v)} for k, v in MEDIA.items()]

    def authorities(self):
        return [{"value": k, "title": self.t(AUTHORITY_TITLES[k])} for k in AUTHORITIES]

    def signers(self):
        return [{"value": u, "title": copies.fullname(u)} for u in copies.leaders_of(self.agency())]


class CopyView(DocumentPage):
    """The copy: form, number, original, signer; ``sign`` and ``issue`` buttons."""

    error_class = copies.CopyError
    dashboard_page = "so-ban-sao"

    def act(self, action, form):
        copies.transition(self.context, action, form.get("comment", ""))
        if action == "issue":
            self.message(_("msg_copy_issued", default="The copy was issued with number ${notation}.",
                           mapping={"notation": self.context.notation()}))
        else:
            self.message(_("msg_action_done", default="Done: ${action}.",
                           mapping={"action": self.t(copies.TRANSITION_TITLES.get(action, action))}))

    def info(self):
        return copies.info(self.context)

    def fields(self):
        info = self.info()
        original = info["original"]
        rows = [
            (_("label_copy_form", default="Form of the copy"), info["form_words"]),
            (_("label_notation", default="Number and notation"), info["notation"]),
            (_("label_copy_date", default="Place and date"),
             f"{info['place']}, {info['date_display']}" if info["date_display"] else info["place"]),
            (_("label_copy_original", default="Original document"),
             " — ".join(x for x in (original["notation"], original["title"]) if x)),
            (_("label_copy_pages", default="Pages copied"),
             f"{info['page_from']}–{info['page_to']}" if info["page_from"] else ""),
            (_("label_copy_medium", default="Copy made on"), self.t(info["medium_title"])),
            (_("label_signer", default="Signer"),
             " ".join(x for x in (info["signing_authority"], info["signer_position"], info["signer_name"])
                      if x)),
            (_("label_copy_recipients", default="Sent to (nơi nhận)"), info["recipients"]),
        ]
        return [{"label": self.t(label), "value": value} for label, value in rows if value]

    def transitions(self):
        wftool = api.portal.get_tool("portal_workflow")
        return [{"id": t["id"], "title": self.t(copies.TRANSITION_TITLES.get(t["id"], t["id"]))}
                for t in wftool.getTransitionsFor(self.context)]

    def state_title(self):
        return self.t(copies.state_title(api.content.get_state(self.context)))


class CopiesList(AgencyPage):
    """``@@so-ban-sao``: the copies of the agency (its register of copies folder)."""

    def rows(self):
        from dongthap.qlvb.copies.desk import LISTS
        from dongthap.qlvb.copies.desk import waiting

        key = self.request.form.get("list")
        if key in LISTS:
            brains = waiting(self.context, api.user.get_current().getId(), key)
        else:
            brains = api.content.find(context=self.context, portal_type="DocumentCopy",
                                      sort_on="created", sort_order="descending")
        out = []
        for brain in brains:
            doc = brain.getObject()
            out.append({"url": brain.getURL(), "title": doc.title, "notation": doc.notation(),
                        "form": doc.form_words(),
                        "state": self.t(copies.state_title(brain.review_state))})
        return out


class CopiesViewlet(ViewletBase):
    """On an incoming or outgoing document: its copies, and "Lập bản sao" for the clerk."""

    index = ViewPageTemplateFile("templates/copies_viewlet.pt")

    def available(self):
        return self.context.portal_type in copies.ORIGINAL_TYPES

    def copies(self):
        return copies.copies_of(self.context, visible=True)

    def form_words(self, form):
        return copies.FORMS.get(form, ("", ""))[1]

    def copy_url(self, uid):
        brains = api.content.find(UID=uid)
        return brains[0].getURL() if brains else None

    def make_url(self):
        agency = copies.get_agency(self.context)
        if agency is None or not api.user.has_permission(copies.ADD_PERMISSION, obj=agency):
            return None
        state = api.content.get_state(self.context, default=None)
        if state not in copies.ORIGINAL_STATES.get(self.context.portal_type, ()):
            return None
        return f"{agency.absolute_url()}/@@lap-ban-sao?original={api.content.get_uuid(self.context)}"
