"""Every message of the antivirus package has a Vietnamese translation (fragment or catalog)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
PKG = REPO / "src" / "dongthap" / "qlvb"
FRAGMENT = PKG / "locales" / "vi" / "LC_MESSAGES" / "dongthap.qlvb.po"
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


def _i18n():
    spec = importlib.util.spec_from_file_location("qlvb_i18n", REPO / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _antivirus_msgids(i18n):
    found = {}
    for path in (PKG / "antivirus").rglob("*.py"):
        for msgid, default in i18n._python_msgids(path):
            found.setdefault(msgid, default or "")
    for path in (PKG / "antivirus").rglob("*.pt"):
        for msgid, default in i18n._template_msgids(path.read_text(encoding="utf-8")):
            found.setdefault(msgid, default or "")
    return found


def test_every_antivirus_message_is_translated():
    i18n = _i18n()
    catalog = dict(i18n.read_po())
    catalog.update({k: v for k, v in i18n.read_po(FRAGMENT).items() if v})
    msgids = _antivirus_msgids(i18n)
    assert len(msgids) > 50
    missing = sorted(m for m in msgids if not catalog.get(m))
    assert not missing, missing


def test_placeholders_kept_and_vietnamese_diacritics():
    i18n = _i18n()
    fragment = i18n.read_po(FRAGMENT)
    for msgid, msgstr in fragment.items():
        if not msgid:
            continue
        assert msgstr, msgid
    text = FRAGMENT.read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        default = re.search(r'#\. Default: "(.*)"', block)
        msgstr = re.search(r'msgstr "(.*)"', block)
        if default and msgstr:
            assert set(PLACEHOLDER.findall(default.group(1))) == set(
                PLACEHOLDER.findall(msgstr.group(1))
            ), block
    assert fragment["heading_av_incidents"] == "Sự cố an toàn thông tin"
    assert fragment["heading_av_controlpanel"] == "Quét virus"
