"""Workflow subscribers of incoming documents.

The arrival number is taken here, inside the transaction of the ``register``
transition, whichever way the transition is triggered (REST ``@workflow``,
our forms, Classic UI's ``content_status_modify``).
"""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.i18n import _
from dongthap.qlvb.incoming import assignment
from dongthap.qlvb.incoming.api import add_trail
from dongthap.qlvb.numbering import counter
from Products.CMFCore.WorkflowCore import WorkflowException
from zope.i18n import translate


class IncomingWorkflowError(WorkflowException):
    """A transition refused by a rule of ours; ``message`` is translatable."""

    def __init__(self, message):
        super().__init__(translate(message, target_language="vi"))
        self.message = message


def before_transition(doc, event):
    transition = event.transition
    if transition is None:
        return
    comment = (event.kwargs or {}).get("comment", "") or ""
    if transition.id == "refuse" and not comment.strip():
        raise IncomingWorkflowError(
            _("error_refuse_reason", default="Please give the reason for refusing the document."))
    if transition.id == "assign" and not assignment.active_entries(doc):
        raise IncomingWorkflowError(
            _("error_assign_with_form",
              default="Use the assignment form (phiếu giải quyết) to assign the document."))
    if transition.id == "register" and doc.arrival_number:
        raise IncomingWorkflowError(
            _("error_already_registered", default="The document already has an arrival number."))


def after_transition(doc, event):
    transition = event.transition
    if transition is None:
        return
    comment = (event.kwargs or {}).get("comment", "") or ""
    if transition.id == "register":
        agency = get_agency(doc)
        when = counter.vietnam_now()
        year, number = counter.next_number(agency, counter.INCOMING, when)
        doc.arrival_number = number
        doc.arrival_year = year
        doc.registered_at = when
        doc.reindexObject(idxs=["qlvb_arrival_number", "qlvb_arrival_day"])
    add_trail(doc, transition.id, comment, state=event.new_state.id)
    assignment.sync_local_roles(doc, state=event.new_state.id)
