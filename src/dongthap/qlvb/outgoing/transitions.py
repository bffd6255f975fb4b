"""What the transitions of an outgoing document do, in order (``qlvb_outgoing_workflow``).

Who may trigger them: ``workflows/outgoing.py`` (guards: ``workflow.guard``).
Dispatch: ``documents/transitions.py``. The *before* steps of one transition run
inside one savepoint (:func:`.workflow.atomically`): if one fails, nothing of
them stays (no number used, no signature, no copy) and the transition is refused.
"""

from dongthap.qlvb.documents.transitions import ANY
from dongthap.qlvb.documents.transitions import Step
from dongthap.qlvb.documents.transitions import TransitionHandlers
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import paper
from dongthap.qlvb.outgoing import workflow as wf

#: an electronic issue and the issue of a paper-signed original take the number of one series
ISSUES = ("issue", "issue_paper")

HANDLERS = TransitionHandlers(
    "OutgoingDocument",
    before=(
        Step(tuple(wf.TRANSITION_INDEXES), wf.mark_queue,
             "what the indexing queue holds before (see the reindex step)"),
        Step(outgoing.NEEDS_COMMENT, wf.require_reason, "return and recall need a reason"),
        Step("submit", wf.submit,
             "required fields, signer is a leader; review levels copied; version kept"),
        Step("forward", wf.forward, "reviewer's comment kept; next review level"),
        Step("approve", wf.approve, "reviewer's comment kept; approved by"),
        Step("return", wf.return_to_drafter, "comment kept; back to the first review level"),
        Step("return", paper.clear_hand_mark, "no longer waiting for a paper signature"),
        Step("sign", wf.sign, "the signer's own signature (server-held key)"),
        Step("issue_paper", paper.require_scan,
             "the scanned signed and sealed original (PDF, >= 200 dpi), checked before"),
        Step(ISSUES, wf.take_number, "number from the register (or the type's series), notation"),
        Step("issue", wf.sign_as_agency,
             "agency signature with number, notation and time; then every attachment"),
        Step("issue_paper", paper.store_original,
             "the scan is the main file: paper original, electronic copy for reference"),
        Step(ISSUES, wf.record_issue, "issue time and date, series, year, issuer, page count"),
        Step(ISSUES, wf.deliver_internal, "one received copy per internal recipient agency"),
        Step(ISSUES, wf.queue_external, "external recipients queued for the exchange axis"),
        Step(ISSUES, wf.link_replies, "linked with what it answers and what it replaces"),
        Step("recall", wf.recall, "copies removed or noticed, external recall queued"),
    ),
    after=(
        Step(ANY, wf.record_trail, "readable trail entry (with the number at issue)"),
        Step(ANY, wf.reindex, "catalog: the indexes the transition changes (all for issue, recall …)"),
    ),
    run_before=wf.atomically,
)
