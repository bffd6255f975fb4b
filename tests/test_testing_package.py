"""The demo's test PKI and the test-only views live in ``dongthap.qlvb_testing``, outside production."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_settings_doc import load_script

REPO = Path(__file__).resolve().parents[1]
PKG = REPO / "src" / "dongthap" / "qlvb"
#: the only production modules that may import the testing package, and why
ALLOWED = {
    "testing.py": "the test layers load its ZCML",
    "demo/data.py": "the demo data installs the demo's test keys (never run by the default profile)",
    "demo/generator.py": "the bench data generator signs its one sample PDF with the test PKI (a bench tool, "
                         "never run by the default profile; it falls back to an unsigned PDF)",
}


def test_production_modules_do_not_import_the_testing_package():
    found = {}
    for path in PKG.rglob("*.py"):
        if re.search(r"^\s*(from|import)\s+dongthap\.qlvb_testing", path.read_text(encoding="utf-8"), re.M):
            found[str(path.relative_to(PKG))] = True
    assert set(found) == set(ALLOWED), found
    assert not list(PKG.rglob("testpki.py")) and not list(PKG.rglob("testpeers.py"))


def test_no_zcml_of_the_production_package_loads_it_nor_registers_test_views():
    for path in PKG.rglob("*.zcml"):
        text = path.read_text(encoding="utf-8")
        assert "qlvb_testing" not in text, path
        assert "qlvb-test-" not in text, path


def test_only_an_instance_rendered_for_tests_includes_it(tmp_path):
    script = load_script("instance")
    common = {"host": "127.0.0.1", "port": 8999, "threads": 1, "dsn": "", "debug": False, "environment": {}}
    demo = (script.render("demo", var=tmp_path, **common) / "site.zcml").read_text()
    tests = (script.render("tests", var=tmp_path, testing=True, **common) / "site.zcml").read_text()
    assert "qlvb_testing" not in demo
    assert '<include package="dongthap.qlvb_testing" />' in tests
    assert tests.index("qlvb_testing") > tests.index("loadProducts")

