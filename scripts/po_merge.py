#!/usr/bin/env python3
"""A git merge driver for gettext catalogs that merges entry by entry.

    git config merge.qlvb-po.driver "python3 scripts/po_merge.py %O %A %B"   (done by `make install`)
    .gitattributes:  *.po merge=qlvb-po

A line-based merge of two branches that each add translations interleaves their lines when the
entries sit next to each other (a msgid from one branch followed by the msgstr of another), which
yields wrong translations without any conflict marker. This driver reads the three versions as
msgid → entry and merges the entries instead: added on either side, kept; changed on one side,
that side; removed on one side and untouched on the other, removed; changed differently on both
sides, a conflict (the merge fails and lists it, the file keeps "ours"). The result is written
sorted by msgid, the order `scripts/i18n.py sync` writes. Stdlib only.
"""

from pathlib import Path

import re
import sys


def parse(text):
    """(header, {msgid: entry block}) of a .po text; an entry block keeps its comments."""
    blocks = re.split(r"\n\s*\n", text.strip("\n"))
    header, entries = "", {}
    for block in blocks:
        match = re.search(r'^msgid "(.*)"$', block, re.M)
        if match is None:
            continue
        # a msgid continued over several lines ("" then "…") is named by all its lines
        msgid_lines = re.search(r'^msgid .*?(?=^msgstr|^msgid_plural)', block, re.M | re.S)
        key = msgid_lines.group(0) if msgid_lines else match.group(1)
        if match.group(1) == "" and key.strip() == 'msgid ""':
            header = block
            continue
        entries[key] = block
    return header, entries


def _body(block):
    """The entry without its comments: what the translation is."""
    return "\n".join(line for line in block.splitlines() if not line.startswith("#"))


def merge(base, ours, theirs):
    """Merged text and the msgids changed differently on both sides."""
    _, b = parse(base)
    header, o = parse(ours)
    _, t = parse(theirs)
    result, conflicts = {}, []
    for key in set(o) | set(t):
        ob, tb, bb = o.get(key), t.get(key), b.get(key)
        if ob is not None and tb is not None:
            if _body(ob) == _body(tb) or (bb is not None and _body(tb) == _body(bb)):
                result[key] = ob
            elif bb is not None and _body(ob) == _body(bb):
                result[key] = tb
            else:
                result[key] = ob
                conflicts.append(key)
        elif ob is not None:  # absent in theirs: added by us, or removed by them
            if bb is None or _body(bb) != _body(ob):
                result[key] = ob
        elif tb is not None:  # absent in ours: added by them, or removed by us
            if bb is None or _body(bb) != _body(tb):
                result[key] = tb
    parts = [header] if header else []
    parts += [result[key] for key in sorted(result)]
    return "\n\n".join(parts) + "\n", sorted(conflicts)


def main(argv):
    base, ours, theirs = (Path(p) for p in argv[1:4])
    read = lambda p: p.read_text(encoding="utf-8") if p.exists() else ""  # noqa: E731
    text, conflicts = merge(read(base), read(ours), read(theirs))
    ours.write_text(text, encoding="utf-8")
    for key in conflicts:
        print(f"po_merge: {ours}: both sides changed {key.strip()}", file=sys.stderr)
    return 1 if conflicts else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
