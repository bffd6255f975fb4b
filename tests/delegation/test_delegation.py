"""Delegation (ủy quyền) with a frozen clock: the permission matrix of a delegate (scope, period,
agency, no re-delegation), the delegator keeps his rights, signing shows KT./TL./TUQ., the trail,
the audit trail and the notifications."""

from dongthap.qlvb.delegation import api as D
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.notifications import api as N
from dongthap.qlvb.notifications import reminders
from dongthap.qlvb.outgoing import api as outgoing
from dongthap.qlvb.outgoing.workflow import guard
from plone import api
from tests.delegation.helpers import AGENCY
from tests.delegation.helpers import day
from tests.delegation.helpers import delegate
from tests.delegation.helpers import deputy
from tests.delegation.helpers import dmy
from tests.delegation.helpers import give_key
from tests.delegation.helpers import registered
from tests.delegation.helpers import uid
from tests.outgoing.helpers import act
from tests.outgoing.helpers import draft

import datetime
import pytest

HEAD = "stttt.truongphong"


def _assign(doc, user):
    with api.env.adopt_user(username=user):
        return handling.assign(doc, {"lead": {"user": "stttt.chuyenvien",
                                              "deadline": day(5).isoformat()},
                                     "direction": "Giao chuyên viên xử lý"})


def _may_assign(doc, user):
    try:
        _assign(doc, user)
    except QlvbError as error:
        assert error.status == 403
        return False
    return True


def _approved(portal):
    doc = draft(portal)
    for user, transition in (("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
                             ("stttt.lanhdao", "approve")):
        act(doc, user, transition)
    assert api.content.get_state(doc) == "approved"
    return doc


def _may_sign(doc, user):
    with api.env.adopt_user(username=user):
        return guard(doc, "sign")


def _kinds(username):
    return [i["kind"] for i in N.list_for(uid(username))["items"]]


#: the day the tests start from (the clock is then moved forward from it)
BASE = day(0)


def _at(offset, hour=9):
    return datetime.datetime.combine(BASE + datetime.timedelta(days=offset), datetime.time(hour))


# ----------------------------------------------------------------------------- creating
def test_bad_input_is_refused_field_by_field_and_nothing_stored(portal):
    agency = portal[AGENCY]
    with pytest.raises(QlvbError) as caught:
        delegate(portal, to="nobody.here", scope="everything", authority="XX", start=-1, end=-2,
                 reason="  ", delegate_position="")
    assert caught.value.status == 400
    fields = {e["field"] for e in caught.value.errors}
    assert fields == {"delegate", "start", "end", "scope", "authority", "reason", "delegate_position"}
    with pytest.raises(QlvbError) as caught:
        delegate(portal, start=0, end=400)
    assert [e["field"] for e in caught.value.errors] == ["end"]
    with pytest.raises(QlvbError) as caught:
        delegate(portal, to="stttt.lanhdao")
    assert [e["field"] for e in caught.value.errors] == ["delegate"]
    with pytest.raises(QlvbError) as caught:  # KT. is for a deputy leader only
        delegate(portal, authority="KT")
    assert [e["field"] for e in caught.value.errors] == ["authority"]
    with pytest.raises(QlvbError) as caught:  # staff of another agency
        delegate(portal, to="snv.truongphong")
    assert [e["field"] for e in caught.value.errors] == ["delegate"]
    for wrong in ({"authority": ["KT"]}, {"authority": {"a": 1}}, {"scope": ["sign"]}):  # were a 500
        with pytest.raises(QlvbError) as caught:
            delegate(portal, **wrong)
        assert [e["field"] for e in caught.value.errors] == list(wrong)
    with pytest.raises(QlvbError) as caught:  # control and direction-override characters
        delegate(portal, reason="Đi\x00 công tác", delegate_position="PHÓ \u202eGIÁM ĐỐC")
    assert [e["field"] for e in caught.value.errors] == ["reason", "delegate_position"]
    assert D.records(agency) == []


def test_only_a_leader_delegates_and_a_delegate_cannot_delegate_on(portal):
    delegate(portal)  # head of department receives both rights
    for user in (HEAD, "stttt.vanthu", "stttt.quantri", "snv.lanhdao"):
        with pytest.raises(QlvbError) as caught:
            delegate(portal, by=user, to="stttt.chuyenvien")
        assert caught.value.status == 403, user
    assert len(D.records(portal[AGENCY])) == 1


def test_overlapping_delegation_to_the_same_person_refused(portal):
    delegate(portal, start=0, end=5)
    with pytest.raises(QlvbError) as caught:
        delegate(portal, start=3, end=8, scope="sign")
    assert caught.value.status == 400
    delegate(portal, start=6, end=8)  # after it: fine


# ----------------------------------------------------------------------------- assigning
def test_delegate_assigns_within_period_only_and_the_leader_keeps_his_right(portal, frozen, audited):
    frozen(_at(0))
    doc, other, third = registered(portal), registered(portal), registered(portal)
    assert not _may_assign(doc, HEAD)  # before any delegation
    made = delegate(portal, scope="assign", start=1, end=2)
    assert made["status"] == "planned"
    assert not _may_assign(doc, HEAD)  # not started yet
    frozen(_at(1))
    from dongthap.qlvb.incoming.views import AssignForm

    with api.env.adopt_user(username=HEAD):  # the form tells him he acts for the leader
        assert AssignForm(doc, doc.REQUEST).delegation()["authority"] == "TUQ."
    with api.env.adopt_user(username="stttt.lanhdao"):
        assert AssignForm(doc, doc.REQUEST).delegation() is None
    result = _assign(doc, HEAD)
    assert result["state"] == "assigned"
    entry = [t for t in doc.qlvb_trail if t["action"] == "assign"][-1]
    assert entry["actor"] == uid(HEAD)
    assert entry["on_behalf_of"] == uid("stttt.lanhdao") and entry["authority"] == "TUQ."
    assert ("delegated_assign", doc) in [(a, o) for a, o, _kw in audited]
    # the leader keeps his right during the delegation, and acts as himself
    _assign(other, "stttt.lanhdao")
    assert "on_behalf_of" not in [t for t in other.qlvb_trail if t["action"] == "assign"][-1]
    frozen(_at(3))  # the day after the end: checked at the time of the act, no job needed
    assert not _may_assign(third, HEAD)
    assert _may_assign(third, "stttt.lanhdao")


def test_scope_and_agency_limit_the_delegate(portal):
    delegate(portal, scope="sign")
    assert not _may_assign(registered(portal), HEAD)  # signing only
    snv_doc = registered(portal, path="so-noi-vu", clerk="snv.vanthu")
    delegate(portal, to="stttt.chuyenvien", scope="assign")
    assert _may_assign(registered(portal), "stttt.chuyenvien")
    with api.env.adopt_user(username="stttt.chuyenvien"):  # not in another agency
        assert not api.user.has_permission("View", obj=snv_doc)


def test_revoked_delegation_stops_at_once_and_the_delegate_is_told(portal, audited):
    made = delegate(portal, scope="assign")
    assert _kinds(HEAD) == ["delegation_started"]
    text = N.list_for(uid(HEAD))["items"][0]["text"]
    assert dmy(3) in text and api.user.get(username="stttt.lanhdao").getProperty("fullname") in text
    with api.env.adopt_user(username=HEAD), pytest.raises(QlvbError) as caught:
        D.revoke(portal[AGENCY], made["id"])  # only the delegator revokes
    assert caught.value.status == 403
    with api.env.adopt_user(username="stttt.lanhdao"):
        revoked = D.revoke(portal[AGENCY], made["id"], "Đã về cơ quan")
    assert revoked["status"] == "revoked"
    assert not _may_assign(registered(portal), HEAD)
    assert _kinds(HEAD) == ["delegation_revoked", "delegation_started"]
    actions = [a for a, _o, _kw in audited]
    assert actions == ["delegation_created", "delegation_started", "delegation_revoked"]
    with api.env.adopt_user(username="stttt.lanhdao"), pytest.raises(QlvbError) as caught:
        D.revoke(portal[AGENCY], made["id"])
    assert caught.value.status == 409


def test_planned_delegation_starts_and_ends_in_the_daily_job(portal, frozen, audited):
    frozen(_at(0))
    delegate(portal, scope="sign", start=2, end=3)
    assert _kinds(HEAD) == []
    for offset in (2, 4):
        now = frozen(_at(offset))
        with api.env.adopt_roles(["Manager"]):
            counts = reminders.run(portal, now, commit=False)
        assert counts["delegations"] == 1
    assert _kinds(HEAD) == ["delegation_started"]
    actions = [a for a, _o, _kw in audited]
    assert actions == ["delegation_created", "delegation_started", "delegation_ended"]


# ----------------------------------------------------------------------------- signing
def test_delegate_signs_with_tuq_and_both_names_shown(portal, frozen, audited):
    from pyhanko.pdf_utils.reader import PdfFileReader

    import io

    give_key(HEAD)
    doc = _approved(portal)
    assert not _may_sign(doc, HEAD)
    delegate(portal, scope="sign", delegate_position="CHÁNH VĂN PHÒNG")
    assert _may_sign(doc, HEAD) and _may_sign(doc, "stttt.lanhdao")  # the signer keeps his right
    assert not _may_sign(doc, "stttt.chuyenvien")
    act(doc, HEAD, "sign")
    assert api.content.get_state(doc) == "signed"
    info = outgoing.info(doc)
    head_name = api.user.get(username=HEAD).getProperty("fullname")
    assert info["signer_name"] == head_name
    # the sign transition reindexes only what it changes: the delegate is the signer searched for
    from tests.outgoing.helpers import assert_as_fully_reindexed

    assert_as_fully_reindexed(doc)
    assert api.content.find(UID=doc.UID(), qlvb_signer_text=head_name, unrestricted=True)
    assert info["signer_position_text"] == "TUQ. GIÁM ĐỐC / CHÁNH VĂN PHÒNG"
    assert info["signed_on_behalf"]["on_behalf_of"] == uid("stttt.lanhdao")
    entry = [t for t in doc.qlvb_trail if t["action"] == "sign"][-1]
    assert entry["actor"] == uid(HEAD) and entry["authority"] == "TUQ."
    assert "delegated_sign" in [a for a, _o, _kw in audited]
    reader = PdfFileReader(io.BytesIO(bytes(doc.file.data)))
    reason = str(reader.embedded_signatures[-1].sig_object["/Reason"])
    assert reason.startswith("TUQ. GIÁM ĐỐC") and head_name in reason
    # the page of the document shows it (its fields; the whole page is rendered over HTTP elsewhere)
    with api.env.adopt_user(username="stttt.lanhdao"):
        fields = {f["value"] for f in doc.restrictedTraverse("@@xem-van-ban-di").fields()}
    assert "TUQ. GIÁM ĐỐC / CHÁNH VĂN PHÒNG" in fields and head_name in fields
    leader_name = api.user.get(username="stttt.lanhdao").getProperty("fullname")
    assert info["trail"][-1]["behalf_fullname"] == leader_name  # "(TUQ. theo ủy quyền của …)"


def test_sign_delegation_ends_with_its_period_and_is_never_passed_on(portal, frozen):
    frozen(_at(0))
    doc = _approved(portal)
    b = deputy(portal)
    delegate(portal, to=b, authority="KT", scope="sign", start=0, end=1,
             delegate_position="PHÓ GIÁM ĐỐC")
    assert _may_sign(doc, b)
    # the deputy delegates his own rights to the head of department: not the director's
    delegate(portal, by=b, to=HEAD, scope="both", start=0, end=1)
    assert not _may_sign(doc, HEAD)
    frozen(_at(2))
    assert not _may_sign(doc, b)
    assert _may_sign(doc, "stttt.lanhdao")
