"""What a transition does, declared in one place per type, in order.

The workflow specification (``dongthap.qlvb.workflows``) says who may move a
document from one state to another; this module runs what must happen
together with the move, in the transaction of the transition, whichever way it
is triggered (REST ``@workflow``, our forms, Classic UI's
``content_status_modify``).

Each type declares one :class:`TransitionHandlers` in its own
``transitions.py`` (``incoming/transitions.py``, ``outgoing/transitions.py``):
two ordered lists of :class:`Step` — *before* (checks and work that may still
refuse the transition by raising a ``WorkflowException``) and *after* (the
state has changed) — each step naming the transitions it runs for (or
:data:`ANY`). Steps of other packages (the exchange axis, the sender's
delivery status) are listed there too, so the order is read in one place and
does not depend on the order ZCML files are loaded. The table is registered as
a named utility (name: the portal type) providing :class:`ITransitionHandlers`;
ONE subscriber pair, for :class:`~dongthap.qlvb.documents.interfaces.IQlvbDocument`
(see ``documents/configure.zcml``), dispatches the workflow events to it. A
new type (dossier) declares its table the same way and, when it is not an
``IQlvbDocument``, registers the two subscribers below for its own interface.

A step is ``handler(doc, change)`` with ``change`` a :class:`Change`; the
steps of one phase of one transition share ``change.data`` (e.g. the number
taken by one step, stored by the next).
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any
from collections.abc import Callable
from zope.component import queryUtility
from zope.interface import Interface

#: A step that runs for every transition of its type.
ANY = "*"


class ITransitionHandlers(Interface):
    """The per-transition steps of one portal type (a :class:`TransitionHandlers`)."""


@dataclass
class Change:
    """One transition of one document, as the steps see it."""

    doc: Any
    transition: str
    comment: str  # as given ("" when none), not stripped
    old_state: str | None
    new_state: str | None
    event: Any = None
    #: shared by the steps of one phase of this transition
    data: dict = field(default_factory=dict)

    @property
    def reason(self):
        """The comment without surrounding blanks."""
        return self.comment.strip()


@dataclass(frozen=True)
class Step:
    transitions: str | tuple[str, ...]
    handler: Callable[[Any, Change], Any]
    #: what it does, in one line (listed by :meth:`TransitionHandlers.describe`)
    doc: str = ""

    def runs_for(self, transition):
        return self.transitions == ANY or transition in (
            (self.transitions,) if isinstance(self.transitions, str) else self.transitions)

    @property
    def name(self):
        return f"{self.handler.__module__}.{self.handler.__qualname__}"


def _run_all(steps, doc, change):
    for step in steps:
        step.handler(doc, change)


@dataclass(frozen=True)
class TransitionHandlers:
    portal_type: str
    before: tuple[Step, ...] = ()
    after: tuple[Step, ...] = ()
    #: ``runner(steps, doc, change)`` runs the *before* steps of one transition (when there
    #: are any): e.g. inside a savepoint, translating failures. Default: one after the other.
    run_before: Callable[[list, Any, Change], None] = _run_all

    def steps(self, phase, transition):
        """The steps of ``phase`` (``"before"``/``"after"``) that run for ``transition``, in order."""
        return [s for s in getattr(self, phase) if s.runs_for(transition)]

    def describe(self, transitions):
        """``{transition: {"before": [names], "after": [names]}}``: the order, for tests and docs."""
        return {t: {phase: [s.name for s in self.steps(phase, t)] for phase in ("before", "after")}
                for t in transitions}


def handlers_for(doc):
    """The :class:`TransitionHandlers` of ``doc``'s portal type, or ``None``."""
    portal_type = getattr(doc, "portal_type", None)
    return queryUtility(ITransitionHandlers, name=portal_type) if portal_type else None


def _change(doc, event):
    return Change(
        doc=doc, transition=event.transition.id,
        comment=(event.kwargs or {}).get("comment", "") or "",
        old_state=getattr(event.old_state, "id", None), new_state=getattr(event.new_state, "id", None),
        event=event)


def before_transition(doc, event):
    """Subscriber (IQlvbDocument, IBeforeTransitionEvent)."""
    table = handlers_for(doc) if event.transition is not None else None
    if table is None:
        return
    change = _change(doc, event)
    steps = table.steps("before", change.transition)
    if steps:
        table.run_before(steps, doc, change)


def after_transition(doc, event):
    """Subscriber (IQlvbDocument, IAfterTransitionEvent)."""
    table = handlers_for(doc) if event.transition is not None else None
    if table is None:
        return
    change = _change(doc, event)
    _run_all(table.steps("after", change.transition), doc, change)
