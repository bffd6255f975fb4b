"""scripts/po_merge.py: translation catalogs merged entry by entry, not line by line."""

from pathlib import Path

import importlib.util


SCRIPT = Path(__file__).parent.parent / "scripts" / "po_merge.py"
SPEC = importlib.util.spec_from_file_location("po_merge", SCRIPT)
po_merge = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(po_merge)

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def catalog(**entries):
    return HEADER + "".join(f'\nmsgid "{k}"\nmsgstr "{v}"\n' for k, v in entries.items())


def translations(text):
    _, entries = po_merge.parse(text)
    return {po_merge._body(b).splitlines()[0][7:-1]: po_merge._body(b).splitlines()[-1][8:-1]
            for b in entries.values()}


def test_entries_added_next_to_each_other_on_both_sides_keep_their_own_translation():
    base = catalog(a="A", z="Z")
    ours = catalog(a="A", m1="Một", z="Z")
    theirs = catalog(a="A", m2="Hai", z="Z")
    text, conflicts = po_merge.merge(base, ours, theirs)
    assert conflicts == []
    assert translations(text) == {"a": "A", "m1": "Một", "m2": "Hai", "z": "Z"}
    assert text.startswith('msgid ""')


def test_a_change_on_one_side_and_a_removal_on_the_other():
    base = catalog(a="A", b="B", c="C")
    ours = catalog(a="Ă", b="B", c="C")  # changed a
    theirs = catalog(a="A", c="C")  # removed b
    text, conflicts = po_merge.merge(base, ours, theirs)
    assert conflicts == []
    assert translations(text) == {"a": "Ă", "c": "C"}


def test_different_changes_to_one_entry_are_a_conflict():
    base = catalog(a="A")
    text, conflicts = po_merge.merge(base, catalog(a="Một"), catalog(a="Hai"))
    assert len(conflicts) == 1 and "a" in conflicts[0]
    assert translations(text) == {"a": "Một"}


def test_the_same_entry_added_on_both_sides_appears_once():
    text, conflicts = po_merge.merge(catalog(), catalog(x="X"), catalog(x="X"))
    assert conflicts == [] and text.count('msgid "x"') == 1
