"""What the transitions do, in which order: one table per type (``<type>/transitions.py``).

The tables are read here as a list (the order is the specification) and then run:
issuing an outgoing document numbers it, signs it as the agency, delivers a copy
internally and queues the external recipient, in that order; registering the
received copy takes its arrival number before the sender's delivery status reads it.
"""

from dongthap.qlvb.documents import transitions
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import numbering
from dongthap.qlvb.signing import api as signing
from plone import api
from tests.outgoing.helpers import act
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft
from zope.component import getUtility
from zope.i18n import translate

import pytest

OUT = "dongthap.qlvb.outgoing.workflow."
INC = "dongthap.qlvb.incoming.events."
EXCHANGE = "dongthap.qlvb.exchange.subscribers."
SENDER = "dongthap.qlvb.outgoing.delivery.report_to_sender"
VPCP = {"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"}


def _table(portal_type):
    from dongthap.qlvb.incoming.transitions import HANDLERS as incoming_handlers
    from dongthap.qlvb.outgoing.transitions import HANDLERS as outgoing_handlers

    return {"IncomingDocument": incoming_handlers, "OutgoingDocument": outgoing_handlers}[portal_type]


def test_outgoing_steps_in_order():
    table = _table("OutgoingDocument").describe(
        ["submit", "forward", "approve", "return", "sign", "issue", "archive", "recall"])
    after = [OUT + "record_trail", OUT + "reindex"]
    mark = OUT + "mark_queue"  # the partly reindexed transitions (workflow.TRANSITION_INDEXES)
    assert table == {
        "submit": {"before": [mark, OUT + "submit"], "after": after},
        "forward": {"before": [mark, OUT + "forward"], "after": after},
        "approve": {"before": [mark, OUT + "approve"], "after": after},
        "return": {"before": [mark, OUT + "require_reason", OUT + "return_to_drafter",
                              "dongthap.qlvb.outgoing.paper.clear_hand_mark"], "after": after},
        "sign": {"before": [mark, OUT + "sign"], "after": after},
        "issue": {"before": [OUT + "take_number", OUT + "sign_as_agency", OUT + "record_issue",
                             OUT + "deliver_internal", OUT + "queue_external", OUT + "link_replies"],
                  "after": after},
        "archive": {"before": [], "after": after},
        "recall": {"before": [OUT + "require_reason", OUT + "recall"], "after": after},
    }


def test_incoming_steps_in_order():
    table = _table("IncomingDocument").describe(
        ["register", "refuse", "assign", "start", "complete", "reopen", "archive"])
    frozen = EXCHANGE + "refuse_if_recalled"
    common = [INC + "record_trail", INC + "sync_local_roles", SENDER]
    status = [EXCHANGE + "queue_status_out"]
    assert table == {
        "register": {"before": [frozen, INC + "refuse_if_registered"],
                     "after": [INC + "take_arrival_number", *common, *status]},
        "refuse": {"before": [frozen, INC + "require_reason"], "after": [*common, *status]},
        "assign": {"before": [frozen, INC + "require_assignment"], "after": [*common, *status]},
        "start": {"before": [frozen], "after": [*common, *status]},
        "complete": {"before": [frozen], "after": [*common, *status]},
        "reopen": {"before": [frozen], "after": common},
        "archive": {"before": [frozen], "after": common},
    }


def test_every_transition_of_the_specifications_is_known_to_the_tables():
    """A step names only transitions of its workflow (a typo would silently never run)."""
    from dongthap.qlvb.workflows import incoming as incoming_spec
    from dongthap.qlvb.workflows import outgoing as outgoing_spec

    for spec, portal_type in ((incoming_spec, "IncomingDocument"), (outgoing_spec, "OutgoingDocument")):
        known = {t.id for t in spec.WORKFLOW.transitions}
        table = _table(portal_type)
        for step in (*table.before, *table.after):
            named = () if step.transitions == transitions.ANY else (
                (step.transitions,) if isinstance(step.transitions, str) else step.transitions)
            assert set(named) <= known, (step.name, named)


@pytest.fixture
def ran(monkeypatch):
    """The names of the steps the dispatcher really runs, in order: [(transition, phase, name)]."""
    seen = []
    original = transitions.TransitionHandlers.steps

    def traced(self, phase, transition):
        def wrap(step):
            def handler(doc, change):
                seen.append((transition, phase, step.name))
                return step.handler(doc, change)
            return transitions.Step(step.transitions, handler, step.doc)
        return [wrap(s) for s in original(self, phase, transition)]

    monkeypatch.setattr(transitions.TransitionHandlers, "steps", traced)
    return seen


def test_the_tables_are_the_registered_ones(portal):
    for portal_type in ("IncomingDocument", "OutgoingDocument"):
        assert getUtility(transitions.ITransitionHandlers, name=portal_type) is _table(portal_type)


def test_issue_numbers_signs_delivers_and_queues_in_order(portal, ran):
    doc = draft(portal, recipients=("so-noi-vu",), external=[VPCP])
    chain(doc, until="signed")
    before = numbering.last_number(agency(portal), "cong_van")
    del ran[:]
    act(doc, "stttt.vanthu", "issue")
    assert [(phase, name) for t, phase, name in ran if t == "issue"] == [
        ("before", OUT + "take_number"), ("before", OUT + "sign_as_agency"),
        ("before", OUT + "record_issue"), ("before", OUT + "deliver_internal"),
        ("before", OUT + "queue_external"), ("before", OUT + "link_replies"),
        ("after", OUT + "record_trail"), ("after", OUT + "reindex")]
    # what the user sees: numbered, signed as the agency, one copy delivered, VPCP queued
    assert api.content.get_state(doc) == "issued"
    assert doc.code_number == f"{before + 1:02d}" and doc.notation() == f"{before + 1:02d}/STTTT-VP"
    assert [h["action"] for h in signing.history(document=doc)] == ["sign_person", "sign_agency"]
    assert doc.legal_validity == "legal"
    status = {s["agency_code"]: s for s in delivery.delivery_status(doc)}
    assert status["000.00.09.H20"]["status"] == "delivered"
    assert status["000.00.09.H20"]["legal_validity"] == "legal"
    assert status[VPCP["code"]]["status"] == "queued" and status[VPCP["code"]]["kind"] == "external"
    assert outgoing.info(doc)["trail"][-1]["action"] == "issue"

    # the received copy: its arrival number is taken before the sender's status reads it
    from dongthap.qlvb.incoming import api as incoming

    copy = portal.unrestrictedTraverse(_copy_path(doc))
    del ran[:]
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "register", "")
    assert [name for _t, phase, name in ran if phase == "after"][:4] == [
        INC + "take_arrival_number", INC + "record_trail", INC + "sync_local_roles",
        SENDER]
    entry = delivery.delivery_status(doc)[0]
    assert entry["status"] == "registered" and entry["arrival_number"] == copy.arrival_number
    assert entry["history"][-1]["arrival_number"] == copy.arrival_number


def _copy_path(doc):
    store = getattr(doc, delivery.DELIVERY_ATTR)
    return next(e["copy_path"] for e in store.values() if e["kind"] == "internal")


def test_a_failing_later_step_undoes_the_earlier_ones(portal, monkeypatch):
    """Queuing the external recipient fails: no number used, no signature, no internal copy."""
    doc = draft(portal, recipients=("so-noi-vu",), external=[VPCP])
    chain(doc, until="signed")
    last = numbering.last_number(agency(portal), "cong_van")
    monkeypatch.setattr(delivery, "deliver_external", lambda *a, **kw: 1 / 0)
    with pytest.raises(outgoing.OutgoingError) as raised:
        act(doc, "stttt.vanthu", "issue")
    # still signed, no number used, no agency signature, no delivery status
    seen = (api.content.get_state(doc), doc.code_number, doc.issued_at,
            numbering.last_number(agency(portal), "cong_van"),
            [h["action"] for h in signing.history(document=doc)], delivery.delivery_status(doc))
    assert seen == ("signed", None, None, last, ["sign_person"], [])
    uid = api.content.get_uuid(doc)
    received = api.content.find(portal_type="IncomingDocument", unrestricted=True,
                                path="/".join(agency(portal, "so-noi-vu").getPhysicalPath()))
    assert not [b for b in received
                if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == uid]
    assert "ZeroDivisionError" in translate(raised.value.message, target_language="vi")
