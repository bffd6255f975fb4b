"""Classic UI page of the agency archive (Vietnamese): ``<agency>/@@luu-tru``.

Shows the dossiers due for transfer (30-day warnings) and the overdue ones per
unit, the transfers with their signed handover records, and the disposal lists.
A records manager accepts or returns a transfer from here (POST with the CSRF
token; everything goes through :mod:`dongthap.qlvb.archive.api`).
"""

from __future__ import annotations

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView

from dongthap.qlvb.i18n import _

from . import api as archive

STATE_TITLES = {
    "submitted": "Chờ lưu trữ tiếp nhận",
    "accepted": "Đã tiếp nhận",
    "returned": "Đã trả lại",
    "proposed": "Đã đề nghị",
    "approved": "Đã phê duyệt",
    "executed": "Đã hủy",
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
        if self.request.method == "POST" and (form.get("transfer") or form.get("action") == "submit"):
            CheckAuthenticator(self.request)
            try:
                if form.get("action") == "submit":
                    uids = form.get("dossiers") or []
                    uids = [uids] if isinstance(uids, str) else list(uids)
                    done = archive.submit_transfer(self.context, uids, note=form.get("note") or "")
                    self.done = _(
                        "archive_submitted",
                        default="Handed over to the archive: ${id}. The archive will sign and accept it.",
                        mapping={"id": done["id"]},
                    )
                elif form.get("action") == "accept":
                    archive.accept_transfer(self.context, form["transfer"])
                elif form.get("action") == "return":
                    archive.return_transfer(self.context, form["transfer"], form.get("reasons"))
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
        items = archive.transfers(self.context)
        for t in items:
            t["state_title"] = STATE_TITLES.get(t["state"], t["state"])
            t["submitted_text"] = _date(t["submitted_at"])
        return items

    def disposals(self):
        if not (self.can_manage() or api.user.has_permission(archive.APPROVE_DISPOSAL, obj=self.context)):
            return []
        items = archive.disposals(self.context)
        for d in items:
            d["state_title"] = STATE_TITLES.get(d["state"], d["state"])
        return items
