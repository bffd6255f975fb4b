"""Every number of the reports on the known dataset (tests/reports/dataset.py), through the API
the pages and ``@reports`` call, with the clock fixed by the period (Q1 2026, long past) and, for
the dashboard, by the day given."""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.reports import api as reports
from plone import api
from tests.reports import dataset as D

import datetime
import pytest

START, END = D.Q1


def _rows(result):
    return {r["agency_uid"]: r for r in result["rows"]}


def _keys(docs, rows):
    uids = {api.content.get_uuid(doc): key for key, doc in docs.items()}
    return {uids[item["uid"]] for item in rows["items"]}


def test_province_edoc_report_every_cell(demo, data):
    with api.env.adopt_user(username="qtht"):
        result = reports.edoc_report(demo, START, END)
    rows = _rows(result)
    agencies = {b.UID: b for b in api.content.find(portal_type="Agency", unrestricted=True)}
    assert set(rows) == set(agencies)  # one row per agency of the province
    for path, expected in D.EXPECTED_EDOC.items():
        row = rows[api.content.get_uuid(demo[path])]
        for direction in ("received", "sent"):
            got = {k: row[direction][k] for k in D.ZERO}
            assert got == expected[direction], (path, direction)
    known = {api.content.get_uuid(demo[p]) for p in D.EXPECTED_EDOC}
    others = [r for uid, r in rows.items() if uid not in known]
    assert all({k: r[d][k] for k in D.ZERO} == D.ZERO for r in others for d in ("received", "sent"))
    totals = result["totals"]
    for direction in ("received", "sent"):
        for key in D.ZERO:
            assert totals[direction][key] == sum(e[direction][key] for e in D.EXPECTED_EDOC.values())
    assert totals["received"]["by_type"] == {"cong_van": 5, "quyet_dinh": 1, "ke_hoach": 1}
    assert totals["received"]["by_urgency"] == {"thuong": 5, "khan": 1, "hoa_toc": 1}
    assert totals["sent"]["by_type"] == {"cong_van": 1, "to_trinh": 1, "bao_cao": 1}
    assert totals["sent"]["by_urgency"] == {"thuong": 2, "khan": 1}


def test_agency_edoc_report_and_drill_down(demo, data):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="stttt.lanhdao"):
        result = reports.edoc_report(agency, START, END)
        assert [r["agency_code"] for r in result["rows"]] == ["000.00.14.H20"]
        assert result["totals"]["received"]["by_type"] == D.EXPECTED_TYPES_RECEIVED
        assert result["totals"]["received"]["by_urgency"] == D.EXPECTED_URGENCY_RECEIVED
        legal = reports.edoc_documents(agency, START, END, "received", "legal")
        assert _keys(data, legal) == {"I1", "I4", "I8"}
        assert _keys(data, reports.edoc_documents(agency, START, END, "sent", "axis")) == {"O1"}
        assert _keys(data, reports.edoc_documents(agency, START, END, "received", "paper")) == {"I3"}
        with pytest.raises(QlvbError) as bad:
            reports.edoc_documents(agency, START, END, "received", "nonsense")
        assert bad.value.status == 400


def test_province_admin_reads_counts_never_documents(demo, data):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="qtht"):
        result = reports.edoc_report(agency, START, END)  # the agency's counts
        assert result["rows"][0]["received"]["total"] == 6
        with pytest.raises(QlvbError) as refused:
            reports.edoc_documents(agency, START, END, "received", "total")
        assert refused.value.status == 403
        with pytest.raises(QlvbError) as refused:
            reports.processing_report(agency, "incoming", START, END)
        assert refused.value.status == 403


@pytest.mark.parametrize("user", ["stttt.vanthu", "stttt.chuyenvien", "snv.lanhdao", "stttt.luutru"])
def test_refusals(demo, data, user):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username=user):
        for call in (lambda: reports.edoc_report(demo, START, END),
                     lambda: reports.edoc_report(agency, START, END),
                     lambda: reports.processing_report(agency, "incoming", START, END),
                     lambda: reports.dashboard(agency)):
            with pytest.raises(QlvbError) as refused:
                call()
            assert refused.value.status == 403


def test_incoming_processing_report(demo, data):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="stttt.lanhdao"):
        result = reports.processing_report(agency, "incoming", START, END,
                                           as_of=datetime.date(2026, 12, 6))
    assert result["as_of"] == END
    assert result["counts"] == D.EXPECTED_PROCESSING
    for bucket, keys in D.EXPECTED_BUCKET_DOCS.items():
        assert _keys(data, result["lists"][bucket]) == keys, bucket
    # the same period seen on 15/03 (before I4, I5 arrived and I3 was overdue)
    with api.env.adopt_user(username="stttt.lanhdao"):
        early = reports.processing_report(agency, "incoming", START, datetime.date(2026, 3, 15),
                                          as_of=datetime.date(2026, 3, 15))
    assert early["counts"] == {"total": 5, "on_time": 1, "late": 1, "overdue": 0, "in_progress": 3}


def test_outgoing_processing_report(demo, data):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="stttt.lanhdao"):
        result = reports.processing_report(agency, "outgoing", START, END)
    assert result["counts"] == D.EXPECTED_OUTGOING
    for bucket, keys in D.EXPECTED_OUTGOING_DOCS.items():
        # O4 is still a draft: counted, but only its drafter may open it, so the leader's list lacks it
        visible = keys - {"O4"}
        assert _keys(data, result["lists"][bucket]) == visible, bucket


def test_department_head_sees_his_unit_only(demo, data):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="stttt.lanhdao"):
        vp = reports.processing_report(agency, "incoming", START, END, department="vp", lists=False)
        with pytest.raises(QlvbError) as bad:
            reports.processing_report(agency, "incoming", START, END, department="nope")
        assert bad.value.status == 400
    assert vp["counts"] == D.EXPECTED_PROCESSING_VP
    with api.env.adopt_user(username="stttt.truongphong"):  # member of every department of the agency
        head = reports.processing_report(agency, "incoming", START, END, department="vp", lists=False)
    assert head["counts"] == D.EXPECTED_PROCESSING_VP
    from dongthap.qlvb.agencies import departments as deps

    with api.env.adopt_roles(["Manager"]):
        api.group.remove_user(groupname=deps.members_group_id(agency["vp"]), username="stttt.truongphong")
    with api.env.adopt_user(username="stttt.truongphong"):
        with pytest.raises(QlvbError) as refused:
            reports.processing_report(agency, "incoming", START, END, department="vp")
    assert refused.value.status == 403


def test_dashboard(demo, data):
    agency = demo["so-tttt"]
    with api.env.adopt_user(username="stttt.lanhdao"):
        board = reports.dashboard(agency, day=datetime.date(2026, 4, 10))
    depts = {d["id"]: (d["open"], d["overdue"]) for d in board["departments"]}
    # open on 10/04: I3 (vp, due 20/03), I4 (cntt, due 10/04: not yet late), I8 (cntt, due 01/04)
    assert depts == {"vp": (1, 1), "cntt": (2, 1), "bcvt": (0, 0)}
    people = {p["userid"]: (p["open"], p["overdue"]) for p in board["people"]}
    assert people == {"stttt.chuyenvien": (1, 1), "stttt.truongphong": (2, 1)}
    trend = {t["month"]: t for t in board["trend"]}
    assert len(board["trend"]) == 12 and board["trend"][-1]["month"] == datetime.date(2026, 4, 1)
    jan, feb, mar, apr = (trend[datetime.date(2026, m, 1)] for m in (1, 2, 3, 4))
    assert (jan["received"], jan["completed"], jan["late"], jan["issued"]) == (2, 1, 0, 1)
    assert (feb["received"], feb["completed"], feb["late"], feb["issued"]) == (1, 1, 1, 1)
    assert (mar["received"], mar["completed"], mar["late"], mar["issued"]) == (3, 0, 0, 1)
    assert (apr["received"], apr["completed"], apr["late"], apr["issued"]) == (0, 1, 1, 1)
    dec = trend[datetime.date(2025, 12, 1)]
    assert dec["received"] == 1  # I6
    with api.env.adopt_user(username="stttt.truongphong"):  # a department head: one department
        mine = reports.dashboard(agency, department="cntt", day=datetime.date(2026, 4, 10))
    assert [(d["id"], d["open"], d["overdue"]) for d in mine["departments"]] == [("cntt", 2, 1)]
    assert {p["userid"] for p in mine["people"]} <= {"stttt.truongphong", "stttt.chuyenvien"}


def test_periods():
    form = {"year": "2026", "quarter": "2"}
    assert reports.period(form) == (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    assert reports.period({"from": "01/02/2026", "to": "2026-02-28"}) == (
        datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    for bad in ({"year": "20x6"}, {"year": "2026", "quarter": "5"}, {"from": "31/02/2026"},
                {"from": "02/02/2026", "to": "01/02/2026"}):
        with pytest.raises(QlvbError) as problem:
            reports.period(bad)
        assert problem.value.status == 400
