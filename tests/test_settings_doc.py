"""One settings helper: every environment variable is declared once and documented in one table."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from dongthap.qlvb.utils import settings as helper
from dongthap.qlvb.utils.settings import SettingError

REPO = Path(__file__).resolve().parents[1]
#: a variable as the code names it: in quotes, after ``$``/``${``, or set with ``=`` (not Python names,
#: not PDF field names such as ``QLVB_CaNhan``)
VARIABLE = re.compile(r"""(?:["'$]|\$\{)(QLVB_[A-Z0-9_]*[A-Z0-9])\b(?![a-z])|\b(QLVB_[A-Z0-9_]*[A-Z0-9])=""")


def load_script(name: str):
    """Import ``scripts/<name>.py`` (``scripts/`` is not a package)."""
    spec = importlib.util.spec_from_file_location(f"qlvb_script_{name}", REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _declared():
    names, prefixes = set(), []
    for group in helper.all_groups():
        for setting in group.settings:
            if setting.pattern:
                prefixes.append(setting.env.split("<", 1)[0].rstrip("_"))
            else:
                names.add(setting.env)
    return names, tuple(prefixes)


def test_docs_settings_md_is_the_table_of_the_declarations():
    committed = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    expected = load_script("settings_doc").render()
    assert committed == expected, "docs/settings.md is out of date: run scripts/settings_doc.py"
    names, _prefixes = _declared()
    for name in names:
        assert f"| `{name}` |" in committed, name


def test_every_variable_read_by_the_code_is_declared():
    """A new ``QLVB_…`` variable in the package or the scripts must be declared (and so documented)."""
    names, prefixes = _declared()
    roots = [REPO / "src" / "dongthap", REPO / "scripts", REPO / "Makefile", REPO / "instance"]
    files = [p for root in roots for p in ([root] if root.is_file() else root.rglob("*"))
             if p.is_file() and p.suffix in ("", ".py", ".zcml", ".in", ".cfg") and "locales" not in p.parts]
    undeclared = {}
    for path in files:
        for match in VARIABLE.finditer(path.read_text(encoding="utf-8", errors="replace")):
            name = match.group(1) or match.group(2)
            if name not in names and not name.startswith(prefixes):
                undeclared.setdefault(name, str(path.relative_to(REPO)))
    assert not undeclared, undeclared


def test_environment_wins_and_sources_say_so(monkeypatch):
    from dongthap.qlvb.antivirus import settings

    monkeypatch.setenv("QLVB_CLAMD", "tcp://127.0.0.1:3310")
    monkeypatch.setenv("QLVB_CLAMD_TIMEOUT", "12.5")
    monkeypatch.setenv("QLVB_CLAMD_MAX_SIZE", "3M")
    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "off")
    values = settings.settings_values()
    assert values["clamd_address"] == "tcp://127.0.0.1:3310"
    assert values["timeout"] == 12.5 and values["max_stream_size"] == 3 * 1024 * 1024
    assert values["max_size_mb"] == 50  # the record keeps its unit
    assert values["enabled"] is False
    assert values["sources"]["timeout"] == "QLVB_CLAMD_TIMEOUT"
    assert values["sources"]["degraded"] == "default"  # never from the environment


@pytest.mark.parametrize(("name", "value"), [
    ("QLVB_CLAMD_TIMEOUT", "soon"), ("QLVB_CLAMD_TIMEOUT", "0"),
    ("QLVB_CLAMD_MAX_SIZE", "50 MB"), ("QLVB_CLAMD_ENABLED", "maybe"),
])
def test_a_bad_value_is_a_clear_error_naming_the_variable(monkeypatch, name, value):
    from dongthap.qlvb.antivirus import settings

    monkeypatch.setenv(name, value)
    with pytest.raises(SettingError) as info:
        settings.get_config()
    assert info.value.env == name and name in str(info.value)
    assert info.value.message.mapping["name"] == name and info.value.message.mapping["value"] == value


def test_the_error_reads_in_vietnamese(integration, monkeypatch):
    from zope.i18n import translate

    monkeypatch.setenv("QLVB_CLAMD_TIMEOUT", "soon")
    from dongthap.qlvb.antivirus import settings

    with pytest.raises(SettingError) as info:
        settings.settings_values()
    text = translate(info.value.message, target_language="vi")
    assert text == ('Biến môi trường QLVB_CLAMD_TIMEOUT có giá trị "soon" không hợp lệ: '
                    "cần một số lớn hơn 0.")


def test_exchange_package_limit_falls_back_and_env_only_values_stay_apart(monkeypatch):
    from dongthap.qlvb.exchange import settings

    monkeypatch.setenv("QLVB_EXCHANGE_MAX_PACKAGE_MB", "0")
    monkeypatch.setenv("QLVB_AXIS_SECRET", "s3cret")
    assert settings.max_package_mb() == settings.DEFAULT_MAX_PACKAGE_MB
    values = settings.values()  # a bad environment-only value does not break the record settings
    assert "s3cret" not in values.values() and "QLVB_AXIS_SECRET" not in values
    monkeypatch.setenv("QLVB_EXCHANGE_MAX_PACKAGE_MB", "7")
    assert settings.max_package_size() == 7 * 1024 * 1024


def test_deployment_defaults_of_the_scripts(monkeypatch):
    from dongthap.qlvb.utils.deployment import SETTINGS

    for name in ("QLVB_PORT", "QLVB_DEMO", "QLVB_SITE_ID"):
        monkeypatch.delenv(name, raising=False)
    assert (SETTINGS.value("QLVB_PORT"), SETTINGS.value("QLVB_DEMO"), SETTINGS.value("QLVB_SITE_ID")) \
        == (8080, True, "qlvb")
    monkeypatch.setenv("QLVB_DEMO", "0")
    assert SETTINGS.value("QLVB_DEMO") is False
