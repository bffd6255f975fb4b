"""What the pages of one document, incoming or outgoing, share (Classic UI)."""

from dongthap.qlvb.browser.documents import AgencyPage
from dongthap.qlvb.browser.documents import is_pdf_file
from plone.protect import CheckAuthenticator


class DocumentPage(AgencyPage):
    """The page of a document: shows it; a POST with ``form.action`` runs that action, tells how it
    went as status messages and redirects (:meth:`act`, :meth:`after_action`)."""

    #: the error its actions raise (their message is shown; the page stays usable)
    error_class = Exception
    #: show each of the error's ``errors`` below its message
    show_error_details = False

    def __call__(self):
        if self.request.method == "POST" and self.request.form.get("form.action"):
            CheckAuthenticator(self.request)
            form = self.request.form
            try:
                self.act(form["form.action"], form)
            except self.error_class as problem:
                self.message(problem.message, "error")
                for err in problem.errors if self.show_error_details else ():
                    self.message(err["message"], "error")
            return self.after_action()
        return self.index()

    def act(self, action, form):
        raise NotImplementedError

    def after_action(self):
        self.request.response.redirect(self.context.absolute_url())
        return ""

    def file_url(self):
        """The main file's address, or None when the document has none: a PDF opens in the browser
        (``@@display-file``), any other file (a .docx draft) is downloaded."""
        named = getattr(self.context, "file", None)
        if named is None:
            return None
        view = "display-file" if is_pdf_file(named) else "download"
        return f"{self.context.absolute_url()}/@@{view}/file"


class DashboardPage(AgencyPage):
    """The work lists of an agency as tabs: :attr:`TABS` (key, title) in their order."""

    TABS = ()

    def tabs(self, lists):
        """``lists`` (key → rows) as the tabs the template shows, those the user has in order."""
        return [{"key": key, "title": self.t(title), "rows": lists[key]}
                for key, title in self.TABS if key in lists]

    def base_url(self):
        return self.agency().absolute_url()
