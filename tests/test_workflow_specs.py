"""The workflow definitions and docs/workflows.md are what the specifications give."""

from pathlib import Path

from types import SimpleNamespace

import os
import runpy
import subprocess
import sys

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "src" / "dongthap" / "qlvb" / "profiles" / "default" / "workflows"


def _generator():
    """The generator script as a module (nothing runs: its ``__name__`` is not ``__main__``)."""
    return SimpleNamespace(**runpy.run_path(str(ROOT / "scripts" / "generate_workflows.py")))


def test_committed_files_are_what_the_specifications_give():
    outputs = _generator().outputs()
    assert {p.parent.name for p in outputs if p.name == "definition.xml"} == {
        "qlvb_agency_workflow", "qlvb_incoming_workflow", "qlvb_outgoing_workflow", "qlvb_dossier_workflow",
        "qlvb_copy_workflow", "qlvb_task_workflow"}
    for path, text in outputs.items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} differs from its specification: "
            "run .venv/bin/python scripts/generate_workflows.py")


def test_every_profile_workflow_has_a_specification():
    generated = {p.parent.name for p in _generator().outputs() if p.name == "definition.xml"}
    assert {p.name for p in PROFILE.iterdir() if p.is_dir()} == generated


def test_check_mode_fails_on_a_changed_specification(monkeypatch):
    from dongthap.qlvb.workflows import incoming
    from dongthap.qlvb.workflows.spec import Transition

    generator = _generator()
    assert generator.main(["--check"]) == 0
    changed = incoming.WORKFLOW.__class__(**{
        **incoming.WORKFLOW.__dict__,
        "transitions": tuple(Transition(t.id, t.title, t.new_state, ("Manager",)) if t.id == "register"
                             else t for t in incoming.WORKFLOW.transitions)})
    monkeypatch.setattr(incoming, "WORKFLOW", changed)
    assert generator.main(["--check"]) == 1  # --check never writes
    assert "<guard-role>Manager</guard-role>" not in (
        PROFILE / "qlvb_incoming_workflow" / "definition.xml").read_text(encoding="utf-8")


def test_a_contradicting_specification_is_refused():
    from dongthap.qlvb.workflows import outgoing
    from dongthap.qlvb.workflows.spec import render_xml
    from dongthap.qlvb.workflows.spec import State

    import pytest

    broken = outgoing.WORKFLOW.__class__(**{
        **outgoing.WORKFLOW.__dict__,
        "states": (*outgoing.WORKFLOW.states, State("lost", "Lost", ("vanish",), {"view": ()}))})
    with pytest.raises(ValueError, match="unknown transition 'vanish'"):
        render_xml(broken)


def test_importing_the_specifications_writes_no_file(tmp_path):
    before = {p: p.stat().st_mtime_ns for p in [*PROFILE.rglob("*"), ROOT / "docs" / "workflows.md"]}
    code = ("import dongthap.qlvb.workflows as w, dongthap.qlvb.workflows.spec; "
            "[m for m in w.specifications()]; "
            "import dongthap.qlvb.documents.transitions, dongthap.qlvb.incoming.transitions, "
            "dongthap.qlvb.outgoing.transitions")
    subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert list(tmp_path.iterdir()) == []
    assert {p: p.stat().st_mtime_ns for p in before} == before


def test_the_table_says_who_may_do_what():
    text = (ROOT / "docs" / "workflows.md").read_text(encoding="utf-8")
    row = "| `issue` Issue (phát hành) | signed | issued | Manager, Site Administrator, QlvbClerk | — |"
    assert row in text
    assert "`python:here.qlvb_guard('sign')`" in text
    # and what the transitions do, in order
    assert ("| `issue` | 1. number from the register (or the type's series), notation<br>"
            "2. agency signature") in text


def test_every_title_users_see_is_translated():
    """State, transition and workflow titles are shown by Plone (domain ``plone``): all in Vietnamese."""
    from dongthap.qlvb.workflows import specifications

    import re

    po = (ROOT / "src" / "dongthap" / "qlvb" / "locales" / "vi" / "LC_MESSAGES" / "plone.po").read_text(
        encoding="utf-8")
    translated = {m: s for m, s in re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', po, re.M) if s}
    for _name, workflow in specifications():
        titles = [workflow.title, *(s.title for s in workflow.states),
                  *(t.title for t in workflow.transitions)]
        assert [t for t in titles if t not in translated] == [], workflow.id
