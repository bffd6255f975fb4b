"""REST services of incoming documents (plone.restapi).

``POST /<agency>/@incoming``             create (``"register": true`` registers at once)
``GET  /<agency>/@incoming``             the caller's work lists (dashboards) with filters
``POST /<document>/@workflow/<id>``      transitions, numbering on ``register``, conflict-safe;
                                         with ``"check_duplicates": true`` the registration
                                         of a possible duplicate answers 409 (no number)
``GET  /<document>/@duplicates``         possible duplicates before registration
``POST /<document>/@refuse-duplicate``   refuse as a duplicate (no arrival number taken)
``GET  /<agency>/@exchange-duplicates``  packages the exchange dropped as already received
``GET|POST /<document>/@assign``         phiếu giải quyết; ``DELETE @assign/<entry>`` ends one
``POST /<document>/@progress``           a handler records progress / the result

The registers (``@registers/incoming``, ``@registers/incoming_tracking``) are providers
(``registers.py``) of the one ``@registers`` service in ``dongthap.qlvb.registers.service``.
Read and update use plone.restapi as usual (``GET``/``PATCH`` on the document).
Errors: ``{"error": {"type", "message" (Vietnamese), "errors": [{"field", "message"}]}}``
(a raised :class:`~dongthap.qlvb.errors.QlvbError`, answered by the exception view).
"""

from dongthap.qlvb.documents import validation
from dongthap.qlvb.documents.services import DocumentPost
from dongthap.qlvb.documents.queries import rest_list_args
from dongthap.qlvb.documents.queries import rest_lists
from dongthap.qlvb.i18n import _
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.incoming import queries
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi import workflow
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.errors import translate_tree
from dongthap.qlvb.restapi.traverse import OneSegment
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides



class IncomingPost(DocumentPost):
    """``POST <agency>/@incoming``: register (or only receive) a document; ``register``: bool."""

    api = incoming
    main_filename = attachment_filename = "van-ban.pdf"
    empty_ok = False
    invalid_message = _("error_incoming_invalid",
                        default="The document was not saved: please correct the errors.")

    def clean(self, raw):
        return incoming.clean(raw, agency=self.context)

    def options(self, data):
        register, bad_register = validation.flag(
            data, "register", _("label_register_now", default="Register now (assign the arrival number)"))
        check, bad_check = validation.flag(
            data, "check_duplicates", _("label_check_duplicates",
                                        default="Stop the registration of a possible duplicate"))
        return {"register": register, "confirm_duplicate": not check}, [bad_register, bad_check]


def _filters_from(request):
    filters = {}
    for key in ("document_type", "state", "issuer", "legal_validity"):
        if request.form.get(key):
            filters[key] = request.form[key]
    for key, name in (("from", "date_from"), ("to", "date_to")):
        if request.form.get(key):
            filters[name] = body.form_date(request, key)
    return filters


class IncomingGet(Service):
    def reply(self):
        filters = _filters_from(self.request)
        user = api.user.get_current()
        keys = ("waiting_registration", "waiting_assignment", "my_work", *queries.DEADLINE_LISTS)
        batch, sort, only = rest_list_args(self.request, keys)
        lists = queries.lists_for(self.context, user.getId(), filters, batch=batch, sort=sort, only=only)
        return translate_tree({"@id": f"{self.context.absolute_url()}/@incoming", **rest_lists(lists)},
                              self.request)


class WorkflowPost(workflow.WorkflowPost):
    """``@workflow/<transition>`` for incoming documents."""

    workflow_id = "qlvb_incoming_workflow"
    body_fields = ("comment", "check_duplicates")

    def run(self, transition, comment):
        check = body.json_object(self.request).get("check_duplicates") is True
        return incoming.transition(self.context, transition, comment, confirm_duplicate=not check)

    def answer(self, action, result):
        action["title"] = translate(incoming.state_title(result["state"]), context=self.request)
        action.update(arrival_number=result["arrival_number"],
                      warnings=[translate(w, context=self.request) for w in result["warnings"]])
        return action


class DuplicatesGet(Service):
    """``GET <document>/@duplicates``: possible duplicates in the agency, before registration."""

    def reply(self):
        from dongthap.qlvb.incoming import duplicates

        rows = duplicates.for_document(self.context)
        warning = duplicates.warning(rows)
        return json_compatible({"@id": f"{self.context.absolute_url()}/@duplicates", "items": rows,
                                "warning": translate(warning, context=self.request) if warning else None,
                                "refused_as_duplicate": duplicates.record_of(self.context)})


class RefuseDuplicatePost(Service):
    """``POST <document>/@refuse-duplicate`` ``{"reason", "duplicate_of": [uid]}``: no number taken."""

    @guarded
    def reply(self):
        from dongthap.qlvb.incoming import duplicates

        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("reason", "duplicate_of"))
        reason, problem = validation.text(data, "reason", validation.REASON_LABEL, max_length=1000)
        if problem is not None:
            raise incoming.IncomingError(problem["message"], [problem])
        result = duplicates.refuse(self.context, reason, data.get("duplicate_of"))
        result["state_title"] = translate(incoming.state_title(result["state"]), context=self.request)
        return json_compatible(result)


class DroppedGet(Service):
    """``GET <agency>/@exchange-duplicates``: packages the exchange dropped as already received."""

    def reply(self):
        from dongthap.qlvb.incoming import duplicates

        items = duplicates.dropped_packages(self.context.agency_code)
        return {"@id": f"{self.context.absolute_url()}/@exchange-duplicates", "items": items,
                "items_total": len(items)}


class AssignGet(Service):
    def reply(self):
        return translate_tree(json_compatible(handling.info(self.context)), self.request)


class AssignPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        result = handling.assign(self.context, body.json_object(self.request, empty_ok=False))
        return translate_tree(json_compatible(result), self.request)


class AssignDelete(OneSegment, Service):
    """``DELETE @assign/<entry>``."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        result = handling.end_entry(self.context, self.segment or "")
        return translate_tree(json_compatible(result), self.request)


class ProgressPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("text", "result", "reply_notation"))
        result = handling.record_progress(self.context, data.get("text", ""), result=bool(data.get("result")),
                                          reply_notation=data.get("reply_notation") or "")
        return translate_tree(json_compatible(result), self.request)
