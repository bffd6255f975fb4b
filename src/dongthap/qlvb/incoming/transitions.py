"""What the transitions of an incoming document do, in order (``qlvb_incoming_workflow``).

Who may trigger them: ``workflows/incoming.py``. Dispatch: ``documents/transitions.py``.
*before* steps may refuse the transition; *after* steps run once the state changed.
"""

from dongthap.qlvb.documents.transitions import ANY
from dongthap.qlvb.documents.transitions import Step
from dongthap.qlvb.documents.transitions import TransitionHandlers
from dongthap.qlvb.exchange import subscribers as exchange
from dongthap.qlvb.incoming import events
from dongthap.qlvb.outgoing import delivery

HANDLERS = TransitionHandlers(
    "IncomingDocument",
    before=(
        Step(ANY, exchange.refuse_if_recalled, "a document its sender recalled is frozen"),
        Step("refuse", events.require_reason, "a reason is required"),
        Step("assign", events.require_assignment, "only through the assignment form (entries exist)"),
        Step("register", events.refuse_if_registered, "a document is registered once"),
    ),
    after=(
        Step("register", events.take_arrival_number,
             "next arrival number of the agency's incoming register (Vietnam time)"),
        Step(ANY, events.record_trail, "readable trail entry (actor, time, comment)"),
        Step(ANY, events.sync_local_roles, "local roles of the assignees follow the state"),
        Step(ANY, delivery.report_to_sender,
             "a copy delivered by another agency: its delivery status (with the arrival number)"),
        Step(tuple(exchange.STATUS_OF_TRANSITION), exchange.queue_status_out,
             "a document received over the axis: status package to the sender (03/02/04/05/06)"),
    ),
)
