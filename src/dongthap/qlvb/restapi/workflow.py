"""``POST <document>/@workflow/<transition>`` for our documents: the base of both services.

plone.restapi's own ``@workflow`` calls the workflow tool directly; ours go
through the document API of each capability (its rules, the retry loop of
:mod:`dongthap.qlvb.numbering.retry`, its translated errors). Subclasses say
which API and workflow, and what to add to the answer.
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from dongthap.qlvb.restapi.traverse import OneSegment
from plone.restapi.services import Service
from zope.interface import alsoProvides


class WorkflowPost(OneSegment, Service):
    """``POST @workflow/<transition>``."""

    #: the workflow whose last history entry is answered
    workflow_id = None
    #: the fields of the body (any other is refused, 400)
    body_fields = ("comment",)

    def run(self, transition, comment):
        """Run ``transition`` through the document API; returns its result dict (a refusal raises
        :class:`QlvbError`)."""
        raise NotImplementedError

    def answer(self, action, result):
        """The JSON answer from the last history entry ``action`` and the API ``result``."""
        return action

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        if not self.segment:
            raise QlvbError(_("error_transition_missing", default="Which action? Add it to the address."))
        data = body.json_object(self.request, fields=self.body_fields)
        result = self.run(self.segment, data.get("comment", ""))
        # The actor may have lost access with this very transition (complete): read
        # the history directly instead of through the guarded workflow variable.
        history = self.context.workflow_history.get(self.workflow_id) or ({},)
        return json_compatible(self.answer(dict(history[-1]), result))
