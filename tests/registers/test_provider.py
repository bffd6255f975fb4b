"""The download convention shared by every register provider (no Plone needed)."""

from __future__ import annotations

import datetime as dt

import pytest

from dongthap.qlvb.registers.columns import REGISTERS
from dongthap.qlvb.registers.interfaces import IRegisterProvider
from dongthap.qlvb.registers.provider import (
    RegisterProvider,
    download_name,
    json_value,
    printed_period,
    slug,
    today,
)


@pytest.mark.parametrize(("key", "stem"), [
    ("incoming", "so-dang-ky-van-ban-den"),
    ("incoming_tracking", "so-theo-doi-giai-quyet-van-ban-den"),
    ("outgoing", "so-dang-ky-van-ban-di"),
    ("outgoing_report", "bao-cao-tinh-hinh-giai-quyet-van-ban-di"),
    ("dossier_documents", "muc-luc-van-ban-trong-ho-so"),
    ("dossiers", "muc-luc-ho-so"),
])
def test_file_names_are_the_printed_titles_without_diacritics(key, stem):
    assert slug(REGISTERS[key].title) == stem
    day = dt.date(2026, 3, 1)
    assert download_name(REGISTERS[key].title, day, day, "pdf") == f"{stem}-2026.pdf"
    assert download_name(REGISTERS[key].title, dt.date(2025, 12, 1), day, "xlsx") == f"{stem}-2025-2026.xlsx"


def test_printed_period_defaults_to_this_year_until_today():
    now = today()
    assert printed_period(None, None) == (now.replace(month=1, day=1), now)
    assert printed_period(None, dt.date(2025, 6, 30)) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert printed_period(dt.date(2024, 2, 1), None) == (dt.date(2024, 2, 1), now)


def test_json_values_print_dates_as_on_paper():
    assert json_value(dt.date(2026, 1, 5)) == "05/01/2026"
    aware = dt.datetime(2026, 1, 5, 17, 30, tzinfo=dt.UTC)
    assert json_value(aware) == "06/01/2026 00:30"
    assert json_value(7) == 7 and json_value("05/01/2026") == "05/01/2026" and json_value(None) is None


def test_a_provider_built_on_the_base_class():
    class Dossiers(RegisterProvider):
        name = "dossiers"
        permission = "dongthap.qlvb: View dossiers"
        build = staticmethod(lambda agency, start, end: [{"ordinal": 1, "title": f"{agency} {start}"}])

    provider = Dossiers("agency")
    assert IRegisterProvider.providedBy(provider)
    assert provider.register is REGISTERS["dossiers"]
    assert provider.title == REGISTERS["dossiers"].label
    assert provider.rows(dt.date(2026, 1, 1), None, {}) == [{"ordinal": 1, "title": "agency 2026-01-01"}]
    assert provider.filename(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "pdf") == "muc-luc-ho-so-2026.pdf"
