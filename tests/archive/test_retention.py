"""Retention, transfer deadlines, the 30-day warning and disposal rules, with a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest

from dongthap.qlvb.archive import retention as r
from dongthap.qlvb.archive.errors import DisposalRefusedError, RetentionError


def facts(code="01.TCCB", **kw):
    kw.setdefault("end_date", dt.date(2025, 6, 30))
    kw.setdefault("retention", 10)
    kw.setdefault("state", "transferred")
    return r.DossierFacts(code=code, **kw)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Vĩnh viễn", r.PERMANENT),
        ("VĨNH VIỄN", r.PERMANENT),
        ("vinh vien", r.PERMANENT),
        ("permanent", r.PERMANENT),
        (10, 10),
        ("10", 10),
        ("20 năm", 20),
        (" 5 years ", 5),
    ],
)
def test_parse_retention(value, expected):
    assert r.parse_retention(value) == expected


@pytest.mark.parametrize("value", [0, -5, 201, "mười năm", "", None, True, 3.5, "10 tháng"])
def test_parse_retention_refuses(value):
    with pytest.raises(RetentionError) as info:
        r.parse_retention(value)
    assert info.value.message.default.startswith("Invalid retention")


def test_labels():
    assert r.retention_label("permanent") == "Vĩnh viễn"
    assert r.retention_label(70) == "70 năm"


def test_expiry_from_end_date():
    assert r.expiry_date(dt.date(2025, 6, 30), 10) == dt.date(2035, 6, 30)
    assert r.expiry_date(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)
    assert r.expiry_date(dt.date(2025, 6, 30), "Vĩnh viễn") is None
    with pytest.raises(RetentionError):
        r.expiry_date(None, 10)  # an open dossier has no expiry yet


def test_transfer_due_dates():
    assert r.transfer_due_date(dt.date(2025, 6, 30)) == dt.date(2026, 6, 30)
    # construction projects: three months after settlement, clamped to the month's end
    assert r.transfer_due_date(dt.date(2025, 11, 30), construction=True) == dt.date(2026, 2, 28)
    assert r.transfer_due_date(dt.date(2025, 3, 15), construction=True) == dt.date(2025, 6, 15)
    # held back with approval: at most two more years
    assert r.transfer_due_date(dt.date(2025, 6, 30), extension_years=2) == dt.date(2028, 6, 30)
    with pytest.raises(RetentionError):
        r.transfer_due_date(dt.date(2025, 6, 30), extension_years=3)


def test_thirty_day_warning_with_frozen_clock():
    end = dt.date(2025, 6, 30)  # due 30/06/2026, warning from 31/05/2026
    assert r.warning_date(r.transfer_due_date(end)) == dt.date(2026, 5, 31)
    cases = [
        (dt.date(2026, 5, 30), r.NOT_DUE, 31),
        (dt.date(2026, 5, 31), r.WARNING, 30),
        (dt.date(2026, 6, 30), r.WARNING, 0),
        (dt.date(2026, 7, 1), r.OVERDUE, -1),
    ]
    for day, state, left in cases:
        status = r.transfer_status(end, clock=r.frozen_clock(day))
        assert (status.state, status.days_left, status.due) == (state, left, dt.date(2026, 6, 30)), day
    assert r.transfer_status(None, clock=r.frozen_clock(dt.date(2030, 1, 1))).state == r.NO_END_DATE


def test_clock_is_vietnam_time():
    # 30/05/2026 17:30 UTC is already 31/05/2026 00:30 in Vietnam: the warning starts
    late = dt.datetime(2026, 5, 30, 17, 30, tzinfo=dt.UTC)
    assert r.today(r.frozen_clock(late)) == dt.date(2026, 5, 31)
    assert r.transfer_status(dt.date(2025, 6, 30), clock=r.frozen_clock(late)).state == r.WARNING


def test_warnings_and_overdue_by_unit():
    clock = r.frozen_clock(dt.date(2026, 6, 15))
    dossiers = [
        facts("01.VP", unit="Văn phòng", state="closed", end_date=dt.date(2025, 6, 30)),  # warning, 15 days
        facts("02.VP", unit="Văn phòng", state="closed", end_date=dt.date(2025, 1, 10)),  # overdue
        facts("03.TC", unit="Phòng Tài chính", state="open", end_date=dt.date(2025, 2, 1)),  # overdue
        facts("04.TC", unit="Phòng Tài chính", state="transferred", end_date=dt.date(2024, 1, 1)),  # done
        facts("05.TC", unit="Phòng Tài chính", state="closed", end_date=dt.date(2025, 12, 1)),  # not due
        facts(
            "06.XD", unit="Phòng Xây dựng", state="closed", end_date=dt.date(2026, 3, 1), construction=True
        ),  # due 01/06/2026: overdue
        facts("07.VP", unit="Văn phòng", state="closed", end_date=None),  # still without end
    ]
    warned = r.transfer_warnings(dossiers, clock=clock)
    assert [(f.code, s.state) for f, s in warned] == [
        ("02.VP", r.OVERDUE),
        ("03.TC", r.OVERDUE),
        ("06.XD", r.OVERDUE),
        ("01.VP", r.WARNING),
    ]
    overdue = r.overdue_by_unit(dossiers, clock=clock)
    assert {unit: [f.code for f, _s in rows] for unit, rows in overdue.items()} == {
        "Phòng Tài chính": ["03.TC"],
        "Phòng Xây dựng": ["06.XD"],
        "Văn phòng": ["02.VP"],
    }


def test_disposal_rules():
    day = dt.date(2036, 1, 1)
    ok = facts()  # 10 years from 30/06/2025: expired on 30/06/2035
    assert r.disposal_problems(ok, on=day) == []
    r.check_disposable(ok, on=day)
    assert [f.code for f in r.expired([ok, facts("02", legal_hold=True)], on=day)] == ["01.TCCB"]

    def refused(f, text):
        with pytest.raises(DisposalRefusedError) as info:
            r.check_disposable(f, on=day)
        assert text in str(info.value), str(info.value)

    refused(facts(retention="Vĩnh viễn"), "permanent")
    refused(facts(legal_hold=True), "legal hold")
    refused(facts(state="closed"), "not in the agency archive")
    refused(facts(end_date=dt.date(2030, 1, 1)), "runs until 01/01/2040")
    refused(facts(end_date=None), "no end date")
    # permanent is never disposable, however old
    assert r.disposal_problems(
        facts(retention="permanent", end_date=dt.date(1900, 1, 1)), on=dt.date(2999, 1, 1)
    )


def test_error_message_is_translatable():
    with pytest.raises(DisposalRefusedError) as info:
        r.check_disposable(facts(legal_hold=True), on=dt.date(2040, 1, 1))
    message = info.value.message
    assert message.domain == "dongthap.qlvb"
    assert message.mapping["code"] == "01.TCCB"
    assert message.mapping["reason"].default == "it is under a legal hold."


def test_facts_from_mapping():
    f = r.facts_from_mapping({"code": "X", "retention": "5", "legal_hold": True, "uid": "abc"})
    assert (f.code, f.retention, f.legal_hold, f.extra) == ("X", "5", True, {"uid": "abc"})
