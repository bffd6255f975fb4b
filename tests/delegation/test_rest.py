"""``@delegations`` and the "Ủy quyền" page through real HTTP, with examples written to docs/rest/."""

from tests.incoming.helpers import payload as incoming_payload
from tests.outgoing.helpers import session
from tests.test_rest_docs import Recorder
from tests.test_rest_docs import TITLES

import datetime

TITLES.update({
    "delegations_create": "A leader delegates his signing and assignment rights: "
                          "`POST <agency>/@delegations`",
    "delegations_bad_input": "Bad input: every wrong field named in Vietnamese, nothing stored",
    "delegations_refused": "Someone who is not a leader (or holds the rights only by delegation) "
                           "cannot delegate: `POST <agency>/@delegations` → 403",
    "delegations_list": "The delegations given and received, and the documents waiting under them: "
                        "`GET <agency>/@delegations`",
    "delegations_revoke": "Revoke a delegation (the delegator): `DELETE <agency>/@delegations/<id>`",
})


def _dmy(days):
    from dongthap.qlvb.documents.common import now

    return (now().date() + datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def test_delegations_through_rest_and_the_page(demo_server):
    url = demo_server["url"]
    rec = Recorder(url)
    body = {"delegate": "stttt.truongphong", "start": _dmy(0), "end": _dmy(7), "scope": "both",
            "authority": "TL", "reason": "Giám đốc đi công tác Hà Nội",
            "delegator_position": "GIÁM ĐỐC", "delegate_position": "CHÁNH VĂN PHÒNG"}
    r = rec.call("delegations_refused", "stttt.truongphong", "POST", "so-tttt/@delegations",
                 dict(body, delegate="stttt.chuyenvien"))
    assert r.status_code == 403 and "không" in r.json()["error"]["message"].lower()
    r = rec.call("delegations_bad_input", "stttt.lanhdao", "POST", "so-tttt/@delegations",
                 dict(body, end="31/02/2026", scope="all", delegate="snv.vanthu"))
    assert r.status_code == 400
    error = r.json()["error"]
    assert {e["field"] for e in error["errors"]} == {"delegate", "end", "scope"}
    assert error["message"] == "Chưa lưu ủy quyền: vui lòng sửa các lỗi."
    r = rec.call("delegations_create", "stttt.lanhdao", "POST", "so-tttt/@delegations", body)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["status"] == "active" and made["prefix"] == "TL."
    # the delegate assigns an incoming document for the director; its page names whom for
    doc = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=incoming_payload(register=True))
    assert doc.status_code == 201, doc.text
    doc_url = doc.json()["@id"]
    r = session("stttt.truongphong").post(f"{doc_url}/@assign", json={
        "lead": {"user": "stttt.chuyenvien", "deadline": incoming_payload()["due_date"]}})
    assert r.status_code == 200, r.text
    assert r.json()["trail"][-1]["on_behalf_of"] and r.json()["trail"][-1]["authority"] == "TL."
    page = session("stttt.lanhdao")
    page.headers["Accept"] = "text/html"
    leader_name = session("stttt.lanhdao").get(f"{url}/@users/stttt.lanhdao").json().get("fullname")
    assert f"(TL. theo ủy quyền của {leader_name})" in page.get(doc_url).text
    r = rec.call("delegations_list", "stttt.truongphong", "GET", "so-tttt/@delegations")
    assert r.status_code == 200
    assert [d["id"] for d in r.json()["received"]] == [made["id"]] and r.json()["may_delegate"] is False
    notes = session("stttt.truongphong").get(f"{url}/@notifications").json()["items"]
    assert notes[0]["kind"] == "delegation_started" and "đến ngày" in notes[0]["text"]
    # the page: the leader's list with "Thu hồi", the confirmation page, no English
    leader = session("stttt.lanhdao")
    leader.headers["Accept"] = "text/html"
    assert f"{url}/so-tttt/@@uy-quyen" in leader.get(f"{url}/so-tttt").text  # reached from the agency page
    html = leader.get(f"{url}/so-tttt/@@uy-quyen").text
    assert "Các ủy quyền tôi đã lập" in html and "Thu hồi" in html and "CHÁNH VĂN PHÒNG" in html
    confirm = leader.get(f"{url}/so-tttt/@@uy-quyen", params={"thu-hoi": made["id"]}).text
    assert "Thu hồi ủy quyền?" in confirm and "Đồng ý thu hồi" in confirm
    r = rec.call("delegations_revoke", "stttt.lanhdao", "DELETE", f"so-tttt/@delegations/{made['id']}",
                 {"reason": "Đã về cơ quan"})
    assert r.status_code == 200 and r.json()["status"] == "revoked"
    r = session("stttt.truongphong").delete(f"{url}/so-tttt/@delegations/{made['id']}")
    assert r.status_code in (403, 409)
    r = session("stttt.lanhdao").delete(f"{url}/so-tttt/@delegations/{made['id']}")
    assert r.status_code == 409
