"""Classic UI pages of the agency archive (Vietnamese).

``<agency>/@@luu-tru``    the dossiers due for transfer (30-day warnings) and the overdue ones
                          per unit, the transfers with their signed handover records, and the
                          disposal lists. The unit prepares a transfer, the leader approves or
                          returns it, the archive's records manager accepts or returns it; the
                          leader approves a disposal list (POST with the CSRF token).
``<agency>/@@nhap-ho-so`` import a dossier package (ZIP, multipart upload).

Everything goes through :mod:`dongthap.qlvb.archive.api`.
"""

from __future__ import annotations

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate

from dongthap.qlvb.i18n import _

from . import api as archive
from .errors import ArchiveError
from .services import MAX_IMPORT

DISPOSAL_STATE_TITLES = {
    "proposed": _("archive_disposal_proposed", default="Awaiting the leader's approval"),
    "approved": _("archive_disposal_approved", default="Approved"),
    "executed": _("archive_disposal_executed", default="Destroyed"),
}


def _date(iso):
    if not iso:
        return ""
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"


class ArchiveView(BrowserView):
    message = None
    problems = ()
    done = None

    def __call__(self):
        form = self.request.form
        action = form.get("action")
        posted = form.get("transfer") or form.get("disposal") or action == "submit"
        if self.request.method == "POST" and posted:
            CheckAuthenticator(self.request)
            try:
                if action == "submit":
                    uids = form.get("dossiers") or []
                    uids = [uids] if isinstance(uids, str) else list(uids)
                    done = archive.submit_transfer(self.context, uids, note=form.get("note") or "")
                    self.done = _(
                        "archive_submitted",
                        default="Transfer list ${id} prepared and the handover record signed. "
                        "It awaits the leader's approval, then the archive's acceptance.",
                        mapping={"id": done["id"]},
                    )
                elif action == "approve" and form.get("disposal"):
                    archive.approve_disposal(self.context, form["disposal"])
                    self.done = _("archive_disposal_approved_msg", default="Disposal list ${id} approved.",
                                  mapping={"id": form["disposal"]})
                elif action == "approve":
                    archive.approve_transfer(self.context, form["transfer"])
                    self.done = _(
                        "archive_transfer_approved_msg",
                        default="Transfer ${id} approved: the archive may now accept it.",
                        mapping={"id": form["transfer"]},
                    )
                elif action == "accept":
                    archive.accept_transfer(self.context, form["transfer"])
                    self.done = _("archive_transfer_accepted_msg", default="Transfer ${id} accepted.",
                                  mapping={"id": form["transfer"]})
                elif action == "return":
                    archive.return_transfer(self.context, form["transfer"], form.get("reasons"))
                    self.done = _("archive_transfer_returned_msg", default="Transfer ${id} returned.",
                                  mapping={"id": form["transfer"]})
            except archive.ArchiveRefused as problem:
                import transaction

                transaction.doom()
                self.message = problem.message
                self.problems = [e["message"] for e in problem.errors]
        return self.index()

    def closed_dossiers(self):
        """Closed dossiers the user may hand over (his own; every one for the records manager)."""
        from dongthap.qlvb.dossiers import api as dossiers

        if not api.user.has_permission(archive.SUBMIT_TRANSFER, obj=self.context):
            return []
        manager = api.user.has_permission(dossiers.MANAGE_DOSSIERS, obj=self.context)
        userid = api.user.get_current().getId()
        return [
            {"uid": b.UID, "file_code": b.qlvb_file_code, "title": b.Title}
            for b in dossiers.agency_dossiers(self.context, state="closed")
            if manager or b.qlvb_dossier_responsible == userid
        ]

    def can_manage(self):
        return api.user.has_permission(archive.MANAGE_ARCHIVE, obj=self.context)

    def can_approve_transfer(self):
        return api.user.has_permission(archive.APPROVE_TRANSFER, obj=self.context)

    def can_approve_disposal(self):
        return api.user.has_permission(archive.APPROVE_DISPOSAL, obj=self.context)

    def can_import(self):
        return api.user.has_permission(archive.IMPORT, obj=self.context)

    def state_filter(self):
        state = self.request.form.get("state")
        return state if state in archive.TRANSFER_STATE_TITLES else None

    def due(self):
        data = archive.transfer_due(self.context)
        for row in data["warnings"]:
            row["due_text"] = _date(row["due"])
        units = []
        for unit, rows in data["overdue_by_unit"].items():
            for row in rows:
                row["due_text"] = _date(row["due"])
            units.append({"unit": unit or "—", "rows": rows})
        return {"warnings": data["warnings"], "units": units}

    def transfers(self):
        items = archive.transfers(self.context, self.state_filter())
        for t in items:
            t["state_title"] = translate(t["state_title"], context=self.request)
            t["submitted_text"] = _date(t["submitted_at"])
            t["approved_text"] = _date(t.get("approved_at"))
        return items

    def disposals(self):
        if not (self.can_manage() or api.user.has_permission(archive.APPROVE_DISPOSAL, obj=self.context)):
            return []
        items = archive.disposals(self.context)
        for d in items:
            title = DISPOSAL_STATE_TITLES.get(d["state"], d["state"])
            d["state_title"] = translate(title, context=self.request)
        return items


class ImportForm(BrowserView):
    """``@@nhap-ho-so``: the records manager uploads a dossier package (the ZIP of ``@export``)."""

    message = None
    problems = ()

    def __call__(self):
        form = self.request.form
        if self.request.method == "POST" and form.get("submitted"):
            CheckAuthenticator(self.request)
            upload = form.get("package")
            if not getattr(upload, "filename", None):
                return self._fail(_("error_archive_import_no_file",
                                    default="Choose the dossier package (a ZIP file)."))
            upload.seek(0, 2)
            if upload.tell() > MAX_IMPORT:
                return self._fail(_("error_archive_import_too_large", default="The package is too large."))
            upload.seek(0)
            try:
                archive.scan_package(self.context, upload)  # malware is malware, whatever the file
            except archive.ArchiveRefused as problem:
                return self._fail(problem.message)
            if upload.read(4)[:2] != b"PK":
                return self._fail(_("error_archive_import_not_zip",
                                    default="The file is not a dossier package: a ZIP file is expected."))
            upload.seek(0)
            try:
                dossier = archive.import_dossier(self.context, upload)
            except (archive.ArchiveRefused, ArchiveError) as problem:
                errors = getattr(problem, "errors", None) or ()
                return self._fail(problem.message, [e["message"] for e in errors])
            done = _("msg_dossier_imported", default="Dossier ${code} imported with ${count} document(s).",
                     mapping={"code": dossier.file_code, "count": dossier.doc_total or 0})
            api.portal.show_message(translate(done, context=self.request), request=self.request)
            self.request.response.redirect(dossier.absolute_url())
            return ""
        return self.index()

    def _fail(self, message, problems=()):
        import transaction

        transaction.doom()
        self.message = message
        self.problems = list(problems)
        self.request.response.setStatus(400)
        return self.index()
