"""REST services of copies (bản sao).

``POST <agency>/@copies``                  make a copy: ``{"original": uid, "copy_form": "sao_y"|"sao_luc"|
                                           "trich_sao", "copy_medium": "electronic"|"paper", "page_from",
                                           "page_to", "place", "signer", "signer_position",
                                           "signing_authority", "recipients", "comment"}``
``GET   <agency>/@copies``                 the copies of the agency: waiting for my signature, waiting to
                                           be numbered and sealed, issued this year
``GET   <document>/@copies``               the copies made of an incoming or outgoing document
``GET   <copy>/@copy``                     the copy: form, number, original, signer, trail
``POST  <copy>/@workflow/<transition>``    ``sign`` (the chosen signer), ``issue`` (the clerk: number, seal)

The register of copies is the provider ``copies`` of ``@registers`` (``registers.py``).
"""

from dongthap.qlvb.copies import api as copies
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


class CopiesPost(Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        raw = {k: data.get(k) for k in copies.INPUT_FIELDS if k in data}
        comment = body.free_text(data, "comment")
        values = copies.clean(self.context, raw)
        result = copies.create(self.context, values, comment=comment)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", result["url"])
        return json_compatible(translate_tree(dict(result, **{"@id": result["url"]}), self.request))


def _row(brain):
    doc = brain._unrestrictedGetObject()
    return dict(copies.summary(doc), title=doc.title, signer=doc.signer)


class CopiesGet(Service):
    def reply(self):
        root = copies.register_root(self.context)
        userid = api.user.get_current().getId()
        lists = {"waiting_signature": [], "waiting_issue": [], "issued": []}
        if root is not None:
            for brain in api.content.find(context=root, portal_type="DocumentCopy"):
                state = brain.review_state
                row = _row(brain)
                if state == "draft" and row["signer"] == userid:
                    lists["waiting_signature"].append(row)
                elif state == "signed":
                    lists["waiting_issue"].append(row)
                elif state == "issued":
                    lists["issued"].append(row)
        lists["issued"].sort(key=lambda r: r["number"] or 0)
        return json_compatible(translate_tree({"@id": f"{self.context.absolute_url()}/@copies", **lists},
                                              self.request))


class OriginalCopiesGet(Service):
    def reply(self):
        return json_compatible(translate_tree({"@id": f"{self.context.absolute_url()}/@copies",
                                               "items": copies.copies_of(self.context, visible=True)},
                                              self.request))


class CopyGet(Service):
    def reply(self):
        return json_compatible(translate_tree(copies.info(self.context), self.request))


class WorkflowPost(workflow.WorkflowPost):
    workflow_id = copies.WORKFLOW_ID

    def run(self, transition, comment):
        return copies.transition(self.context, transition, comment)

    def answer(self, action, result):
        action.update(result)
        action["title"] = translate(copies.state_title(result["state"]), context=self.request)
        return translate_tree(action, self.request)
