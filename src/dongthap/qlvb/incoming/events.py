"""The steps of the incoming workflow's transitions (their order: ``transitions.py``).

The arrival number is taken here, inside the transaction of the ``register``
transition, whichever way the transition is triggered (REST ``@workflow``,
our forms, Classic UI's ``content_status_modify``).
"""

from dongthap.qlvb.agencies.api import get_agency
from dongthap.qlvb.errors import QlvbWorkflowError
from dongthap.qlvb.documents.indexers import REGISTER_INDEXES
from dongthap.qlvb.i18n import _
from dongthap.qlvb.incoming import assignment
from dongthap.qlvb.incoming.api import add_trail
from dongthap.qlvb.numbering import counter


#: A transition refused by a rule of ours: the one workflow error (see ``docs/errors.md``).
IncomingWorkflowError = QlvbWorkflowError


def require_reason(doc, change):
    if not change.reason:
        raise IncomingWorkflowError(
            _("error_refuse_reason", default="Please give the reason for refusing the document."))


def require_assignment(doc, change):
    if not assignment.active_entries(doc):
        raise IncomingWorkflowError(
            _("error_assign_with_form",
              default="Use the assignment form (phiếu giải quyết) to assign the document."))


def refuse_if_registered(doc, change):
    if doc.arrival_number:
        raise IncomingWorkflowError(
            _("error_already_registered", default="The document already has an arrival number."))


def take_arrival_number(doc, change):
    agency = get_agency(doc)
    when = counter.vietnam_now()
    year, number = counter.next_number(agency, counter.INCOMING, when)
    doc.arrival_number = number
    doc.arrival_year = year
    doc.registered_at = when
    doc.reindexObject(idxs=["qlvb_arrival_number", "qlvb_arrival_day", *REGISTER_INDEXES])


def record_trail(doc, change):
    add_trail(doc, change.transition, change.comment, state=change.new_state)


def sync_local_roles(doc, change):
    assignment.sync_local_roles(doc, state=change.new_state)
