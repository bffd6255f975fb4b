#!/usr/bin/env python3
"""Keep the Vietnamese catalog of the ``dongthap.qlvb`` domain complete.

    python scripts/i18n.py check   # list msgids used in the code but untranslated (exit 1)
    python scripts/i18n.py sync    # add them to the vi catalog with an empty msgstr to fill in

Msgids are collected from Python (``_("id", default="…")``), page templates
(``i18n:translate="id"``, ``i18n:attributes``) and GenericSetup XML with
``i18n:domain="dongthap.qlvb"``. Stdlib only.
"""

from html.parser import HTMLParser
from pathlib import Path

import ast
import re
import sys

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "src" / "dongthap" / "qlvb"
PO = PKG / "locales" / "vi" / "LC_MESSAGES" / "dongthap.qlvb.po"

XML_PROPERTY = re.compile(
    r'<property name="(?:title|description)" i18n:translate="">(?P<text>[^<]+)</property>'
)


def _clean(text):
    return " ".join(text.split())


def _python_msgids(path):
    """(msgid, default) of every ``_("id", default="…")`` call, read with ``ast``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"):
            continue
        first = node.args[0] if node.args else None
        if not isinstance(first, ast.Constant) or not isinstance(first.value, str):
            continue
        default = None
        for keyword in node.keywords:
            if keyword.arg == "default" and isinstance(keyword.value, ast.Constant):
                default = keyword.value.value
        yield node.args[0].value, default


class _TemplateMessages(HTMLParser):
    """Collects (msgid, default) of ``i18n:translate`` elements; ``i18n:name`` children → ${name}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []
        self.stack = []  # [tag, msgid or None, parts or None, name-of-child or None]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        current = next((s for s in reversed(self.stack) if s[2] is not None), None)
        name = attrs.get("i18n:name")
        if name and current is not None:
            current[2].append("${%s}" % name)
        # i18n:attributes="label msgid; placeholder msgid2": the attribute's value is the default
        for part in (attrs.get("i18n:attributes") or "").split(";"):
            words = part.split()
            if words:
                value = _clean(attrs.get(words[0]) or "")
                self.found.append((words[1] if len(words) > 1 else value, value))
        translate = attrs.get("i18n:translate")
        entry = [tag, translate, [] if translate is not None else None, name]
        if tag not in ("br", "img", "input", "meta", "link", "hr"):
            self.stack.append(entry)
        elif translate is not None:
            self.found.append((translate, ""))

    def handle_endtag(self, tag):
        while self.stack:
            entry = self.stack.pop()
            if entry[2] is not None:
                default = _clean("".join(entry[2]))
                self.found.append((entry[1] or default, default))
            if entry[0] == tag:
                break

    def handle_data(self, data):
        # text inside an i18n:name child belongs to the name, not to the message
        for entry in reversed(self.stack):
            if entry[3]:
                return
            if entry[2] is not None:
                entry[2].append(data)
                return


def _template_msgids(text):
    parser = _TemplateMessages()
    parser.feed(text)
    parser.close()
    return parser.found


def collect():
    """msgid → default text used by the code of the package."""
    found = {}
    for path in PKG.rglob("*.py"):
        for msgid, default in _python_msgids(path):
            found.setdefault(msgid, default or msgid)
    for path in PKG.rglob("*.pt"):
        text = path.read_text(encoding="utf-8")
        if 'i18n:domain="dongthap.qlvb"' not in text:
            continue
        for msgid, default in _template_msgids(text):
            if msgid:
                found.setdefault(msgid, default)
    for path in (PKG / "profiles").rglob("*.xml"):
        text = path.read_text(encoding="utf-8")
        if 'i18n:domain="dongthap.qlvb"' not in text:
            continue
        for m in XML_PROPERTY.finditer(text):
            found.setdefault(_clean(m.group("text")), _clean(m.group("text")))
    return found


_ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t"}


def _unquote(line):
    """The text of one quoted .po line, its escapes (\\\\, \\", \\n, \\t) undone in one pass."""
    body = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), "\\" + m.group(1)), body)


def read_po(path=PO):
    """msgid → msgstr of a .po file (multi-line strings joined)."""
    entries, msgid, msgstr, target = {}, None, None, None
    if not path.exists():
        return entries
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if line.startswith("msgid "):
            if msgid is not None:
                entries[msgid] = msgstr
            msgid, msgstr, target = _unquote(line), "", "id"
        elif line.startswith("msgstr "):
            msgstr, target = _unquote(line), "str"
        elif line.startswith('"') and target == "id":
            msgid += _unquote(line)
        elif line.startswith('"') and target == "str":
            msgstr += _unquote(line)
    if msgid is not None:
        entries[msgid] = msgstr
    entries.pop("", None)
    return entries


def _quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def missing():
    catalog = read_po()
    return {k: v for k, v in collect().items() if not catalog.get(k)}


HEADER = PO.read_text(encoding="utf-8").split("\n\n")[0] if PO.exists() else ""


def write_po(catalog, defaults):
    """Rewrite the vi catalog sorted by msgid, with each default as a comment."""
    parts = [HEADER.rstrip("\n")]
    for msgid in sorted(catalog):
        default = defaults.get(msgid)
        comment = f"#. Default: {_quote(default)}\n" if default and default != msgid else ""
        parts.append(f"{comment}msgid {_quote(msgid)}\nmsgstr {_quote(catalog[msgid])}")
    PO.write_text("\n\n".join(parts) + "\n", encoding="utf-8")


def sync():
    """Add new msgids, fill empty ones from locales/fragments/*.po (merged, then deleted)."""
    catalog = read_po()
    defaults = collect()
    added = [k for k in defaults if k not in catalog]
    for msgid in added:
        catalog[msgid] = ""
    fragments = sorted((PKG / "locales" / "fragments").glob("*.po"))
    for fragment in fragments:
        for msgid, msgstr in read_po(fragment).items():
            if msgstr and not catalog.get(msgid):
                catalog[msgid] = msgstr
    write_po(catalog, defaults)
    print(f"{len(added)} msgid(s) added; {len(fragments)} fragment(s) merged into {PO.relative_to(ROOT)}")


def catalog_problems():
    """Empty translations and duplicate msgids in every catalog we ship."""
    problems = []
    for path in sorted((PKG / "locales").glob("*/LC_MESSAGES/*.po")):
        ids = re.findall(r'^msgid "(.*)"$', path.read_text(encoding="utf-8"), re.M)
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        problems += [f"{path.name}: duplicate msgid {d!r}" for d in duplicates]
        problems += [f"{path.name}: empty msgstr for {k!r}" for k, v in read_po(path).items() if not v]
    return problems


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "sync":
        sync()
        return 0
    todo = missing()
    for msgid, default in sorted(todo.items()):
        print(f"untranslated: {msgid!r} (default: {default!r})")
    problems = catalog_problems()
    for problem in problems:
        print(problem)
    return 1 if todo or problems else 0


if __name__ == "__main__":
    sys.exit(main())
