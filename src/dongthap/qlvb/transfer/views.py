"""``@@xuat-nhap-du-lieu`` (site root, site administrators): the page of this capability.

Full export to a folder on the server, import of such a folder, migration of an
old register (dry run first) and the integrity check — the same functions as
``scripts/transfer.py``. Long runs belong to the command; the page is for a site
of demo size and for checking what an export folder holds.
"""

from App.config import getConfiguration
from dongthap.qlvb.i18n import _
from dongthap.qlvb.transfer import api as transfer
from dongthap.qlvb.transfer import integrity
from dongthap.qlvb.transfer import migration
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView

import datetime as dt
import json
import os


def transfer_root():
    """``<var>/transfer``: where the page writes and reads exports."""
    home = getConfiguration().clienthome
    return os.path.join(os.path.dirname(os.path.abspath(home)), "transfer")


#: The steps of an export or import as the page lists them (``progress`` of :mod:`.api`).
STEPS = {
    "members": _("transfer_step_members", default="Users and groups: ${users} users."),
    "content": _("transfer_step_content", default="Content: ${items} objects."),
    "audit_export": _("transfer_step_audit_export", default="Audit trail: ${records} records exported."),
    "audit_import": _("transfer_step_audit_import",
                      default="Audit trail: ${added} of ${records} records written."),
    "done": _("transfer_step_done", default="Finished."),
}


class TransferView(BrowserView):
    message = None
    error = None
    report = None
    migration_report = None

    def __init__(self, context, request):
        super().__init__(context, request)
        self._steps = {}

    def _progress(self, kind):
        def progress(step, figures):
            key = f"audit_{kind}" if step == "audit" else step
            if key in STEPS:
                self._steps[key] = figures
        return progress

    def steps(self):
        """What the last export or import did, step by step (translated)."""
        from zope.i18n import translate

        return [translate(_(STEPS[key], mapping={k: v for k, v in figures.items()
                                                 if isinstance(v, (int, float, str))}), context=self.request)
                for key, figures in self._steps.items()]

    def exports(self):
        root = transfer_root()
        if not os.path.isdir(root):
            return []
        rows = []
        for name in sorted(os.listdir(root), reverse=True):
            manifest = os.path.join(root, name, "manifest.json")
            if os.path.isfile(manifest):
                with open(manifest, encoding="utf-8") as src:
                    data = json.load(src)
                rows.append({"name": name, "items": data.get("items"), "users": data.get("users"),
                             "bytes": data.get("bytes"), "audit": data.get("audit", 0)})
        return rows

    def agencies(self):
        return [{"path": "/".join(b.getPath().split("/")[2:]), "title": b.Title}
                for b in api.content.find(portal_type="Agency", sort_on="sortable_title")]

    def __call__(self):
        raw = self.request.form
        # one text per field: a field sent twice (a list) or a file counts as empty
        form = {k: v.strip() if isinstance(v, str) else "" for k, v in raw.items()}
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            action = form.get("action")
            try:
                if action == "export":
                    name = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
                    manifest = transfer.export_site(api.portal.get(), os.path.join(transfer_root(), name),
                                                    progress=self._progress("export"))
                    self.message = _("transfer_exported", default="Exported ${items} objects to ${name}.",
                                     mapping={"items": manifest["items"], "name": name})
                elif action == "import":
                    name = os.path.basename(form.get("name") or "")
                    if not name or not os.path.isfile(os.path.join(transfer_root(), name, "manifest.json")):
                        raise migration.MigrationError(_(
                            "error_transfer_no_export",
                            default="\"${name}\" is not one of the exports listed here.",
                            mapping={"name": migration.short(name)}))
                    result = transfer.import_site(api.portal.get(), os.path.join(transfer_root(), name),
                                                  progress=self._progress("import"))
                    if result["already"]:
                        self.message = _("transfer_already_imported",
                                         default="${name} was already imported completely into this site: "
                                                 "nothing was changed.", mapping={"name": name})
                    else:
                        self.message = _("transfer_imported",
                                         default="Imported ${items} objects from ${name}.",
                                         mapping={"items": result["items"], "name": name})
                elif action == "integrity":
                    self.report = integrity.check_site(api.portal.get())
                elif action == "migrate":
                    agency = api.content.get(path="/" + (form.get("agency") or "").strip("/"))
                    if agency is None or getattr(agency, "portal_type", None) != "Agency":
                        raise migration.MigrationError(_("error_migration_agency",
                                                         default="Choose an agency."))
                    result = migration.migrate(
                        agency, form.get("register") or "", form.get("pdf_dir") or "",
                        kind=form.get("kind") or "", dry_run=not form.get("create"))
                    self.migration_report = migration.messages_text(result, self.request)
            except migration.MigrationError as problem:
                self.error = problem.message
                self.request.response.setStatus(400)
            except ValueError as problem:
                self.error = str(problem)
                self.request.response.setStatus(400)
        return self.index()
