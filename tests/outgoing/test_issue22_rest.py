"""Issue 22 items 3, 4, 6 through real HTTP (REST and pages), with examples written to docs/rest/:
duplicates refused without a number, a registered internal copy destroyed after a recall with the
records on both sides, a recall refused by the recipient, reply deadlines."""

from tests.incoming.helpers import payload as incoming_payload
from tests.outgoing.helpers import payload as outgoing_payload
from tests.outgoing.helpers import session
from tests.test_rest_docs import Recorder
from tests.test_rest_docs import TITLES

import datetime
import pytest

TITLES.update({
    "incoming_duplicates": "Possible duplicates before registration: `GET <document>/@duplicates`",
    "incoming_register_checked": "Registration of a possible duplicate stopped (no number): "
                                 "`POST <document>/@workflow/register` with `check_duplicates`",
    "incoming_refuse_duplicate": "Refuse it as a duplicate (clerk, no arrival number): "
                                 "`POST <document>/@refuse-duplicate`",
    "recall_destroy": "Destroy a recalled copy (the recipient's clerk): `POST <copy>/@recall-destroy`",
    "recall_refuse": "Refuse a recall, keeping the copy (the recipient's clerk, with a reason): "
                     "`POST <copy>/@recall-refuse`",
    "destruction_records": "The agency's destruction records: `GET <agency>/@destruction-records`",
    "reply_deadlines": "Reply deadline per recipient (clerk, leader): `POST <document>/@reply-deadlines`",
})


@pytest.fixture
def url(demo_server):
    return demo_server["url"]


def _ok(r, status=200):
    assert r.status_code == status, r.text
    return r.json()


def test_duplicate_refused_without_a_number_through_rest(url):
    rec = Recorder(url)
    clerk = session("mytho.vanthu")
    first = _ok(clerk.post(f"{url}/xa-my-tho/@incoming", json=incoming_payload(
        register=True, code_number="4401", code_notation="UBND-KT")), 201)
    second = _ok(clerk.post(f"{url}/xa-my-tho/@incoming", json=incoming_payload(
        code_number="04401", code_notation="ubnd-kt")), 201)
    lists = _ok(clerk.get(f"{url}/xa-my-tho/@incoming", params={"list": "waiting_registration"}))
    [row] = [r for r in lists["waiting_registration"] if r["uid"] == second["uid"]]
    assert row["possible_duplicate"] and row["duplicates"][0]["arrival_number"] == first["arrival_number"]
    found = _ok(rec.call("incoming_duplicates", "mytho.vanthu", "GET", f"{second['url']}/@duplicates"))
    assert [d["uid"] for d in found["items"]] == [first["uid"]] and "trùng" in found["warning"]
    r = rec.call("incoming_register_checked", "mytho.vanthu", "POST", f"{second['url']}/@workflow/register",
                 {"check_duplicates": True})
    assert r.status_code == 409 and str(first["arrival_number"]) in r.json()["error"]["message"]
    assert session("mytho.chuyenvien").post(f"{second['url']}/@refuse-duplicate",
                                            json={"reason": "x"}).status_code in (401, 403)
    refused = _ok(rec.call("incoming_refuse_duplicate", "mytho.vanthu", "POST",
                           f"{second['url']}/@refuse-duplicate", {"reason": "Đã vào sổ bản giấy"}))
    assert refused["state"] == "refused" and refused["arrival_number"] is None
    assert _ok(clerk.get(f"{second['url']}/@duplicates"))["refused_as_duplicate"]["reason"] == \
        "Đã vào sổ bản giấy"
    # gap-free: the next registration takes the very next number
    third = _ok(clerk.post(f"{url}/xa-my-tho/@incoming", json=incoming_payload(
        register=True, code_number="4402", code_notation="UBND-KT")), 201)
    assert third["arrival_number"] == first["arrival_number"] + 1
    # the page "chờ vào sổ" and the document page warn too
    html = session("mytho.vanthu")
    html.headers["Accept"] = "text/html"
    fourth = _ok(clerk.post(f"{url}/xa-my-tho/@incoming", json=incoming_payload(
        code_number="4402", code_notation="UBND-KT")), 201)
    page = html.get(f"{url}/xa-my-tho/@@van-ban-den", params={"list": "waiting_registration"}).text
    assert "qlvb-possible-duplicate" in page and "Có thể trùng" in page
    page = html.get(fourth["url"]).text
    assert "qlvb-duplicate-warning" in page and "Từ chối vì trùng" in page


def _issue(url, recipients, prefix="stttt", path="so-tttt"):
    body = outgoing_payload(recipients, title="V/v thu hồi và hạn trả lời (issue 22)")
    doc = _ok(session(f"{prefix}.chuyenvien").post(f"{url}/{path}/@outgoing", json=body), 201)
    for user, transition in ((f"{prefix}.chuyenvien", "submit"), (f"{prefix}.truongphong", "forward"),
                             (f"{prefix}.lanhdao", "approve"), (f"{prefix}.lanhdao", "sign"),
                             (f"{prefix}.vanthu", "issue")):
        _ok(session(user).post(f"{doc['url']}/@workflow/{transition}", json={"comment": ""}))
    return doc


def test_recall_destroys_a_registered_internal_copy_and_reply_deadlines(url):
    rec = Recorder(url)
    snv_uid = _ok(session("snv.vanthu").get(f"{url}/so-noi-vu"))["UID"]
    doc = _issue(url, [snv_uid])
    key = f"agency:{snv_uid}"
    # reply deadline for Sở Nội vụ
    due = (datetime.date.today() + datetime.timedelta(days=2)).strftime("%d/%m/%Y")
    assert session("stttt.chuyenvien").post(f"{doc['url']}/@reply-deadlines",
                                            json={"deadlines": {key: due}}).status_code == 403
    bad = session("stttt.vanthu").post(f"{doc['url']}/@reply-deadlines",
                                       json={"deadlines": {key: "32/13/2026"}})
    assert bad.status_code == 400
    items = _ok(rec.call("reply_deadlines", "stttt.vanthu", "POST", f"{doc['url']}/@reply-deadlines",
                         {"deadlines": {key: due}}))["items"]
    assert items[0]["reply_due_text"] == due and items[0]["due_soon"] and items[0]["awaiting"]
    awaiting = _ok(session("stttt.vanthu").get(f"{url}/so-tttt/@outgoing", params={"list": "awaiting_reply"}))
    assert doc["uid"] in [r["uid"] for r in awaiting["awaiting_reply"]]

    # Sở Nội vụ registers its copy
    snv = session("snv.vanthu")
    lists = _ok(snv.get(f"{url}/so-noi-vu/@incoming", params={"list": "waiting_registration", "b_size": 500}))
    [copy] = [r for r in lists["waiting_registration"]
              if r["title"] == "V/v thu hồi và hạn trả lời (issue 22)" and not r.get("arrival_number")][:1]
    _ok(snv.post(f"{copy['url']}/@workflow/register", json={}))
    # recalled by the sender's leader: the registered copy is frozen
    _ok(session("stttt.lanhdao").post(f"{doc['url']}/@workflow/recall", json={"comment": "Sai nơi nhận"}))
    notice = _ok(snv.get(f"{copy['url']}/@recall-notice"))
    assert notice["pending_destruction"] and notice["reason"] == "Sai nơi nhận"
    frozen = session("snv.lanhdao").post(f"{copy['url']}/@assign",
                                         json={"lead": {"user": "snv.chuyenvien"}})
    assert frozen.status_code == 409 and "thu hồi" in frozen.json()["error"]["message"]
    assert snv.patch(copy["url"], json={"title": "Sửa bản bị thu hồi"}).status_code in (401, 403)
    html = session("snv.vanthu")
    html.headers["Accept"] = "text/html"
    assert "huy-van-ban-thu-hoi" in html.get(copy["url"]).text
    assert session("snv.chuyenvien").post(f"{copy['url']}/@recall-destroy", json={}).status_code in (401, 403)
    record = _ok(rec.call("recall_destroy", "snv.vanthu", "POST", f"{copy['url']}/@recall-destroy", {}))
    assert record["by"] == "snv.vanthu" and record["files"][0]["sha256"] and record["arrival_number"]
    assert snv.get(copy["url"]).status_code == 404
    mine = _ok(rec.call("destruction_records", "snv.vanthu", "GET", "so-noi-vu/@destruction-records"))
    assert record["uid"] in [i["uid"] for i in mine["items"]]
    assert record["title"] in html.get(f"{url}/so-noi-vu/@@van-ban-da-huy").text
    # the sender: "đã hủy tại nơi nhận" with the record; its own copy of the record
    status = _ok(session("stttt.vanthu").get(f"{doc['url']}/@delivery-status"))
    [row] = status["items"]
    assert row["status"] == "recall_destroyed" and row["destruction"]["by"] == "snv.vanthu"
    assert row["status_title"] == "Đã thu hồi: đã hủy tại nơi nhận"
    theirs = _ok(session("stttt.vanthu").get(f"{url}/so-tttt/@destruction-records",
                                             params={"side": "sender"}))
    assert record["uid"] in [i["uid"] for i in theirs["items"]]
    # another agency sees none of it
    assert session("stc.vanthu").get(f"{url}/so-noi-vu/@destruction-records").status_code in (401, 403)
    # recalled: no reply awaited any more
    awaiting = _ok(session("stttt.vanthu").get(f"{url}/so-tttt/@outgoing", params={"list": "awaiting_reply"}))
    assert doc["uid"] not in [r["uid"] for r in awaiting["awaiting_reply"]]


def test_the_recipient_refuses_a_recall_through_rest(url):
    rec = Recorder(url)
    snv_uid = _ok(session("snv.vanthu").get(f"{url}/so-noi-vu"))["UID"]
    doc = _issue(url, [snv_uid])
    snv = session("snv.vanthu")
    lists = _ok(snv.get(f"{url}/so-noi-vu/@incoming", params={"list": "waiting_registration", "b_size": 500}))
    [copy] = [r for r in lists["waiting_registration"]
              if r["title"] == "V/v thu hồi và hạn trả lời (issue 22)" and not r.get("arrival_number")][:1]
    _ok(snv.post(f"{copy['url']}/@workflow/register", json={}))
    _ok(session("stttt.lanhdao").post(f"{doc['url']}/@workflow/recall", json={"comment": "Sai nơi nhận"}))
    html = session("snv.vanthu")
    html.headers["Accept"] = "text/html"
    assert "tu-choi-thu-hoi" in html.get(copy["url"]).text
    assert session("snv.chuyenvien").post(f"{copy['url']}/@recall-refuse",
                                          json={"reason": "x"}).status_code in (401, 403)
    assert snv.post(f"{copy['url']}/@recall-refuse", json={}).status_code == 422
    record = _ok(rec.call("recall_refuse", "snv.vanthu", "POST", f"{copy['url']}/@recall-refuse",
                          {"reason": "Văn bản đã được triển khai"}))
    assert record["outcome"] == "refused" and record["by"] == "snv.vanthu"
    assert _ok(snv.get(copy["url"]))["UID"]  # kept
    status = _ok(session("stttt.vanthu").get(f"{doc['url']}/@delivery-status"))
    [row] = status["items"]
    assert row["status"] == "recall_refused"
