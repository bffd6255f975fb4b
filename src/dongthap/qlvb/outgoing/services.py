"""REST services of outgoing documents (plone.restapi).

``POST  /<agency>/@outgoing``                  create a draft (file base64 .docx or PDF)
``GET   /<agency>/@outgoing``                  the caller's work lists (dự thảo của tôi, chờ duyệt,
                                               chờ ký, chờ phát hành, đã phát hành)
``GET|PATCH /<agency>/@outgoing-settings``     review levels and register series of the agency
``POST  /<document>/@workflow/<transition>``   transitions, conflict-safe; number, signature and
                                               delivery at ``issue``
``POST  /<document>/@issue-paper``             issue a document signed by hand: ``{"scan": {data, encoding,
                                               filename}, "comment"}`` (the scanned original, PDF ≥ 200 dpi)
``GET   /<document>/@delivery-status``         per recipient: delivered, registered (arrival number) …
``POST  /<document>/@add-recipients``          "gửi bổ sung": the issuing agency's clerk sends the issued
                                               document to more recipients (internal and external)
``GET|POST /<document>/@review-comments``      reviewer comments (all kept), trail, versions
``GET|POST /<incoming copy>/@recall-notice``   the recall notice; POST: the clerk destroys the copy

The registers (``@registers/outgoing``, ``@registers/outgoing_report``) are providers
(``registers.py``) of the one ``@registers`` service in ``dongthap.qlvb.registers.service``.
Read and update use plone.restapi as usual (``GET``/``PATCH`` on the document; a
changed file is kept as a new draft version). Errors:
``{"error": {"type", "message" (Vietnamese), "errors": [{"field", "message"}]}}``
(a raised :class:`~dongthap.qlvb.errors.QlvbError`, answered by the exception view).
"""

from dongthap.qlvb.documents.services import DocumentPost
from dongthap.qlvb.documents.queries import rest_list_args
from dongthap.qlvb.documents.queries import rest_lists
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import queries
from dongthap.qlvb.outgoing import settings
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi import workflow
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.errors import translate_tree
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.i18n import translate
from zope.interface import alsoProvides



class OutgoingPost(DocumentPost):
    """``POST <agency>/@outgoing``: a new draft."""

    api = outgoing
    main_filename = "du-thao.pdf"
    attachment_filename = "phu-luc.pdf"
    invalid_message = _("error_outgoing_invalid",
                        default="The document was not saved: please correct the errors.")

    def clean(self, raw):
        return outgoing.clean(self.context, raw)


class OutgoingGet(Service):
    def reply(self):
        user = api.user.get_current()
        titles = dict(queries.LISTS)
        batch, sort, only = rest_list_args(self.request, tuple(titles))
        lists = queries.lists_for(self.context, user.getId(), batch=batch, sort=sort, only=only)
        return translate_tree({"@id": f"{self.context.absolute_url()}/@outgoing", "titles": titles,
                               **rest_lists(lists)}, self.request)


class SettingsGet(Service):
    def reply(self):
        return {"@id": f"{self.context.absolute_url()}/@outgoing-settings",
                **settings.get_settings(self.context)}


class SettingsPatch(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("review_levels", "series"))
        from dongthap.qlvb.numbering import run_in_transaction

        def work():
            return settings.set_settings(self.context, review_levels=data.get("review_levels"),
                                         series=data.get("series"))

        result = run_in_transaction(work, note="qlvb: outgoing settings")
        return {"@id": f"{self.context.absolute_url()}/@outgoing-settings", **result}


class WorkflowPost(workflow.WorkflowPost):
    """``@workflow/<transition>`` for outgoing documents."""

    workflow_id = outgoing.WORKFLOW_ID

    def run(self, transition, comment):
        return outgoing.transition(self.context, transition, comment)

    def answer(self, action, result):
        action.update(result)
        action["title"] = translate(outgoing.state_title(result["state"]), context=self.request)
        return translate_tree(action, self.request)


class IssuePaperPost(Service):
    """``@issue-paper``: number from the series, the scanned paper original as the main file."""

    @guarded
    def reply(self):
        from dongthap.qlvb.outgoing import paper

        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("scan", "comment"))
        scan = body.decode_file(data.get("scan"), "ban-goc-giay.pdf")
        comment = body.free_text(data, "comment")
        result = paper.issue_paper(self.context, scan, comment)
        result["original_medium"] = paper.PAPER
        result["paper_scan"] = {k: v for k, v in (paper.scan_info(self.context) or {}).items()
                                if k in ("dpi", "pages", "sha256", "filename")}
        result["title"] = translate(outgoing.state_title(result["state"]), context=self.request)
        return translate_tree(json_compatible(result), self.request)


class SignByHandPost(Service):
    """``@sign-by-hand``: the signer signs the printed original by hand; the clerk issues it on paper."""

    @guarded
    def reply(self):
        from dongthap.qlvb.outgoing import paper

        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("comment",))
        result = paper.mark_by_hand(self.context, body.free_text(data, "comment"))
        result["sign_by_hand"] = paper.signs_by_hand(self.context)
        result["title"] = translate(outgoing.state_title(result["state"]), context=self.request)
        return translate_tree(json_compatible(result), self.request)


class DeliveryStatusGet(Service):
    def reply(self):
        return translate_tree(json_compatible({
            "@id": f"{self.context.absolute_url()}/@delivery-status",
            "notation": self.context.notation(),
            "state": api.content.get_state(self.context),
            "items": delivery.delivery_status(self.context),
        }), self.request)


class CommentsGet(Service):
    def reply(self):
        return translate_tree(json_compatible(outgoing.info(self.context)), self.request)


class CommentsPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("text",))
        entry = outgoing.comment(self.context, data.get("text", ""))
        self.request.response.setStatus(201)
        return json_compatible(entry)


class RecallNoticeGet(Service):
    def reply(self):
        notice = delivery.recall_notice(self.context)
        if notice is None:
            raise QlvbError(_("error_no_recall_notice", default="This document has no recall notice."),
                            status=404)
        return json_compatible(notice)


class RecallNoticePost(Service):
    """The clerk destroys the recalled copy; answers the destruction record (``@recall-destroy``)."""

    @guarded
    def reply(self):
        from dongthap.qlvb.recall import api as recall_api

        alsoProvides(self.request, IDisableCSRFProtection)
        record, _agency = recall_api.destroy_from_request(self.context)
        return json_compatible(record)


class ReplyDeadlinesGet(Service):
    """``GET @reply-deadlines``: per recipient the reply deadline, the reply, overdue / due soon."""

    def reply(self):
        from dongthap.qlvb.outgoing import replies

        return json_compatible({"@id": f"{self.context.absolute_url()}/@reply-deadlines",
                                "due_date": self.context.due_date, "items": replies.summary(self.context)})


class ReplyDeadlinesPost(Service):
    """``POST @reply-deadlines`` ``{"deadlines": {"<recipient key>": "dd/mm/yyyy" | null}}``."""

    @guarded
    def reply(self):
        from dongthap.qlvb.outgoing import replies

        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("deadlines",))
        items = replies.set_deadlines(self.context, data.get("deadlines"))
        return json_compatible({"@id": f"{self.context.absolute_url()}/@reply-deadlines",
                                "due_date": self.context.due_date, "items": items})


class ReplyLinkPost(Service):
    """``POST <incoming document>/@reply-link`` ``{"outgoing": "<uid>", "recipient": "<key>"}``: the
    clerk links a reply entered by hand to the recipient of an outgoing document awaiting it.
    ``GET`` lists the choices."""

    @guarded
    def reply(self):
        from dongthap.qlvb.outgoing import replies

        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request, fields=("outgoing", "recipient"))
        items = replies.link_by_hand(self.context, data.get("outgoing"), data.get("recipient"))
        return json_compatible({"@id": f"{self.context.absolute_url()}/@reply-link", "items": items})


class ReplyLinkGet(Service):
    @guarded
    def reply(self):
        from dongthap.qlvb.outgoing import replies

        choices = replies.link_choices(self.context) if replies.may_link_by_hand(self.context) else []
        return json_compatible({"@id": f"{self.context.absolute_url()}/@reply-link", "items": choices})


class AddRecipientsPost(Service):
    """``{"internal_recipients": [uid|code|id], "external_recipients": [{code, name}|"code|name"]}``."""

    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        rows = delivery.add_recipients(self.context, data.get("internal_recipients") or [],
                                       data.get("external_recipients") or [])
        return translate_tree(json_compatible({
            "@id": f"{self.context.absolute_url()}/@delivery-status",
            "added": rows,
            "items": delivery.delivery_status(self.context),
        }), self.request)
