"""The year registers are built from catalog brains (issue #21 item 4): the rows are those the
documents give (several states), the column is refreshed by every change, no document is woken."""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.incoming import indexers as incoming_indexers
from dongthap.qlvb.incoming import queries as incoming_queries
from dongthap.qlvb.numbering import retry
from dongthap.qlvb.outgoing import delivery
from dongthap.qlvb.outgoing import indexers as outgoing_indexers
from dongthap.qlvb.outgoing import queries as outgoing_queries
from plone import api
from Products.ZCatalog.CatalogBrains import AbstractCatalogBrain
from tests.incoming.helpers import form_values
from tests.incoming.helpers import today
from tests.outgoing.helpers import act
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft

import datetime
import pytest


@pytest.fixture
def portal(demo, monkeypatch):
    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    with retry.savepoints_only():
        yield demo


def _registered(agency, clerk, **overrides):
    with api.env.adopt_user(username=clerk):
        result = incoming.create(agency, incoming.clean(form_values(**overrides)), register=True)
    return agency.unrestrictedTraverse(result["path"])


def _assign(doc, leader, **data):
    with api.env.adopt_user(username=leader):
        handling.assign(doc, dict(data, direction="Giải quyết"))


def _user(username):
    return api.user.get(username=username)


def _name(username):
    return _user(username).getProperty("fullname")


def _fresh(catalog):
    """Every registered incoming and issued outgoing document's column is what it gives now."""
    for brain in catalog.unrestrictedSearchResults(portal_type=["IncomingDocument", "OutgoingDocument"]):
        doc = brain._unrestrictedGetObject()
        module = incoming_indexers if brain.portal_type == "IncomingDocument" else outgoing_indexers
        try:
            wanted = module.qlvb_register_values(doc, catalog)()
        except AttributeError:  # not registered / not issued: no value
            wanted = None
        assert (brain.qlvb_register_values or None) == wanted, brain.getPath()


def test_rows_of_documents_in_several_states(portal):
    tttt, snv = portal["so-tttt"], portal["so-noi-vu"]
    catalog = api.portal.get_tool("portal_catalog")
    due = (today() + datetime.timedelta(days=5)).isoformat()
    plain = _registered(tttt, "stttt.vanthu", code_number="71")  # registered, nobody assigned
    department = _registered(tttt, "stttt.vanthu", code_number="72")  # to a department, transferred on
    _assign(department, "stttt.lanhdao", lead={"user": "stttt.truongphong", "department": "cntt",
                                                "deadline": due}, fyi=["stttt.luutru"])
    with api.env.adopt_user(username="stttt.truongphong"):
        handling.assign(department, {"reassign": [{"user": "stttt.chuyenvien"}]})
    with api.env.adopt_user(username="stttt.chuyenvien"):
        handling.record_progress(department, "Đang dự thảo báo cáo", reply_notation="12/BC-STTTT")
    person = _registered(tttt, "stttt.vanthu", code_number="73")  # to a person, then completed
    _assign(person, "stttt.lanhdao", lead={"user": "stttt.chuyenvien"})
    with api.env.adopt_user(username="stttt.chuyenvien"):
        handling.record_progress(person, "Đã xử lý xong", result=True)
        incoming.transition(person, "complete", "Xong")
    # issued with recipients; Sở Nội vụ registers its copy, assigns it and answers it
    sent = chain(draft(portal, copy_holder="Lưu: VT, VP.", issued_amount=3,
                       recipients=("so-noi-vu", "so-tai-chinh")))
    copy = [b._unrestrictedGetObject() for b in catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument", path="/".join(snv.getPhysicalPath()))
        if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == api.content.get_uuid(sent)][0]
    with api.env.adopt_user(username="snv.vanthu"):
        incoming.transition(copy, "register", "")
    _assign(copy, "snv.lanhdao", lead={"user": "snv.chuyenvien"})
    with api.env.adopt_user(username="snv.chuyenvien"):
        handling.record_progress(copy, "Đang xử lý")
    reply = draft(portal, user="snv.chuyenvien", path="so-noi-vu", signer="snv.lanhdao",
                  recipients=("so-tttt",), in_reply_to=[api.content.get_uuid(copy)])
    chain(reply, prefix="snv")
    # a document replaced by a later one (the note of the outgoing register)
    replacing = chain(draft(portal, replaces=api.content.get_uuid(sent)))
    act(replacing, "stttt.lanhdao", "recall", "Sai thể thức")

    _fresh(catalog)
    rows = {r["arrival_number"]: r for r in incoming_queries.register_rows(tttt)}
    tracking = {r["arrival_number"]: r for r in incoming_queries.tracking_rows(tttt)}
    day = today().strftime("%d/%m/%Y")
    assert rows[plain.arrival_number]["recipient"] == "" and rows[plain.arrival_number]["transfer_date"] == ""
    assert rows[plain.arrival_number]["notation"] == "71/UBND-VP"
    assert rows[plain.arrival_number]["arrival_date"] == day
    assert rows[plain.arrival_number]["subject"] == f"Công văn: {plain.title}"
    cntt = tttt["cntt"].title
    assert rows[department.arrival_number]["recipient"] == f"{cntt} ({_name('stttt.truongphong')})"
    assert rows[department.arrival_number]["transfer_date"] == day
    assert rows[person.arrival_number]["recipient"] == _name("stttt.chuyenvien")
    row = tracking[department.arrival_number]
    assert row["due_date"] == datetime.date.fromisoformat(due).strftime("%d/%m/%Y")
    assert row["progress"].endswith(": Đang dự thảo báo cáo") and row["reply_notation"] == "12/BC-STTTT"
    assert row["document"] == f"Công văn số 72/UBND-VP ngày {department.issued_date.strftime('%d/%m/%Y')} " \
                              f"của {department.issuing_agency_name}"
    assert tracking[person.arrival_number]["progress"].endswith(": Đã xử lý xong")
    assert tracking[plain.arrival_number]["progress"] == "Đã vào sổ"
    numbers = [r["arrival_number"] for r in incoming_queries.register_rows(tttt)]
    assert numbers == sorted(numbers)
    answered = {r["arrival_number"]: r for r in incoming_queries.tracking_rows(snv)}[copy.arrival_number]
    assert answered["reply_notation"] == reply.notation()
    assert answered["recipient"] == _name("snv.chuyenvien")
    out = {r["notation"]: r for r in outgoing_queries.register_rows(tttt, None, None)}
    row = out[sent.notation()]
    assert row["recipients"] == "Sở Nội vụ; Sở Tài chính" and row["copies"] == 3
    assert row["copy_holder"] == "Lưu: VT, VP." and row["signer"] == _name("stttt.lanhdao")
    assert row["issued_date"] == sent.issued_date == row["transfer_date"]
    assert row["subject"] == f"Công văn: {sent.title}"
    assert row["note"] == f"Thay thế bởi {replacing.notation()}"
    assert out[replacing.notation()]["note"] == "Đã thu hồi: Sai thể thức"
    keys = [r["notation"] for r in outgoing_queries.register_rows(tttt, None, None)]
    assert keys.index(sent.notation()) < keys.index(replacing.notation())


def test_building_the_registers_wakes_no_document(portal, monkeypatch):
    tttt = portal["so-tttt"]
    doc = _registered(tttt, "stttt.vanthu")
    _assign(doc, "stttt.lanhdao", lead={"user": "stttt.truongphong", "department": "cntt"})
    chain(draft(portal))
    catalog = api.portal.get_tool("portal_catalog")
    catalog.unrestrictedSearchResults(portal_type="Agency")  # the indexing queue is processed
    looked_up = []
    real_get = api.user.get

    def counting(*args, **kwargs):
        looked_up.append(kwargs.get("userid") or kwargs.get("username"))
        return real_get(*args, **kwargs)

    def forbidden(self, *args, **kwargs):
        raise AssertionError(f"{self.getPath()} woken to build a register")

    monkeypatch.setattr(AbstractCatalogBrain, "getObject", forbidden)
    monkeypatch.setattr(AbstractCatalogBrain, "_unrestrictedGetObject", forbidden)
    monkeypatch.setattr(api.user, "get", counting)
    rows = []
    for build in (incoming_queries.register_rows, incoming_queries.tracking_rows,
                  lambda agency: outgoing_queries.register_rows(agency, None, None)):
        looked_up.clear()
        rows += build(tttt)
        assert len(looked_up) == len(set(looked_up))  # each person once per register
    assert len(rows) > 3
