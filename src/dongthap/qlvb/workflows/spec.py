"""The format of a workflow specification, and its two renderings (GenericSetup XML, Markdown).

A workflow is stated once, as data, in one module (``workflows/incoming.py``,
``workflows/outgoing.py``, ``workflows/agency.py``; a new type adds its own):

* ``columns``: what the per-state table speaks about — a short name (``view``)
  for one or more Zope permissions (``Access contents information`` + ``View``);
* ``states``: id, title, the transitions that leave it, and per column the roles
  that hold those permissions in that state (never acquired);
* ``transitions``: id, title, target state, guard roles, guard expression.

:func:`render_xml` writes the ``definition.xml`` GenericSetup imports;
:func:`render_markdown` the table in ``docs/workflows.md``. Both are pure
functions: nothing here (nor in a specification module) writes a file;
``scripts/generate_workflows.py`` does, and ``tests/test_workflow_specs.py``
fails when the committed files differ from what the specifications give.
The side effects of the transitions are not here: see
``dongthap.qlvb.documents.transitions`` and each type's ``transitions.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from xml.sax.saxutils import escape

#: Plone's own administrators (they run the server, not documents).
ADMINS = ("Manager", "Site Administrator")


@dataclass(frozen=True)
class State:
    id: str
    title: str
    exits: tuple[str, ...]
    #: column name → roles holding the column's permissions in this state
    roles: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class Transition:
    id: str
    title: str
    new_state: str
    #: roles that may trigger it (any of them); empty: no role guard
    guard_roles: tuple[str, ...] = ()
    #: TALES guard evaluated on the document (e.g. ``python:here.qlvb_guard('sign')``)
    guard_expression: str = ""


#: The status variables of a document workflow (kept in every history entry).
HISTORY_VARIABLES = (
    ("action", "transition/getId|nothing", "Previous transition"),
    ("actor", "user/getId", "The user who performed the previous transition"),
    ("comments", "python:state_change.kwargs.get('comment', '')", "Comment about the last transition"),
    ("time", "state_change/getDateTime", "When the previous transition was performed"),
)


@dataclass(frozen=True)
class Workflow:
    id: str
    title: str
    description: str
    initial_state: str
    #: column name → Zope permissions, in the order of the definition
    columns: dict[str, tuple[str, ...]]
    states: tuple[State, ...]
    transitions: tuple[Transition, ...] = ()
    #: XML comment at the top of the definition (lines)
    comment: tuple[str, ...] = ()
    #: the standard status variables (action, actor, comments, time) and ``review_history``
    history: bool = True
    #: the portal types it is bound to (documentation only: the binding is in workflows.xml)
    types: tuple[str, ...] = field(default=())
    #: dotted name of the module whose ``HANDLERS`` lists what the transitions do
    #: (``dongthap.qlvb.documents.transitions``); shown in docs/workflows.md
    steps: str = ""

    @property
    def permissions(self):
        return [p for perms in self.columns.values() for p in perms]

    def column_of(self, permission):
        return next(name for name, perms in self.columns.items() if permission in perms)

    def check(self):
        """Raise ``ValueError`` when the specification contradicts itself."""
        states = {s.id for s in self.states}
        transitions = {t.id for t in self.transitions}
        problems = []
        if self.initial_state not in states:
            problems.append(f"initial state {self.initial_state!r} is not a state")
        for t in self.transitions:
            if t.new_state not in states:
                problems.append(f"transition {t.id!r} goes to unknown state {t.new_state!r}")
            if not (t.guard_roles or t.guard_expression):
                problems.append(f"transition {t.id!r} has no guard")
        for s in self.states:
            problems += [f"state {s.id!r} leaves by unknown transition {e!r}"
                         for e in s.exits if e not in transitions]
            if set(s.roles) != set(self.columns):
                problems.append(f"state {s.id!r} gives roles for {sorted(s.roles)}, "
                                f"expected {sorted(self.columns)}")
        unused = transitions - {e for s in self.states for e in s.exits}
        problems += [f"transition {t!r} leaves no state" for t in sorted(unused)]
        if problems:
            raise ValueError(f"{self.id}: " + "; ".join(problems))
        return self


# ---------------------------------------------------------------- GenericSetup XML


def render_xml(wf: Workflow) -> str:
    """The ``definition.xml`` of ``wf`` (DCWorkflow's GenericSetup format)."""
    wf.check()
    out = ['<?xml version="1.0" encoding="utf-8"?>']
    if wf.comment:
        lines = list(wf.comment)
        lines[0] = "<!-- " + lines[0]
        lines[1:] = ["     " + line for line in lines[1:]]
        lines[-1] += " -->"
        out += lines
    out += [f'<dc-workflow workflow_id="{wf.id}" title="{escape(wf.title)}"',
            f'             description="{escape(wf.description)}"',
            f'             state_variable="review_state" initial_state="{wf.initial_state}"'
            ' manager_bypass="False">']
    out += [f"  <permission>{p}</permission>" for p in wf.permissions]
    for state in wf.states:
        out.append(f'  <state state_id="{state.id}" title="{escape(state.title)}">')
        out += [f'    <exit-transition transition_id="{e}" />' for e in state.exits]
        for p in wf.permissions:
            out.append(f'    <permission-map name="{p}" acquired="False">')
            out += [f"      <permission-role>{r}</permission-role>" for r in state.roles[wf.column_of(p)]]
            out.append("    </permission-map>")
        out.append("  </state>")
    for t in wf.transitions:
        title = escape(t.title)
        out.append(f'  <transition transition_id="{t.id}" title="{title}" new_state="{t.new_state}"'
                   ' trigger="USER" before_script="" after_script="">')
        out.append(f'    <action url="%(content_url)s/content_status_modify?workflow_action={t.id}"'
                   f' category="workflow" icon="">{title}</action>')
        out.append("    <guard>")
        if t.guard_roles:
            out.append(f"      <guard-role>{'; '.join(t.guard_roles)}</guard-role>")
        if t.guard_expression:
            out.append(f"      <guard-expression>{escape(t.guard_expression)}</guard-expression>")
        out.append("    </guard>")
        out.append("  </transition>")
    if wf.history:
        for vid, expr, desc in HISTORY_VARIABLES:
            out.append(f'  <variable variable_id="{vid}" for_catalog="False" for_status="True"'
                       ' update_always="True">')
            out.append(f"    <description>{desc}</description>")
            out.append(f"    <default><expression>{escape(expr)}</expression></default>")
            out.append("    <guard></guard>")
            out.append("  </variable>")
        # computed on access, never stored in a status entry (each entry would embed the whole history)
        out.append('  <variable variable_id="review_history" for_catalog="False" for_status="False"'
                   ' update_always="False">')
        out.append("    <description>Provides access to workflow history</description>")
        out.append("    <default><expression>state_change/getHistory</expression></default>")
        out.append("    <guard><guard-permission>View</guard-permission></guard>")
        out.append("  </variable>")
    out.append("</dc-workflow>")
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------- Markdown


def _who(roles):
    return ", ".join(roles) if roles else "—"


def render_markdown(wf: Workflow, handlers=None) -> str:
    """One section of ``docs/workflows.md``: who may do what in each state, who triggers what.

    ``handlers`` (the type's ``TransitionHandlers``, optional) adds what each transition does.
    """
    wf.check()
    out = [f"## `{wf.id}` — {wf.title}", "", wf.description, ""]
    if wf.types:
        out += ["Bound to: " + ", ".join(f"`{t}`" for t in wf.types) + ".", ""]
    out += ["Columns: " + "; ".join(f"**{name}** = {', '.join(perms)}"
                                    for name, perms in wf.columns.items()) + ".", ""]
    out.append("| state | " + " | ".join(wf.columns) + " | leaves by |")
    out.append("|---" * (len(wf.columns) + 2) + "|")
    for s in wf.states:
        initial = " (initial)" if s.id == wf.initial_state else ""
        cells = [_who(s.roles[c]) for c in wf.columns]
        out.append(f"| `{s.id}`{initial} {escape(s.title)} | " + " | ".join(cells)
                   + f" | {', '.join(s.exits) or '—'} |")
    if wf.transitions:
        out += ["", "| transition | from | to | who may trigger it (any role) | and the guard |",
                "|---|---|---|---|---|"]
        for t in wf.transitions:
            sources = [s.id for s in wf.states if t.id in s.exits]
            expression = f"`{t.guard_expression}`" if t.guard_expression else "—"
            out.append(f"| `{t.id}` {escape(t.title)} | {', '.join(sources)} | {t.new_state} "
                       f"| {_who(t.guard_roles)} | {expression} |")
    if handlers is not None and wf.transitions:
        out += ["", f"What the transitions do, in this order (`{wf.steps}`; *before*: may still "
                "refuse the transition; *after*: the state has changed):", "",
                "| transition | before | after |", "|---|---|---|"]
        for t in wf.transitions:
            cells = ["<br>".join(f"{i}. {escape(s.doc or s.name)}"
                                 for i, s in enumerate(handlers.steps(phase, t.id), 1)) or "—"
                     for phase in ("before", "after")]
            out.append(f"| `{t.id}` | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"
