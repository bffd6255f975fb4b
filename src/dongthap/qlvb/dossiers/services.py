"""REST services of dossiers and records schedules (plone.restapi).

``GET  /<agency>/@dossiers``                  dossiers the caller may see (``?state=``,
                                             ``department=``, ``year=``, ``mine=1``,
                                             ``fileable=1``, ``unfiled=1`` lists the agency's
                                             documents in no dossier instead)
``POST /<agency>/@dossiers``                  open a dossier (``year`` optional, default this year)
``GET  /<dossier>/@dossier``                  the dossier with its documents (ordinals) and log
``GET|PATCH /<dossier>``                      plone.restapi as usual (checks: ``DossierInvariants``)
``POST /<dossier>/@dossier-workflow/<id>``    ``close`` / ``reopen`` (``reason``); ``transfer`` is
                                             refused (409): only through ``@archive-transfers``
``POST|DELETE /<dossier>/@file-documents``    ``{"documents": [uid, …]}`` file / take out; POST
                                             answers ``filed``: [{uid, ordinal}] in the order sent
``GET  /<document>/@dossiers``                the dossiers that hold a document
``GET  /<agency>/@records-schedule/<year>``   the schedule (``?format=pdf|xlsx`` prints it)
``PUT  /<agency>/@records-schedule/<year>``   ``{"rows": [...]}`` saves the draft
``POST /<agency>/@records-schedule/<year>/approve``  the leader approves
``POST /<agency>/@records-schedule/<year>/copy``     copy forward to year + 1 as a draft

Errors: ``{"error": {"type", "message" (Vietnamese), "errors": [{"field", "message"}]}}``;
a refused request stores nothing.
"""

from dongthap.qlvb.dossiers import api as dossiers
from dongthap.qlvb.dossiers import printing
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import error
from dongthap.qlvb.restapi.errors import error_body
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.errors import translate_tree
from dongthap.qlvb.restapi.traverse import OneSegment
from dongthap.qlvb.restapi.traverse import PathSegments
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.interface import alsoProvides

import json
import transaction


def _brain_row(brain):
    return {"@id": brain.getURL(), "uid": brain.UID, "title": brain.Title,
            "file_code": brain.qlvb_file_code, "review_state": brain.review_state,
            "doc_total": brain.qlvb_doc_total, "page_total": brain.qlvb_page_total,
            "retention": brain.qlvb_retention, "department": brain.qlvb_dossier_department,
            "responsible": brain.qlvb_dossier_responsible}


def _answer(request, value):
    return translate_tree(json_compatible(value), request)


def _json_body(request, empty_ok=False):
    """The JSON object of a write request (token-less: Basic/JWT auth), None when it is none."""
    alsoProvides(request, IDisableCSRFProtection)
    return body.json_object(request, empty_ok=empty_ok)


def _refused(request, problem):
    transaction.doom()
    return error_body(request, problem)


class DossiersGet(Service):
    def reply(self):
        form = self.request.form
        if form.get("unfiled"):
            items = [{"@id": b.getURL(), "uid": b.UID, "title": b.Title, "portal_type": b.portal_type,
                      "review_state": b.review_state} for b in dossiers.unfiled_documents(self.context)]
            return _answer(self.request, {"@id": f"{self.context.absolute_url()}/@dossiers?unfiled=1",
                                          "items": items, "items_total": len(items)})
        if form.get("fileable"):
            brains = dossiers.fileable_dossiers(self.context)
        elif form.get("mine"):
            brains = dossiers.my_open_dossiers(self.context)
        else:
            year = form.get("year")
            if year and not str(year).isdigit():
                return error(self.request, 400, "BadRequest",
                             _("error_schedule_year", default="Enter a year such as 2026."))
            brains = dossiers.agency_dossiers(self.context, state=form.get("state"),
                                              department=form.get("department"), year=year)
        items = [_brain_row(b) for b in brains]
        return _answer(self.request, {"@id": f"{self.context.absolute_url()}/@dossiers",
                                      "items": items, "items_total": len(items)})


class DossiersPost(Service):
    @guarded
    def reply(self):
        data = _json_body(self.request)
        if data is None:
            return body.bad_json(self.request)
        raw = {k: v for k, v in data.items() if k != "year"}
        try:
            year = dossiers._year(data["year"]) if data.get("year") is not None else None
            values = dossiers.clean_dossier(raw, agency=self.context)
            dossier = dossiers.create_dossier(self.context, values, year=year)
        except dossiers.DossierError as problem:
            return _refused(self.request, problem)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", dossier.absolute_url())
        return _answer(self.request, dossiers.dossier_info(dossier))


class DossierGet(Service):
    def reply(self):
        info = dossiers.dossier_info(self.context)
        info["items"] = dossiers.dossier_items(self.context)
        info["log"] = dossiers.log_entries(self.context)
        info["closing_problems"] = dossiers.closing_problems(self.context) \
            if info["review_state"] == "open" else []
        info["can_file"] = api.user.has_permission(dossiers.FILE_INTO, obj=self.context)
        return _answer(self.request, info)


class DossierWorkflowPost(OneSegment, Service):
    """``POST <dossier>/@dossier-workflow/<close|reopen>`` (``transfer``: 409, through the archive)."""

    @guarded
    def reply(self):
        data = _json_body(self.request, empty_ok=True)
        if data is None:
            return body.bad_json(self.request)
        actions = {"close": lambda: dossiers.close_dossier(self.context, data.get("comment") or ""),
                   "reopen": lambda: dossiers.reopen_dossier(self.context, data.get("reason"))}
        if self.segment == "transfer":  # only through a transfer the leader approved (@archive-transfers)
            return error(self.request, 409, "Conflict", _(
                "error_transfer_through_archive",
                default="A dossier goes to the archive only through a transfer list approved by the "
                        "agency's leader and accepted by the archive (Lưu trữ cơ quan)."))
        if self.segment not in actions:
            return error(self.request, 404, "NotFound",
                         _("error_unknown_transition", default="Unknown action."))
        try:
            actions[self.segment]()
        except dossiers.DossierError as problem:
            return _refused(self.request, problem)
        return _answer(self.request, dossiers.dossier_info(self.context))


class _FileService(Service):
    """``{"documents": [uid, …]}`` → :meth:`act`; answers the dossier's new totals."""

    @guarded
    def reply(self):
        data = _json_body(self.request)
        if data is None:
            return body.bad_json(self.request)
        try:
            answer = self.act(data.get("documents"))
        except dossiers.DossierError as problem:
            return _refused(self.request, problem)
        answer.update(doc_total=self.context.doc_total, page_total=self.context.page_total)
        return _answer(self.request, answer)


class FilePost(_FileService):
    def act(self, uids):
        ordinals = dossiers.file_documents(self.context, uids)
        return {"filed": [{"uid": uid, "ordinal": ordinal} for uid, ordinal in ordinals.items()]}


class FileDelete(_FileService):
    def act(self, uids):
        dossiers.unfile_documents(self.context, uids)
        return {}


class DocumentDossiersGet(Service):
    def reply(self):
        uid = api.content.get_uuid(self.context)
        items = []
        for brain in dossiers.dossiers_of(self.context):
            row = _brain_row(brain)
            dossier = brain.getObject()
            row["ordinal"] = next((i["ordinal"] for i in dossier.qlvb_items if i["uid"] == uid), None)
            items.append(row)
        return _answer(self.request, {"@id": f"{self.context.absolute_url()}/@dossiers", "items": items})


class _ScheduleService(PathSegments, Service):
    """``@records-schedule[/<year>[/<action>]]`` (further segments are ignored)."""

    @property
    def year(self):
        return self.segments[0] if self.segments else None

    @property
    def action(self):
        return self.segments[1] if len(self.segments) > 1 else None

    def _year(self):
        return dossiers._year(self.year or dossiers.today().year)


class ScheduleGet(_ScheduleService):
    def render(self):
        self.check_permission()
        content = self.reply()
        if not isinstance(content, printing.Download):
            self.request.response.setHeader("Content-Type", self.content_type)
            return json.dumps(content, indent=2, sort_keys=True, separators=(", ", ": "))
        return content.publish(self.request.response)

    def reply(self):
        try:
            year = self._year()
        except dossiers.DossierError as problem:
            return error_body(self.request, problem)
        schedule = dossiers.get_schedule(self.context, year)
        if schedule is None:
            return error(self.request, 404, "NotFound", _(
                "error_no_schedule", default="There is no records schedule for ${year}.",
                mapping={"year": year}))
        fmt = self.request.form.get("format")
        if fmt:
            if fmt not in ("pdf", "xlsx"):
                return error(self.request, 400, "BadRequest",
                             _("error_print_format", default="The format is pdf or xlsx."))
            return printing.schedule_file(self.context, schedule, fmt)
        schedule["totals"] = dossiers.schedule_totals(schedule)
        schedule["@id"] = f"{self.context.absolute_url()}/@records-schedule/{year}"
        return _answer(self.request, schedule)


class SchedulePut(_ScheduleService):
    @guarded
    def reply(self):
        data = _json_body(self.request)
        if data is None:
            return body.bad_json(self.request)
        try:
            schedule = dossiers.save_schedule(self.context, self._year(), data.get("rows"))
        except dossiers.DossierError as problem:
            return _refused(self.request, problem)
        return _answer(self.request, schedule)


class SchedulePost(_ScheduleService):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        actions = {"approve": dossiers.approve_schedule, "copy": dossiers.copy_forward}
        if self.action not in actions:
            return error(self.request, 404, "NotFound",
                         _("error_unknown_transition", default="Unknown action."))
        try:
            schedule = actions[self.action](self.context, self._year())
        except dossiers.DossierError as problem:
            return _refused(self.request, problem)
        if self.action == "copy":
            self.request.response.setStatus(201)
        return _answer(self.request, schedule)
