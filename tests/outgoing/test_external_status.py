"""External recipients' statuses reach the one delivery table (page, @delivery-status, report)."""

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import queries
from plone import api
from tests.outgoing.helpers import agency
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft
from zope.i18n import translate

import datetime

VPCP = "000.00.00.G22"
VN = edxml.constants.VN_TZ


def _status(document_id, code, description, second):
    stamp = datetime.datetime.now(VN).replace(microsecond=0) + datetime.timedelta(seconds=second)
    return edxml.build_status(edxml.StatusPackage(edxml.StatusHeader(
        from_=edxml.Organization(VPCP, organ_name="Văn phòng Chính phủ"),
        response_for=edxml.ResponseFor("000.00.14.H20", "1/X", stamp.date(), document_id),
        staff_info=edxml.StaffInfo("Văn thư", "Phạm Văn D"),
        status_code=code, description=description, timestamp=stamp)))


def _row(doc):
    return {r["agency_code"]: r for r in delivery.delivery_status(doc)}[VPCP]


def test_statuses_of_an_external_recipient_update_the_delivery_table_and_report(portal):
    doc = chain(draft(portal, recipients=("so-noi-vu",),
                      external=[{"code": VPCP, "name": "Văn phòng Chính phủ"}]))
    assert api.content.get_state(doc) == "issued"
    assert _row(doc)["status"] == "queued"
    [entry] = get_store().entries_of(document_uid=api.content.get_uuid(doc))
    for second, (code, text) in enumerate([("01", "Đã đến"), ("03", "Đã vào sổ số 125")]):
        with system_user(portal):
            outcome = process_package(portal, _status(entry.document_id, code, text, second),
                                      source_id=f"st{code}")
        assert outcome.result == "status"
    row = _row(doc)
    assert row["status"] == "registered" and row["kind"] == "external"
    assert translate(row["status_title"], target_language="vi") == "Đã vào sổ"
    assert [h["status"] for h in row["history"]] == ["queued", "delivered", "registered"]
    assert row["history"][-1]["note"] == "Đã vào sổ số 125" and row["history"][-1]["code"] == "03"
    [report] = [r for r in queries.report_rows(agency(portal), None, None) if r["notation"] == doc.notation()]
    assert "Văn phòng Chính phủ: Đã vào sổ" in report["status"]
    # a refusal is shown as such
    with system_user(portal):
        process_package(portal, _status(entry.document_id, "02", "Gửi nhầm cơ quan", 5), source_id="st02")
    assert _row(doc)["status"] == "refused"
