"""Control panel "Chữ ký số": trust store, TSA, revocation policy, seal status."""

from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView

from dongthap.qlvb.i18n import _

from .. import reverify
from .. import settings as cfg


def _vn(iso):
    import datetime as dt

    from ..report import VN_TZ

    return dt.datetime.fromisoformat(iso).astimezone(VN_TZ).strftime("%d/%m/%Y %H:%M") if iso else ""

STATUS = {
    "found": _("signing_seal_found", default="found"),
    "missing": _("signing_seal_missing", default="missing"),
    "expired": _("signing_seal_expired", default="expired"),
    "error": _("signing_seal_error", default="cannot be opened"),
}


class SigningControlPanel(BrowserView):
    messages = ()
    errors = ()
    confirm = None

    def __call__(self):
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            self.handle()
        return self.index()

    def handle(self):
        form = self.request.form
        action = form.get("action")
        if action == "upload":
            upload = form.get("certificate")
            data = upload.read() if hasattr(upload, "read") else (upload or b"")
            try:
                added = cfg.add_trusted(data if isinstance(data, bytes) else data.encode())
            except ValueError:
                self.errors = [_("signing_error_not_ca_certificate",
                                 default="The file is not a CA certificate (PEM or DER).")]
                return
            self.messages = [_("signing_msg_trust_added",
                               default="${count} certificate(s) added to the trust store.",
                               mapping={"count": len(added)})]
        elif action == "remove":
            fp = form.get("fingerprint", "")
            if form.get("confirm") != "yes":
                self.confirm = fp
                return
            if cfg.remove_trusted(fp):
                self.messages = [_("signing_msg_trust_removed",
                                   default="The certificate was removed from the trust store.")]
        elif action == "settings":
            api.portal.set_registry_record(f"{cfg.PREFIX}.tsa_url",
                                           (form.get("tsa_url") or "").strip())
            policy = form.get("revocation")
            if policy in cfg.REVOCATION_POLICIES:
                api.portal.set_registry_record(f"{cfg.PREFIX}.revocation", policy)
            self.messages = [_("signing_msg_settings_saved", default="Settings saved.")]
        elif action == "reverify":
            job = reverify.request(userid=api.user.get_current().getId() or "")
            reverify.run_batch()  # a small site is done at once; the worker does the rest
            job = reverify.status() or job
            self.messages = [_("signing_msg_reverify_queued",
                               default="${total} document(s) will be verified again: ${done} done, "
                                       "the rest in the background.",
                               mapping={"total": job["total"], "done": job["done"]})]

    def reverify_status(self):
        """The last re-verification job, for display (dates dd/mm/yyyy hh:mm, Vietnam time)."""
        job = reverify.status()
        if not job:
            return None
        return dict(job, requested_at=_vn(job["requested_at"]), finished_at=_vn(job["finished_at"]))

    def trust_store(self):
        return [cfg.describe(c) for c in cfg.trust_store()]

    def tsa_url(self):
        return cfg.tsa_url() or ""

    def revocation(self):
        return cfg.revocation_policy()

    def seals(self):
        result = []
        for brain in api.content.find(portal_type="Agency", sort_on="sortable_title"):
            code = brain.qlvb_agency_code
            if not code:
                continue
            status = cfg.seal_status(code)
            cert = status["certificate"] or {}
            result.append({"title": brain.Title, "code": code, "status": status["status"],
                           "status_label": STATUS[status["status"]], "kind": status["kind"],
                           "subject": cert.get("common_name", ""),
                           "not_after": cert.get("not_after", "")[:10]})
        return result

    def keys_dir(self):
        return str(cfg.keys_dir())
