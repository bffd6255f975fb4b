"""Printable registers and lists (NĐ 30/2020 Phụ lục VI "six outputs"), without Plone.

``render_pdf(register_key, rows, *, agency_name, period_from, period_to,
printed_by=None, printed_at=None)`` and ``render_xlsx(...)`` turn rows (dicts
keyed by column keys) into a PDF (A4 landscape, Noto Serif) or an Excel
workbook.  Register keys and their legal columns are in :mod:`.columns`.

Modules: :mod:`.columns` (column sets), :mod:`.errors` (ValueError subclasses
with translatable messages), :mod:`.formatting` (dd/mm/yyyy, Vietnam time,
fixed texts), :mod:`.fonts`, :mod:`.wrap`, :mod:`.pdf`, :mod:`.xlsx` and
:mod:`.render` (the entry points).  None of them imports Plone or Zope except
``zope.i18nmessageid`` for UI labels and error messages.

The registers an agency keeps are *providers* (:mod:`.interfaces`, base class in
:mod:`.provider`, ``zope.interface`` only), registered by the capabilities that own
the data.  The Plone side is :mod:`.service` (the one ``@registers`` REST service)
and :mod:`.browser` (download pages, dashboard links); see ``docs/registers.md``.
"""

from .columns import REGISTERS, Column, Register, get_register
from .errors import (
    InvalidPeriodError,
    InvalidValueError,
    RegisterError,
    UnknownColumnError,
    UnknownRegisterError,
)
from .render import render_pdf, render_xlsx

__all__ = [
    "REGISTERS",
    "Column",
    "InvalidPeriodError",
    "InvalidValueError",
    "Register",
    "RegisterError",
    "UnknownColumnError",
    "UnknownRegisterError",
    "get_register",
    "render_pdf",
    "render_xlsx",
]
