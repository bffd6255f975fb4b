"""One way to declare and read a setting: a registry record, overridden by an environment variable.

A setting is declared once, next to the code that uses it::

    ANTIVIRUS = SettingsGroup(
        "Antivirus", interface=IAntivirusSettings, prefix="dongthap.qlvb.antivirus",
        settings=(Setting("QLVB_CLAMD_TIMEOUT", record="timeout", parse=number,
                          doc="Time limit of one scan (seconds)."),))

and read with :meth:`SettingsGroup.read` (every record of the group, the
environment winning, with where each value came from) or
:meth:`SettingsGroup.value` (one setting).  A value the environment gives
that its parser refuses raises :class:`SettingError`, whose translatable
``message`` names the variable, the value and what is expected.

``docs/settings.md`` is the one table of every setting; ``scripts/settings_doc.py``
writes it from the declarations of :data:`GROUP_MODULES` and a test fails when
the table and the code differ.  Nothing here needs Plone: without a registry
(scripts, unit tests, a site before its profile ran) the records read as their
defaults.
"""

from __future__ import annotations

import importlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from dongthap.qlvb.i18n import _

logger = logging.getLogger("dongthap.qlvb.settings")

#: The modules that declare settings groups (a module-level ``SETTINGS``), in the order of the table.
GROUP_MODULES = (
    "dongthap.qlvb.utils.deployment",
    "dongthap.qlvb.security.web",
    "dongthap.qlvb.antivirus.settings",
    "dongthap.qlvb.signing.settings",
    "dongthap.qlvb.exchange.settings",
    "dongthap.qlvb.audit.settings",
    "dongthap.qlvb.notifications.settings",
    "dongthap.qlvb.reports.jobs",
    "dongthap.qlvb.workcalendar.settings",
)

MB = 1024 * 1024


class SettingError(ValueError):
    """An environment variable holds a value its setting cannot use (``message`` is translatable)."""

    def __init__(self, env: str, raw: str, expected) -> None:
        self.env = env
        self.raw = raw
        self.expected = expected
        self.message = _(
            "error_setting_value",
            default="The environment variable ${name} holds \"${value}\", which is not valid: "
                    "expected ${expected}.",
            mapping={"name": env, "value": raw, "expected": expected},
        )
        super().__init__(f"{env}={raw!r}: expected {getattr(expected, 'default', None) or expected}")


# -- parsers: text -> value, ValueError with ``expected`` when refused ----------------------------

@dataclass(frozen=True)
class Parser:
    """A function from the environment's text to the value, and what it expects (for errors and docs)."""

    function: Callable[[str], object]
    expected: object  # an i18n message
    kind: str  # one word for the table

    def __call__(self, text: str):
        return self.function(text)


def _size(text: str) -> int:
    text = text.strip().upper()
    for suffix, factor in (("M", MB), ("K", 1024)):
        if text.endswith(suffix):
            return int(text[:-1]) * factor
    return int(text)


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"not a boolean: {text!r}")


def _positive_int(text: str) -> int:
    value = int(text)
    if value <= 0:
        raise ValueError(f"not positive: {text!r}")
    return value


def _positive_number(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise ValueError(f"not positive: {text!r}")
    return value


text = Parser(str, _("setting_expect_text", default="a text"), "text")
boolean = Parser(_bool, _("setting_expect_boolean", default="1, true, yes, on or 0, false, no, off"),
                 "boolean")
positive_int = Parser(_positive_int, _("setting_expect_positive_int", default="a whole number above 0"),
                      "whole number")
positive_number = Parser(_positive_number, _("setting_expect_positive_number", default="a number above 0"),
                         "number")
size = Parser(_size, _("setting_expect_size", default="a number of bytes, or with K or M (e.g. 50M)"),
              "size")


# -- declarations -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Setting:
    """One environment variable, with the registry record it overrides (if any).

    ``record`` is a field of the group's registry interface (its default is
    the setting's default) or ``""`` for an environment-only setting, whose
    ``default`` is given here.  ``shown_default`` is how the default reads in
    the table when the value itself says little (e.g. a long policy).
    ``doc`` is the English line of the table.  ``pattern`` marks a family of
    variables (``QLVB_SEAL_<K>_P12``) documented here and read by its module.
    """

    env: str
    doc: str
    record: str = ""
    parse: Parser = text
    default: object = None
    shown_default: str = ""
    pattern: bool = False

    def from_environment(self, environ=None):
        """``(True, value)`` when the environment sets it (non-blank), else ``(False, None)``."""
        raw = (environ if environ is not None else os.environ).get(self.env, "")
        if not raw.strip():
            return False, None
        try:
            return True, self.parse(raw.strip())
        except (TypeError, ValueError) as exc:
            raise SettingError(self.env, raw.strip(), self.parse.expected) from exc


@dataclass
class SettingsGroup:
    """The settings of one part of the system, with their registry interface (if any)."""

    title: str
    settings: tuple = ()
    interface: object = None
    prefix: str = ""
    _by_env: dict = field(init=False, repr=False)

    def __post_init__(self):
        self._by_env = {s.env: s for s in self.settings}

    def __getitem__(self, env: str) -> Setting:
        return self._by_env[env]

    def proxy(self):
        """The registry proxy of the interface, or None outside a site / before the profile ran."""
        if self.interface is None:
            return None
        try:
            from plone.registry.interfaces import IRegistry
            from zope.component import queryUtility

            registry = queryUtility(IRegistry)
            if registry is None:
                return None
            return registry.forInterface(self.interface, prefix=self.prefix, check=False)
        except Exception:  # noqa: BLE001 - records missing (old site): defaults + environment
            logger.debug("registry records of %s not available", self.prefix, exc_info=True)
            return None

    def record_default(self, setting: Setting):
        return self.interface[setting.record].default if setting.record else setting.default

    def registry_values(self, proxy=None) -> dict:
        """Every field of the interface: its registry value, or its default when unset or missing."""
        values = {}
        for name in self.interface.names() if self.interface is not None else ():
            default = self.interface[name].default
            try:
                value = getattr(proxy, name) if proxy is not None else default
            except (KeyError, AttributeError):
                value = default
            values[name] = default if value is None else value
        return values

    def read(self, proxy=None, environ=None) -> tuple[dict, dict]:
        """``(values, sources)``: the registry records with the environment's overrides.

        ``sources`` says, per record, ``registry``/``default`` or the name of
        the environment variable that set it.  Environment-only settings are
        not part of it: read them one by one with :meth:`value`.
        """
        values = self.registry_values(proxy)
        sources = dict.fromkeys(values, "registry" if proxy is not None else "default")
        for setting in self.settings:
            if not setting.record:
                continue
            found, value = setting.from_environment(environ)
            if found:
                values[setting.record], sources[setting.record] = value, setting.env
        return values, sources

    def value(self, env: str, proxy=None, environ=None):
        """The value in force of the setting named by its variable ``env``."""
        setting = self._by_env[env]
        found, value = setting.from_environment(environ)
        if found:
            return value
        if setting.record:
            return self.registry_values(proxy if proxy is not None else self.proxy())[setting.record]
        return setting.default


def all_groups() -> list[SettingsGroup]:
    """The declared groups, in the order of :data:`GROUP_MODULES`."""
    return [importlib.import_module(name).SETTINGS for name in GROUP_MODULES]


def _cell(value) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _default_text(group: SettingsGroup, setting: Setting) -> str:
    if setting.shown_default:
        return setting.shown_default
    default = group.record_default(setting)
    if isinstance(default, bool):
        return "`1`" if default else "`0`"
    if default in (None, ""):
        return "(empty)"
    return f"`{default}`"


def markdown_table() -> str:
    """The one table of ``docs/settings.md`` (variable, record, type, default, meaning)."""
    lines = [
        "| variable | control panel record | type | default | meaning |",
        "|---|---|---|---|---|",
    ]
    for group in all_groups():
        for setting in group.settings:
            record = f"`{group.prefix}.{setting.record}`" if setting.record else "—"
            lines.append("| " + " | ".join((
                f"`{setting.env}`", record, _cell(setting.parse.kind),
                _cell(_default_text(group, setting)), f"**{group.title}.** " + _cell(setting.doc),
            )) + " |")
    return "\n".join(lines) + "\n"
