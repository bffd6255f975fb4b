"""REST services of the agency archive (plone.restapi).

``GET  /<dossier>/@export``                           the dossier's package (ZIP, streamed)
``POST /<agency>/@import-dossier``                    a package as the raw body (``application/zip``)
                                                      → 201 and the new dossier
``GET  /<agency>/@archive-transfers``                 transfers (``?state=`` proposed, approved, accepted,
                                                      returned)
``POST /<agency>/@archive-transfers``                 ``{"dossiers": [uid…], "note"}``: prepare (the
                                                      submitter signs the handover record) → proposed
``GET  /<agency>/@archive-transfers/<id>``            one transfer; ``/list.pdf``, ``/handover.pdf``
``POST /<agency>/@archive-transfers/<id>/approve``    the agency's leader approves → approved
``POST /<agency>/@archive-transfers/<id>/accept``     the archive signs and takes the dossiers in
``POST /<agency>/@archive-transfers/<id>/return``     ``{"reasons"}``: sent back (the leader while
                                                      proposed, the archive once approved)
``GET  /<agency>/@archive-due``                       30-day warnings and overdue dossiers per unit
``POST|DELETE /<dossier>/@legal-hold``                ``{"reason"}``: set / release a legal hold
``GET  /<agency>/@archive-disposals``                 disposal lists; ``/<id>``, ``/<id>/record.pdf``
``POST /<agency>/@archive-disposals``                 ``{"dossiers": [uid…], "appraisal"}`` propose
``POST /<agency>/@archive-disposals/<id>/approve``    the leader approves
``POST /<agency>/@archive-disposals/<id>/execute``    the records manager destroys; record kept

Errors: ``{"error": {"type", "message" (Vietnamese), "errors": [...]}}`` with 400, 403,
404, 409 or 413 (package too large); a refused request stores nothing.
"""

from __future__ import annotations

import os
import tempfile

import transaction
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.interface import alsoProvides
from ZPublisher.Iterators import filestream_iterator

from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import error, error_body, guarded, translate_tree
from dongthap.qlvb.restapi.traverse import PathSegments

from . import api as archive
from .errors import ArchiveError, PackageTooLargeError

#: largest package accepted by @import-dossier
MAX_IMPORT = 4 * 1024 * 1024 * 1024


def _answer(request, value):
    return translate_tree(json_compatible(value), request)


def _refused(request, problem):
    transaction.doom()
    if isinstance(problem, ArchiveError):
        status = 413 if isinstance(problem, PackageTooLargeError) else 400
        return error(request, status, "PayloadTooLarge" if status == 413 else "BadRequest", problem.message)
    return error_body(request, problem)


def _pdf(request, named):
    request.response.setHeader("Content-Type", "application/pdf")
    request.response.setHeader("Content-Disposition", f'attachment; filename="{named.filename}"')
    request.response.setHeader("Content-Length", str(named.size))
    return bytes(named.data)


class ExportGet(Service):
    """The package of the dossier, written to a temporary file and streamed from it."""

    def render(self):
        self.check_permission()
        handle = tempfile.NamedTemporaryFile(prefix="qlvb-export-", suffix=".zip", delete=False)  # noqa: SIM115
        try:
            with handle:
                archive.export_dossier(self.context, handle)
            stream = filestream_iterator(handle.name, "rb")
        finally:
            os.unlink(handle.name)  # the open stream keeps the data until it is sent
        name = f"ho-so-{self.context.file_code}.zip"
        response = self.request.response
        response.setHeader("Content-Type", "application/zip")
        response.setHeader("Content-Disposition", f'attachment; filename="{name}"')
        response.setHeader("Content-Length", str(os.fstat(stream.fileno()).st_size))
        return stream


class ImportPost(Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        length = int(self.request.get_header("Content-Length") or 0)
        if length > MAX_IMPORT:
            return error(
                self.request,
                413,
                "PayloadTooLarge",
                _("error_archive_import_too_large", default="The package is too large."),
            )
        stdin = self.request.stdin
        try:
            archive.scan_package(self.context, stdin)  # malware is malware, whatever the body
        except archive.ArchiveRefused as problem:
            return _refused(self.request, problem)
        stdin.seek(0)
        if not length or not stdin.read(4).startswith(b"PK"):
            return error(
                self.request,
                400,
                "BadRequest",
                _(
                    "error_archive_import_body",
                    default="Send the dossier package (a ZIP file) as the request body.",
                ),
            )
        stdin.seek(0)
        try:
            dossier = archive.import_dossier(self.context, stdin)
        except (archive.ArchiveRefused, ArchiveError) as problem:
            return _refused(self.request, problem)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", dossier.absolute_url())
        from dongthap.qlvb.dossiers import api as dossiers

        return _answer(self.request, dossiers.dossier_info(dossier))


class _Traversing(PathSegments, Service):
    """``@service[/<id>[/<name>]]``: a list, one item, a file of it, or an action on it."""

    path = ""
    files = {}  # name → function(agency, id) returning a NamedBlobFile


class _ListGet(_Traversing):
    def render(self):
        self.check_permission()
        try:
            if len(self.segments) == 2 and self.segments[1] in self.files:
                return _pdf(self.request, self.files[self.segments[1]](self.context, self.segments[0]))
            return super().render()
        except archive.ArchiveRefused as problem:
            import json

            self.request.response.setHeader("Content-Type", "application/json")
            return json.dumps(_refused(self.request, problem))

    def reply(self):
        if self.segments:
            return _answer(self.request, self.one(self.context, self.segments[0]))
        items = self.items()
        url = f"{self.context.absolute_url()}/{self.path}"
        return _answer(self.request, {"@id": url, "items": items, "items_total": len(items)})


class _ActionPost(_Traversing):
    """POST without an id creates (201); POST ``<id>/<action>`` runs ``actions[action]``."""

    actions = {}

    def create(self, data):
        raise NotImplementedError

    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        if data is None:
            return body.bad_json(self.request)
        try:
            if not self.segments:
                result = self.create(data)
                self.request.response.setStatus(201)
            elif len(self.segments) == 2 and self.segments[1] in self.actions:
                result = self.actions[self.segments[1]](self.context, self.segments[0], data)
            else:
                return error(
                    self.request, 404, "NotFound", _("error_unknown_transition", default="Unknown action.")
                )
        except archive.ArchiveRefused as problem:
            return _refused(self.request, problem)
        return _answer(self.request, result)


class TransfersGet(_ListGet):
    path = "@archive-transfers"
    files = {
        "list.pdf": lambda agency, tid: archive.transfer_file(agency, tid, "list"),
        "handover.pdf": lambda agency, tid: archive.transfer_file(agency, tid, "handover"),
    }

    def one(self, agency, tid):
        return archive.transfer_info(agency, tid)

    def items(self):
        return archive.transfers(self.context, self.request.form.get("state") or None)


class TransfersPost(_ActionPost):
    actions = {
        "approve": lambda agency, tid, data: archive.approve_transfer(agency, tid),
        "accept": lambda agency, tid, data: archive.accept_transfer(agency, tid),
        "return": lambda agency, tid, data: archive.return_transfer(agency, tid, data.get("reasons")),
    }

    def create(self, data):
        note = body.free_text(data, "note", _("label_transfer_note", default="Note"))
        return archive.submit_transfer(self.context, data.get("dossiers"), note=note)


class DueGet(Service):
    def reply(self):
        try:
            return _answer(self.request, archive.transfer_due(self.context))
        except archive.ArchiveRefused as problem:
            return _refused(self.request, problem)


class LegalHoldPost(Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        if data is None:
            return body.bad_json(self.request)
        try:
            if self.request.method == "DELETE":
                archive.release_legal_hold(self.context, data.get("reason"))
                return _answer(self.request, {"legal_hold": None})
            hold = archive.set_legal_hold(self.context, data.get("reason"))
            return _answer(self.request, {"legal_hold": hold})
        except archive.ArchiveRefused as problem:
            return _refused(self.request, problem)


class DisposalsGet(_ListGet):
    path = "@archive-disposals"
    files = {"record.pdf": lambda agency, did: archive.disposal_file(agency, did)}

    def one(self, agency, did):
        return archive.disposal_info(agency, did)

    def items(self):
        return archive.disposals(self.context)


class DisposalsPost(_ActionPost):
    actions = {
        "approve": lambda agency, did, data: archive.approve_disposal(agency, did),
        "execute": lambda agency, did, data: archive.execute_disposal(agency, did),
    }

    def create(self, data):
        return archive.propose_disposal(self.context, data.get("dossiers"), data.get("appraisal"))
