""""Gửi bổ sung": the issuing agency's clerk sends an issued document to more recipients.

Internal added recipients get a received copy as at issue; a new external recipient gets the
document (business type 0); the external recipients that already got it get an update
(business type 2) whose ``ReceiverList`` names the added ones with ReceiverType 1, and the
receiving side (our own inbox) accepts it without changing its copy.
"""

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing import delivery
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.outgoing.helpers import chain
from tests.outgoing.helpers import draft
from tests.outgoing.helpers import payload
from tests.outgoing.helpers import session
from tests.outgoing.helpers import uid_of

import pytest
import transaction

SNV = "000.00.09.H20"  # Sở Nội vụ, reached through the axis in these tests (as in the replace test)
VPCP = {"code": "000.00.00.G22", "name": "Văn phòng Chính phủ"}
BTTTT = {"code": "000.00.00.G12", "name": "Bộ Thông tin và Truyền thông"}


def _entries(portal, doc):
    return sorted(get_store(portal).entries_of(document_uid=api.content.get_uuid(doc)),
                  key=lambda e: e.queued_ns)


def _add(doc, user="stttt.vanthu", internal=(), external=()):
    with api.env.adopt_user(username=user):
        return delivery.add_recipients(doc, list(internal), list(external))


def _incoming_copies(portal, doc, agency_path):
    root = portal.unrestrictedTraverse(agency_path)
    return [b for b in api.content.find(context=root, portal_type="IncomingDocument", unrestricted=True)
            if getattr(b._unrestrictedGetObject(), delivery.SOURCE_ATTR, None) == api.content.get_uuid(doc)]


# ---------------------------------------------------------------- through the api (the page calls it too)


def test_added_recipients_get_the_document_and_the_earlier_ones_an_update(portal):
    doc = chain(draft(portal, recipients=("so-tai-chinh",), external=[VPCP], title="V/v họp giao ban"))
    [first] = _entries(portal, doc)
    assert (first.recipient, first.business_type) == (VPCP["code"], edxml.DOCTYPE_NEW)
    assert _incoming_copies(portal, doc, "xa-my-tho") == []

    rows = _add(doc, internal=[uid_of(portal, "xa-my-tho")], external=[f"{BTTTT['code']}|{BTTTT['name']}"])

    assert {(r["agency_code"], r["status"]) for r in rows} == {("000.31.10.H20", "delivered"),
                                                              (BTTTT["code"], "queued")}
    # the internal recipient got a received copy, as at issue; the delivery table shows it
    [copy] = _incoming_copies(portal, doc, "xa-my-tho")
    assert api.content.get_state(copy._unrestrictedGetObject()) == "received"
    table = {r["agency_code"]: r["status"] for r in delivery.delivery_status(doc)}
    assert table == {"000.00.06.H20": "delivered", "000.31.10.H20": "delivered",
                     VPCP["code"]: "queued", BTTTT["code"]: "queued"}
    # the exchange: the document to the new one, an update to the one that had it
    later = [e for e in _entries(portal, doc) if e.id != first.id]
    by_recipient = {(e.recipient, e.business_type): e for e in later}
    assert set(by_recipient) == {(BTTTT["code"], edxml.DOCTYPE_NEW), (VPCP["code"], edxml.DOCTYPE_UPDATE)}
    new = edxml.parse(by_recipient[(BTTTT["code"], edxml.DOCTYPE_NEW)].package)
    assert [o.organ_id for o in new.message_header.to] == [BTTTT["code"]]
    assert new.message_header.document_id == first.document_id and new.attachments
    assert set(new.message_header.to_places) == {VPCP["name"], BTTTT["name"]}
    update = edxml.parse(by_recipient[(VPCP["code"], edxml.DOCTYPE_UPDATE)].package)
    assert [o.organ_id for o in update.message_header.to] == [VPCP["code"]]
    business = update.trace_header_list.bussiness
    assert business.bussiness_doc_type == edxml.DOCTYPE_UPDATE
    assert business.document_id == first.document_id
    info = business.document_info
    assert (info.document_info, info.document_receiver) == ("0", "1")
    assert [(r.organ_id, r.receiver_type) for r in info.receiver_list] == [(BTTTT["code"], 1)]
    # the act is in the document's trail
    [trail] = [t for t in outgoing.info(doc)["trail"] if t["action"] == "add_recipients"]
    assert "UBND xã Mỹ Thọ" in trail["comment"] and BTTTT["name"] in trail["comment"]
    assert trail["actor"] == "stttt.vanthu"


def test_internal_only_addition_sends_nothing_to_the_axis(portal):
    doc = chain(draft(portal, recipients=("so-tai-chinh",), external=[VPCP]))
    before = len(_entries(portal, doc))
    _add(doc, internal=["phuong-cao-lanh"])  # an agency may be named by its id, code or UID
    assert len(_entries(portal, doc)) == before
    assert len(_incoming_copies(portal, doc, "phuong-cao-lanh")) == 1


def test_update_package_parses_and_our_inbox_accepts_it_without_changing_the_copy(portal):
    """End to end: the receiver that already had the document reads the type 2 package."""
    external = [{"code": SNV, "name": "Sở Nội vụ"}]
    doc = chain(draft(portal, recipients=("so-tai-chinh",), external=external, title="V/v kế hoạch"))
    [first] = _entries(portal, doc)
    with system_user(portal):
        received = portal.unrestrictedTraverse(
            process_package(portal, first.package, source_id="ax-add-1").documents[0])
    title = received.title
    _add(doc, external=[VPCP])
    [update] = [e for e in _entries(portal, doc) if e.business_type == edxml.DOCTYPE_UPDATE]
    pkg = edxml.parse(update.package)  # our own reader, strict
    assert [(r.organ_id, r.receiver_type)
            for r in pkg.trace_header_list.bussiness.document_info.receiver_list] == [(VPCP["code"], 1)]
    with system_user(portal):
        outcome = process_package(portal, update.package, source_id="ax-add-2")
    assert outcome.result == "updated"
    assert received.title == title
    assert any(VPCP["code"] in t["comment"] for t in received.qlvb_trail)


def test_refusals_change_nothing(portal):
    doc = draft(portal, recipients=("so-tai-chinh",), external=[VPCP])
    with pytest.raises(outgoing.OutgoingError) as info:  # a draft is not issued
        _add(doc, user="stttt.vanthu", internal=["xa-my-tho"])
    assert info.value.status in (403, 409)
    chain(doc)
    before = (len(_entries(portal, doc)), len(delivery.delivery_status(doc)))
    for user in ("stttt.chuyenvien", "stttt.lanhdao", "snv.vanthu"):  # not the issuing agency's clerk
        with pytest.raises(outgoing.OutgoingError) as info:
            _add(doc, user=user, internal=["xa-my-tho"])
        assert info.value.status == 403, user
    bad = [
        {"internal": ["so-tai-chinh"]},  # already delivered
        {"external": [VPCP]},  # already sent
        {"internal": ["xa-my-tho", "000.31.10.H20"]},  # twice
        {"external": [BTTTT, dict(BTTTT)]},  # twice
        {"internal": ["khong-co"]},  # unknown
        {"internal": ["so-tttt"]},  # the sender itself
        {"external": ["không có mã"]},  # no "code|name"
        {"external": [{"code": SNV, "name": "Sở Nội vụ"}]},  # an agency of this system
        {},  # nothing
        {"internal": ["xa-my-tho"], "external": [VPCP]},  # one good, one bad: nothing is sent
    ]
    for kwargs in bad:
        with pytest.raises(outgoing.OutgoingError) as info:
            _add(doc, **kwargs)
        assert info.value.status == 400 and info.value.errors, kwargs
    assert (len(_entries(portal, doc)), len(delivery.delivery_status(doc))) == before
    assert _incoming_copies(portal, doc, "xa-my-tho") == []
    # recalled: refused
    with api.env.adopt_user(username="stttt.vanthu"):
        outgoing.transition(doc, "recall", "Sai thể thức")
    with pytest.raises(outgoing.OutgoingError) as info:
        _add(doc, internal=["xa-my-tho"])
    assert info.value.status == 409


# ---------------------------------------------------------------- REST


@pytest.fixture
def server(demo_server):
    return demo_server


def _issued_over_rest(url, external):
    owner = session("stttt.chuyenvien")
    stc = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/so-tai-chinh").json()["UID"]
    r = owner.post(f"{url}/so-tttt/@outgoing", json=payload([stc], external_recipients=external))
    assert r.status_code == 201, r.text
    doc_url = r.json()["url"]
    for user, name in [("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
                       ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign")]:
        r = session(user).post(f"{doc_url}/@workflow/{name}", json={})
        assert r.status_code == 200, (name, r.text)
    return doc_url


def test_rest_add_recipients(server):
    url = server["url"]
    portal = server["layer"]["portal"]
    doc_url = _issued_over_rest(url, [VPCP])
    body = {"internal_recipients": ["xa-my-tho"], "external_recipients": [BTTTT]}
    # not issued yet: refused, in Vietnamese
    r = session("stttt.vanthu").post(f"{doc_url}/@add-recipients", json=body)
    assert r.status_code == 409, r.text
    assert "đã phát hành" in r.json()["error"]["message"]
    r = session("stttt.vanthu").post(f"{doc_url}/@workflow/issue", json={})
    assert r.status_code == 200, r.text
    # not the issuing agency's clerk
    r = session("stttt.lanhdao").post(f"{doc_url}/@add-recipients", json=body)
    assert r.status_code == 403, r.text
    assert "không có quyền" in r.json()["error"]["message"].lower()
    r = session("snv.vanthu").post(f"{doc_url}/@add-recipients", json=body)
    assert r.status_code in (401, 403, 404), r.text
    # duplicates and already delivered recipients: a 400 naming each of them
    r = session("stttt.vanthu").post(f"{doc_url}/@add-recipients", json={
        "internal_recipients": ["so-tai-chinh", "xa-my-tho", "xa-my-tho"], "external_recipients": [VPCP]})
    assert r.status_code == 400, r.text
    messages = [e["message"] for e in r.json()["error"]["errors"]]
    assert "Sở Tài chính đã nhận văn bản này." in messages
    assert "UBND xã Mỹ Thọ được chọn hai lần." in messages
    assert f"{VPCP['name']} đã nhận văn bản này." in messages
    # a recipient outside the system without its code (a row of the form): named, nothing sent
    r = session("stttt.vanthu").post(f"{doc_url}/@add-recipients", json={
        "external_recipients": [{"name": "Bộ Nội vụ", "code": ""}]})
    assert r.status_code == 400, r.text
    assert [e["message"][:26] for e in r.json()["error"]["errors"]] == ["Bộ Nội vụ: ghi tên cơ quan"]
    r = session("stttt.vanthu").post(f"{doc_url}/@add-recipients", data="[1]",
                                     headers={"Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    # the clerk adds one internal and one external recipient
    r = session("stttt.vanthu").post(f"{doc_url}/@add-recipients", json=body)
    assert r.status_code == 200, r.text
    added = {i["agency_code"]: i["status"] for i in r.json()["added"]}
    assert added == {"000.31.10.H20": "delivered", BTTTT["code"]: "queued"}
    # the recipient's clerk sees the received copy
    listing = session("mytho.vanthu").get(f"{url}/xa-my-tho/@incoming").json()
    notation = session("stttt.vanthu").get(f"{doc_url}/@delivery-status").json()["notation"]
    assert [d for d in listing["waiting_registration"] if d["notation"] == notation]
    # the outbox: type 0 for the new external recipient, type 2 (ReceiverType 1) for the earlier one
    transaction.begin()
    doc = portal.unrestrictedTraverse(doc_url[len(url) + 1:])
    entries = _entries(portal, doc)
    assert sorted((e.recipient, e.business_type) for e in entries) == sorted([
        (VPCP["code"], edxml.DOCTYPE_NEW), (BTTTT["code"], edxml.DOCTYPE_NEW),
        (VPCP["code"], edxml.DOCTYPE_UPDATE)])
    [update] = [e for e in entries if e.business_type == edxml.DOCTYPE_UPDATE]
    receivers = edxml.parse(update.package).trace_header_list.bussiness.document_info.receiver_list
    assert [(x.organ_id, x.receiver_type) for x in receivers] == [(BTTTT["code"], 1)]
    # the same request again is refused: they have it now
    r = session("stttt.vanthu").post(f"{doc_url}/@add-recipients", json=body)
    assert r.status_code == 400, r.text
    trail = session("stttt.vanthu").get(f"{doc_url}/@review-comments").json()["trail"]
    assert [t["title"] for t in trail if t["action"] == "add_recipients"] == ["Gửi bổ sung"]


def test_page_form_for_the_clerk(server):
    """The issued document's page: the clerk's "Gửi bổ sung" form (same api function as REST)."""
    import re

    url = server["url"]
    doc_url = _issued_over_rest(url, [])
    r = session("stttt.vanthu").post(f"{doc_url}/@workflow/issue", json={})
    assert r.status_code == 200, r.text
    leader = session("stttt.lanhdao")
    leader.headers["Accept"] = "text/html"
    assert "qlvb-add-recipients-form" not in leader.get(doc_url).text  # only the clerk gets it
    clerk = session("stttt.vanthu")
    clerk.headers["Accept"] = "text/html"
    html = clerk.get(doc_url).text
    form = html[html.index("qlvb-add-recipients-form"):]
    form = form[:form.index("</form>")]
    assert "Gửi bổ sung" in html and "Tôi xác nhận gửi văn bản" in form
    # the picker of the drafting form: the agencies as a tree (a xã under its huyện), searchable;
    # one that already received the document is shown but cannot be chosen
    assert 'class="qlvb-checklist"' in form and "qlvb-picker.js" in form
    served = re.search(r'value="[^"]+" id="add-\d+" disabled="disabled"\s*/>\s*<label[^>]*>Sở Tài chính\s*'
                       r'<small[^>]*>\(đã nhận\)</small>', form)
    assert served, form
    mytho = re.search(r'data-parents="([^"]*)" data-uid="[^"]+">\s*<input[^>]*value="([^"]+)" '
                      r'id="add-\d+"\s*/>\s*<label[^>]*>UBND xã Mỹ Thọ\s*<', form)
    assert mytho, form
    # the recipients outside this system: rows of name, code and e-mail, no "code|name" box
    assert 'name="external_recipients.code:records"' in form and "<textarea" not in form
    token = re.search(r'name="_authenticator" value="([^"]+)"', form).group(1)
    fields = [("_authenticator", token), ("form.action", "add_recipients"),
              ("internal_recipients:list", mytho.group(2)),
              ("external_recipients.name:records", BTTTT["name"]),
              ("external_recipients.code:records", BTTTT["code"]),
              ("external_recipients.email:records", ""),
              ("external_recipients.name:records", ""), ("external_recipients.code:records", ""),
              ("external_recipients.email:records", "")]
    # without the confirmation nothing is sent
    page = clerk.post(doc_url, data=fields)
    assert page.status_code == 200 and "Hãy đánh dấu ô xác nhận" in page.text
    page = clerk.post(doc_url, data=[*fields, ("confirm", "1")])
    assert page.status_code == 200
    assert "Đã gửi bổ sung văn bản cho:" in page.text and "UBND xã Mỹ Thọ" in page.text
    status = session("stttt.vanthu").get(f"{doc_url}/@delivery-status").json()["items"]
    assert {i["agency_code"] for i in status} == {"000.00.06.H20", "000.31.10.H20", BTTTT["code"]}
    # the same again: the error names the recipient
    page = clerk.post(doc_url, data=[*fields, ("confirm", "1")])
    assert "UBND xã Mỹ Thọ đã nhận văn bản này." in page.text
    # a row without its code is refused by name, nothing sent; the old "code|name" lines still work
    page = clerk.post(doc_url, data=[*fields[:2], ("external_recipients.name:records", "Bộ Nội vụ"),
                                     ("external_recipients.code:records", ""), ("confirm", "1")])
    assert "Bộ Nội vụ: ghi tên cơ quan" in page.text, page.text[:300]
    page = clerk.post(doc_url, data=[*fields[:2], ("external_recipients", f"{VPCP['code']}|{VPCP['name']}"),
                                     ("confirm", "1")])
    assert f"Đã gửi bổ sung văn bản cho: {VPCP['name']}" in page.text
