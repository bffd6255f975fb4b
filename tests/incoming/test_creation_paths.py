"""One way for an incoming document to come to exist, whichever path a user takes.

A clerk using Plone's generic "Thêm mới → Văn bản đến" used to get a document
without ``arrival_date``; registering it broke the agency's register
(``register_rows`` raised ``TypeError``).
"""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import queries
from pathlib import Path
from plone import api
from plone.namedfile.file import NamedBlobFile
from tests.incoming.helpers import form_values

import datetime
import re

SRC = Path(__file__).resolve().parents[2] / "src" / "dongthap" / "qlvb"


def _agency(portal):
    return portal["so-tttt"]


def _registered(portal, **overrides):
    agency = _agency(portal)
    with api.env.adopt_user(username="stttt.vanthu"):
        result = incoming.create(agency, incoming.clean(form_values(**overrides)), register=True)
    return portal.unrestrictedTraverse(result["path"])


def test_generic_add_gets_the_system_fields_and_the_register_works(portal):
    first = _registered(portal, code_number="301")
    agency = _agency(portal)
    folder = incoming.incoming_root(agency, create=True)
    with api.env.adopt_user(username="stttt.vanthu"):
        doc = api.content.create(
            container=folder, type="IncomingDocument", title="Thêm bằng form chung của Plone",
            document_type="cong_van", code_number="302", issued_date=datetime.date.today(),
            issuing_agency_name="Sở Tài chính", urgency="thuong", source="paper",
            file=NamedBlobFile(data=make_pdf(["Hai trang"], pages=2), filename="chung.pdf",
                               contentType="application/pdf"))
        assert doc.arrival_date is not None
        assert doc.arrival_year == incoming.now().year
        assert doc.page_amount == 2
        assert [t["action"] for t in doc.qlvb_trail] == ["create"]
        incoming.transition(doc, "register")
    rows = queries.register_rows(agency)
    numbers = [r["arrival_number"] for r in rows]
    assert first.arrival_number in numbers and doc.arrival_number in numbers
    row = next(r for r in rows if r["arrival_number"] == doc.arrival_number)
    assert row["arrival_date"] == incoming.fmt_date(doc.arrival_date)


def test_registers_survive_a_document_without_dates(portal):
    """Data stored before the fix: a registered document without arrival date."""
    first = _registered(portal, code_number="311")
    legacy = _registered(portal, code_number="312")
    legacy.arrival_date = None
    legacy.reindexObject()
    agency = _agency(portal)
    rows = queries.register_rows(agency)
    by_number = {r["arrival_number"]: r for r in rows}
    assert by_number[legacy.arrival_number]["arrival_date"] == ""
    assert by_number[first.arrival_number]["arrival_date"] == incoming.fmt_date(first.arrival_date)
    tracking = queries.tracking_rows(agency)
    assert {first.arrival_number, legacy.arrival_number} <= {r["arrival_number"] for r in tracking}


def test_documents_are_constructed_in_one_place_per_type():
    """Every creation path calls the factory of its type: no other construction in the code."""
    pattern = re.compile(r"""createContent\(\s*["'](Incoming|Outgoing)Document["']""")
    found = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if pattern.search(p.read_text()))
    assert found == ["incoming/factory.py", "outgoing/factory.py"]


def test_upgrade_gives_old_documents_their_creation_time_as_arrival_date(portal):
    from dongthap.qlvb.upgrades.v1004_docs import incoming_arrival_dates

    old = _registered(portal, code_number="321")
    old.arrival_date = None  # as the generic add form left it
    old.reindexObject()
    incoming_arrival_dates(None)
    assert old.arrival_date == old.created().asdatetime()
    assert incoming.fmt_date(old.arrival_date) in [r["arrival_date"] for r in
                                                   queries.register_rows(_agency(portal))]
    brain = api.content.find(UID=api.content.get_uuid(old), unrestricted=True)[0]
    assert brain.qlvb_arrival_day == old.arrival_day()


def test_documents_received_by_the_exchange_worker_name_the_system(portal):
    from dongthap.qlvb.exchange.worker import SYSTEM_USER
    from dongthap.qlvb.incoming import handling
    from dongthap.qlvb.incoming.factory import new_incoming_document
    from zope.i18n import translate

    with api.env.adopt_user(username="stttt.vanthu"):
        values = incoming.clean(form_values(code_number="331"))
        doc = new_incoming_document(_agency(portal), values, actor=SYSTEM_USER, comment="Nhận qua trục")
        shown = handling.info(doc)["trail"]
    assert [translate(t["fullname"], target_language="vi") for t in shown] == ["Hệ thống"]
