"""REST services of the exchange (plone.restapi).

``GET  /<document>/@exchange-status``   recipients' transport + business statuses; source of a
                                         received document; statuses we answered (View)
``GET  /<document>/@edxml``              the edXML package (application/xml): the received one,
                                         or the one queued for ``?recipient=<OrganId>`` (default:
                                         the first recipient), or — for a document never
                                         queued — a fresh build for ``?recipient=`` (View)
``POST /<agency>/@edxml-import``         import one package (body: the XML with Content-Type
                                         application/xml, or JSON ``{"data": base64}``); the same
                                         path as the inbox: scan, verify, dedup, create (clerks
                                         and administrators: "dongthap.qlvb: Import exchange package")
``POST /<site>/@exchange-retry``         queue a failed entry again ``{"entry_id"}`` (Manage exchange)
"""

from __future__ import annotations

import base64
import binascii
import json

import transaction
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.numbering import run_in_transaction
from dongthap.qlvb.numbering.retry import RetriesExhausted
from dongthap.qlvb.restapi.errors import error
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from Products.Five.browser import BrowserView
from zope.interface import alsoProvides

from . import api as exchange_api
from .authority import FORBIDDEN
from .engine import RetryLater
from .inbox import Inbox
from .outbox import package_from_document
from .settings import max_package_mb, max_package_size
from .queue import KIND_DOCUMENT



class ExchangeStatusGet(Service):
    def reply(self):
        return exchange_api.exchange_status(self.context)


class EdxmlGet(Service):
    def render(self):
        self.check_permission()
        data = self._package()
        self.request.response.setHeader("Content-Type", "application/xml; charset=utf-8")
        self.request.response.setHeader(
            "Content-Disposition", f'attachment; filename="{self.context.getId()}.edxml"')
        return data

    def _package(self):
        blob = getattr(self.context, "qlvb_exchange_package", None)
        if blob is not None:
            with blob.open("r") as fh:
                return fh.read()
        from .storage import get_store

        recipient = (self.request.form.get("recipient") or "").strip()
        store = get_store(create=False)
        uid = api.content.get_uuid(self.context)
        entries = [e for e in (store.entries_of(document_uid=uid) if store else ())
                   if e.kind == KIND_DOCUMENT and (not recipient or e.recipient == recipient)]
        if entries:
            entries.sort(key=lambda e: e.queued_ns)
            return entries[0].package
        if not recipient:
            raise QlvbError(_("error_no_package", default="This document has no exchange package."),
                            status=404)
        from . import edxml

        pkg = package_from_document(self.context, recipients=[{"organ_id": recipient}])
        pkg.message_header.to = [edxml.Organization(recipient)]
        try:
            return edxml.build_document(pkg)
        except edxml.InvalidPackageError as exc:
            raise QlvbError(_(
                "error_exchange_invalid_package", default="The exchange package cannot be built: ${problems}",
                mapping={"problems": "; ".join(p.message_vi for p in getattr(exc, "problems", ()))})) from exc


class EdxmlImportPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = self._body()
        site = api.portal.get()
        from .worker import system_user

        # Parse, scan and verify (seconds for a large package) once, before the transaction;
        # then create in a small transaction, retried on conflicts with concurrent writers.
        inbox = Inbox(site, source="import", import_agency=self.context)
        try:
            with system_user(site):
                inbox.prepare(data)
                outcome = run_in_transaction(lambda: inbox.process(data),
                                             note="qlvb: edXML import")
        except RetriesExhausted:
            raise QlvbError(_(
                "error_import_busy",
                default="The system is busy; nothing was imported, please try again in a moment."),
                status=503) from None
        except RetryLater:
            raise QlvbError(_(
                "error_import_not_scanned",
                default="The attachments could not be scanned for viruses now; please try again later."),
                status=503) from None
        if outcome.result == FORBIDDEN:
            self._forbidden(outcome)
        if outcome.result == "refused":
            transaction.commit()  # keep the refusal record and the 02 answer: answered, not raised
            return dict(error(self.request, 400, "BadRequest", outcome.reason), result=outcome.result,
                        warnings=outcome.warnings)
        documents = []
        for path in outcome.documents:
            obj = site.unrestrictedTraverse(path)
            documents.append({"@id": obj.absolute_url(), "uid": api.content.get_uuid(obj),
                              "state": api.content.get_state(obj)})
        self.request.response.setStatus(201 if documents else 200)
        return {"result": outcome.result, "reason": outcome.reason, "documents": documents,
                "warnings": outcome.warnings}

    def _forbidden(self, outcome):
        """A forged status/recall (see ``authority``): 403, the refusal and the incident are kept."""
        transaction.commit()
        raise QlvbError(_(
            "error_import_forged",
            default="This package changes a document that its sender may not change: ${reason} "
                    "It was refused and recorded as a security incident.",
            mapping={"reason": outcome.reason}), status=403)

    def _body(self):
        request = self.request
        content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
        raw = request.get("BODY") or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        # One limit, on the package itself (QLVB_EXCHANGE_MAX_PACKAGE_MB); a JSON body carries it in
        # base64, so its body may be 4/3 of it (plus the JSON around).
        limit = max_package_size()
        envelope = limit * 4 // 3 + 64 * 1024 if content_type == "application/json" else limit
        if len(raw) > envelope:
            self._too_large()
        bad_body = QlvbError(_(
            "error_import_body", default="Send the package as XML or as JSON {\"data\": base64}."))
        if content_type == "application/json":
            try:
                body = json.loads(raw or b"{}")
                raw = base64.b64decode(body.get("data") or "", validate=False)
            except (ValueError, AttributeError, binascii.Error):
                raise bad_body from None
            if len(raw) > limit:
                self._too_large()
        elif not raw:
            raise bad_body
        return raw

    def _too_large(self):
        raise QlvbError(_(
            "error_import_too_large_limit",
            default="The package is larger than the limit of ${limit} MiB (the edXML package as sent, "
                    "attachments included in base64).",
            mapping={"limit": max_package_mb()}), status=413)


class RetryPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            body = json.loads(self.request.get("BODY") or b"{}")
            return exchange_api.retry(body["entry_id"])
        except (ValueError, KeyError, TypeError):
            raise QlvbError(_("error_retry_entry", default="Unknown exchange entry.")) from None


class WorkerTick(BrowserView):
    """``POST @@exchange-worker-tick``: one worker round, for the tick mode of the worker."""

    def __call__(self):
        from .worker import TOKEN_HEADER, run_once, token_matches

        response = self.request.response
        if self.request.method != "POST" or not token_matches(self.request.getHeader(TOKEN_HEADER) or ""):
            response.setStatus(403)
            return ""
        alsoProvides(self.request, IDisableCSRFProtection)
        response.setHeader("Content-Type", "application/json")
        return json.dumps(run_once(api.portal.get()), default=str)
