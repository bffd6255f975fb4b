"""The dispatcher of per-transition steps (``documents/transitions.py``), without a site."""

from dongthap.qlvb.documents import transitions
from dongthap.qlvb.documents.transitions import ANY
from dongthap.qlvb.documents.transitions import Step
from dongthap.qlvb.documents.transitions import TransitionHandlers
from types import SimpleNamespace

import pytest


class Refused(Exception):
    pass


def _event(transition, comment=None, old="a", new="b"):
    return SimpleNamespace(transition=SimpleNamespace(id=transition) if transition else None,
                           kwargs={"comment": comment} if comment is not None else {},
                           old_state=SimpleNamespace(id=old), new_state=SimpleNamespace(id=new))


@pytest.fixture
def table(monkeypatch):
    log = []

    def note(label):
        def handler(doc, change):
            log.append((label, change.transition, change.comment, change.new_state, dict(change.data)))
            change.data[label] = True
        return handler

    def refuse(doc, change):
        if not change.reason:
            raise Refused(change.transition)

    handlers = TransitionHandlers(
        "Thing",
        before=(Step(ANY, note("first")), Step("close", refuse), Step(("open", "close"), note("second"))),
        after=(Step("open", note("opened")), Step(ANY, note("trail"))),
    )
    monkeypatch.setattr(transitions, "queryUtility",
                        lambda iface, name: handlers if name == "Thing" else None)
    return handlers, log


def test_steps_run_in_the_declared_order_sharing_their_data(table):
    handlers, log = table
    doc = SimpleNamespace(portal_type="Thing")
    transitions.before_transition(doc, _event("open", "  why "))
    transitions.after_transition(doc, _event("open", "  why "))
    assert log == [("first", "open", "  why ", "b", {}),
                   ("second", "open", "  why ", "b", {"first": True}),
                   ("opened", "open", "  why ", "b", {}),  # the after phase has its own data
                   ("trail", "open", "  why ", "b", {"opened": True})]
    assert [name.rsplit(".", 1)[-1] for name in handlers.describe(["close"])["close"]["before"]] == [
        "handler", "refuse", "handler"]


def test_a_before_step_refuses_and_the_later_ones_do_not_run(table):
    _handlers, log = table
    with pytest.raises(Refused):
        transitions.before_transition(SimpleNamespace(portal_type="Thing"), _event("close", "   "))
    assert [entry[0] for entry in log] == ["first"]


def test_nothing_runs_without_a_table_or_a_transition(table):
    _handlers, log = table
    transitions.before_transition(SimpleNamespace(portal_type="Other"), _event("open"))
    transitions.after_transition(SimpleNamespace(portal_type="Thing"), _event(None))
    assert log == []
