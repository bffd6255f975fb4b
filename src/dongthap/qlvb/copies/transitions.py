"""What the transitions of a copy do, in order (``qlvb_copy_workflow``; who: ``copies/workflow.py``)."""

from dongthap.qlvb.copies import api as copies
from dongthap.qlvb.documents.transitions import ANY
from dongthap.qlvb.documents.transitions import Step
from dongthap.qlvb.documents.transitions import TransitionHandlers
from dongthap.qlvb.outgoing.workflow import atomically

HANDLERS = TransitionHandlers(
    "DocumentCopy",
    before=(
        Step("sign", copies.step_sign, "the signer (a leader, with his authority) signs the copy"),
        Step("issue", copies.step_take_number,
             "number from the ONE yearly series of copies (SY, SL, TrS), notation, date"),
        Step("issue", copies.step_seal,
             "agency digital signature (form, number, time) on an electronic copy; a paper copy is sealed"),
        Step("issue", copies.step_link, "the original lists its copy"),
    ),
    after=(
        Step(ANY, copies.step_trail, "readable trail entry (with the number at issue)"),
        Step(ANY, copies.step_reindex, "catalog"),
    ),
    run_before=atomically,
)
