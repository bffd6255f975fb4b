"""Two separate instances (two processes, two FileStorages) exchange documents through the axis relay.

Issue 7, "Done means": issue in A → received in B → registered in B (A sees 03)
→ assigned (04) → completed (06); a recall from A reaches B (the unregistered
copy is removed, the registered one is frozen) and A sees the answer (15).

* the relay is ``tests/exchange/axis_relay.py`` run as a script (its own process);
  A's system speaks for Sở TT&TT (000.00.14.H20), B's for Sở Nội vụ (000.00.09.H20);
* A and B are full instances (``scripts/instance.py`` + ``scripts/create_site.py``
  with the demo, ``runwsgi``); the document goes from A's Sở TT&TT to Sở Nội vụ
  as an **external recipient** (``external_recipients``), so A's outgoing
  workflow queues it for the axis and B's inbox files it in B's Sở Nội vụ;
* every step is driven through REST as the demo users (the real ``issue`` and
  ``recall`` transitions of A; register/assign/complete of B), and the worker
  runs in **tick mode** (``scripts/exchange_worker.py --url … --once``) in a
  bounded loop until the expected state is reached.
"""

from __future__ import annotations

import base64
import secrets
import time
import uuid
from collections import Counter

import pytest

from tests.conftest import require
from two_instances import Relay, start_pair, wait_for

pytestmark = pytest.mark.stress  # two processes / thousands of requests: run with --stress

STTTT = "000.00.14.H20"  # Sở TT&TT: the sender, in A
SNV = "000.00.09.H20"  # Sở Nội vụ: the recipient, in B
STEP_TIMEOUT = 60


def _require_clamd(value):
    """Without clamd every stored file is refused: skip locally, fail under CI."""
    require(value, "the two-instance exchange test needs the session clamd (clamav-daemon)")


@pytest.fixture(scope="module")
def pair(tmp_path_factory, qlvb_session_clamd):
    _require_clamd(qlvb_session_clamd)
    base = tmp_path_factory.mktemp("two-instances")
    secret_a, secret_b = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    relay = Relay(base, {"sys-a": (secret_a, STTTT), "sys-b": (secret_b, SNV)},
                  [{"OrganId": STTTT, "Name": "Sở Thông tin và Truyền thông"},
                   {"OrganId": SNV, "Name": "Sở Nội vụ"}])
    relay.start()
    instances = {}
    try:
        instances = start_pair(base, relay, {"a": ("sys-a", secret_a), "b": ("sys-b", secret_b)})
        yield instances["a"], instances["b"], relay
    finally:
        for instance in instances.values():
            instance.stop()
        relay.stop()


# -- helpers ---------------------------------------------------------------------------
def _pdf(text):
    from dongthap.qlvb.demo.incoming import make_pdf

    return make_pdf(["SỞ THÔNG TIN VÀ TRUYỀN THÔNG", text])


def _ok(response, what):
    assert response.status_code < 300, f"{what}: {response.status_code} {response.text[:1000]}"
    return response.json() if response.content else {}


def issue_external(a, title):
    """Draft → submit → approve → sign → issue in A's Sở TT&TT, to Sở Nội vụ as an external recipient."""
    drafter, leader, clerk = (a.session(f"stttt.{u}") for u in ("chuyenvien", "lanhdao", "vanthu"))
    body = {"title": title, "document_type": "cong_van", "drafting_department": "vp",
            "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
            "external_recipients": [{"code": SNV, "name": "Sở Nội vụ"}],
            "file": {"data": base64.b64encode(_pdf(title)).decode(), "encoding": "base64",
                     "filename": "cong-van.pdf"}}
    url = _ok(drafter.post(f"{a.url}/so-tttt/@outgoing", json=body), "create the draft")["url"]
    for user, transition in ((drafter, "submit"), (leader, "approve"), (leader, "sign"), (clerk, "issue")):
        _ok(user.post(f"{url}/@workflow/{transition}", json={}), transition)
    doc = _ok(clerk.get(url), "read the issued document")
    assert doc["review_state"] == "issued"
    assert doc["code_number"] and doc["code_notation"], doc
    return {"url": url, "code_number": str(doc["code_number"]), "code_notation": doc["code_notation"],
            "title": title}


def recipient_status(a, doc):
    """A's view of Sở Nội vụ on ``doc`` (``@exchange-status``), or None."""
    status = _ok(a.session("stttt.vanthu").get(f"{doc['url']}/@exchange-status"), "@exchange-status")
    rows = [r for r in status["recipients"] if r["organ_id"] == SNV]
    assert len(rows) <= 1, rows
    return rows[0] if rows else None


def copies_in_b(b, title):
    """B's incoming documents in Sở Nội vụ with this trích yếu: ``[{@id, review_state, …}]``."""
    found = _ok(b.session("admin").get(f"{b.url}/@search", params={
        "portal_type": "IncomingDocument", "path.query": f"/{b.url.rsplit('/', 1)[1]}/so-noi-vu",
        "b_size": 1000, "metadata_fields": ["review_state", "Title"]}), "@search in B")
    return [item for item in found["items"] if item["title"] == title]


def business(a, doc, code):
    row = recipient_status(a, doc)
    return row if row and row["business_status"] == code else None


def test_two_instances_exchange_through_the_relay(pair):
    a, b, relay = pair
    started = time.monotonic()

    def pump():  # one worker round in each instance: A sends/polls, B polls/sends
        a.tick()
        b.tick()

    def until(condition, what):
        return wait_for(condition, timeout=STEP_TIMEOUT, between=pump, what=what)

    _ok(a.session("admin").patch(f"{a.url}/so-tttt/@outgoing-settings",
                                 json={"review_levels": {"*": ["leader"]}}), "review levels of A")
    run = uuid.uuid4().hex[:8]

    # -- 1. issue in A → received in B -----------------------------------------------------
    doc1 = issue_external(a, f"V/v thử nghiệm liên thông giữa hai hệ thống ({run})")
    queued = recipient_status(a, doc1)
    assert queued is not None and queued["transport_state"] in ("queued", "sending"), queued
    assert queued["business_status"] == "", queued
    assert copies_in_b(b, doc1["title"]) == []  # nothing travels before a worker round
    issued_at = time.monotonic()
    [copy] = until(lambda: copies_in_b(b, doc1["title"]), "the document to arrive in B")
    latency = time.monotonic() - issued_at
    assert copy["review_state"] == "received", copy
    clerk_b = b.session("snv.vanthu")
    received = _ok(clerk_b.get(copy["@id"]), "B's copy")
    assert str(received["code_number"]) == doc1["code_number"]
    assert received["code_notation"] == doc1["code_notation"]
    assert received["title"] == doc1["title"]
    assert received["issuing_agency_code"] == STTTT
    pdf = clerk_b.get(f"{copy['@id']}/@@download/file")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.status_code
    # A's signatures verify in B: both instances share one test root (two_instances.shared_test_pki)
    signatures = _ok(clerk_b.get(f"{copy['@id']}/@signatures"), "B's @signatures")
    assert signatures["legal_validity"] == "legal", signatures
    source = _ok(clerk_b.get(f"{copy['@id']}/@exchange-status"), "B's @exchange-status")["source"]
    assert source["from_organ_id"] == STTTT and source["source"] == "axis", source
    sent = recipient_status(a, doc1)
    assert sent["transport_state"] == "sent" and sent["axis_doc_id"], sent
    until(lambda: business(a, doc1, "01"), "A to see 01 (arrived)")

    # -- 2. registered in B → A sees 03 ------------------------------------------------------
    registered = _ok(clerk_b.post(f"{copy['@id']}/@workflow/register", json={"comment": "Vào sổ"}),
                     "register in B")
    assert registered["review_state"] == "registered" and registered["arrival_number"] >= 1, registered
    until(lambda: business(a, doc1, "03"), "A to see 03 (registered)")

    # -- 3. assigned in B → 04 ---------------------------------------------------------------
    assigned = _ok(b.session("snv.lanhdao").post(f"{copy['@id']}/@assign", json={
        "lead": {"user": "snv.chuyenvien"}, "direction": "Chuyên viên nghiên cứu, tham mưu"}), "assign in B")
    assert assigned["state"] == "assigned", assigned
    until(lambda: business(a, doc1, "04"), "A to see 04 (assigned)")

    # -- 4. completed in B → 06 --------------------------------------------------------------
    completed = _ok(b.session("snv.chuyenvien").post(f"{copy['@id']}/@workflow/complete",
                                                     json={"comment": "Đã giải quyết"}), "complete in B")
    assert completed["review_state"] == "completed", completed
    done = until(lambda: business(a, doc1, "06"), "A to see 06 (completed)")
    assert [h["code"] for h in done["history"]] == ["01", "03", "04", "06"], done["history"]

    # -- 5. recall: a second document B does not register (removed), and the first (frozen) ---
    doc2 = issue_external(a, f"V/v văn bản sẽ bị thu hồi ({run})")
    [copy2] = until(lambda: copies_in_b(b, doc2["title"]), "the second document to arrive in B")
    assert copy2["review_state"] == "received"
    until(lambda: business(a, doc2, "01"), "A to see 01 for the second document")
    leader_a = a.session("stttt.lanhdao")
    reason = "Gửi nhầm cơ quan nhận"
    no_reason = leader_a.post(f"{doc2['url']}/@workflow/recall", json={})
    assert no_reason.status_code == 400, no_reason.text  # a reason is required
    for doc in (doc2, doc1):
        recalled = _ok(leader_a.post(f"{doc['url']}/@workflow/recall", json={"comment": reason}), "recall")
        assert recalled["review_state"] == "recalled", recalled

    seen = {}

    def recall_seen():
        b_status = _ok(clerk_b.get(f"{copy['@id']}/@exchange-status"), "status")
        seen.update(removed_in_b=copies_in_b(b, doc2["title"]) == [],
                    frozen_in_b=b_status["source"]["recalled"],
                    b_statuses=[(s["code"], s["transport_state"]) for s in b_status["statuses_sent"]],
                    a_doc1=recipient_status(a, doc1), a_doc2=recipient_status(a, doc2))
        # the unregistered copy is destroyed at once (15); the registered one waits for B's clerk
        answered = seen["a_doc2"]["business_status"] == "15"
        done = seen["removed_in_b"] and seen["frozen_in_b"] and answered
        return seen["frozen_in_b"] if done else None

    try:
        frozen = until(recall_seen, "the recall to reach B and its answer (15) to reach A")
    except TimeoutError as exc:
        pytest.fail(f"{exc}\n{seen}\nlast rounds A: {a.ticks[-2:]}\nB: {b.ticks[-2:]}\n"
                    f"B's log (exchange):\n{b.log_tail('exchange')}")
    assert frozen["reason"] == reason and frozen["sender"] == STTTT, frozen
    for doc in (doc1, doc2):
        row = recipient_status(a, doc)
        assert row["latest_kind"] == "revoke" and row["latest_transport_state"] == "sent", row
    # the frozen copy is still there, registered content intact, and refuses any further transition
    frozen_copy = _ok(clerk_b.get(copy["@id"]), "the frozen copy")
    assert frozen_copy["review_state"] == "completed"
    refused = b.session("snv.lanhdao").post(f"{copy['@id']}/@workflow/reopen", json={"comment": "Mở lại"})
    assert refused.status_code >= 400, refused.text
    assert _ok(clerk_b.get(copy["@id"]), "the frozen copy")["review_state"] == "completed"
    # B's clerk destroys it: the record stays in B, the 15 carrying it reaches A
    record = _ok(clerk_b.post(f"{copy['@id']}/@recall-destroy", json={}), "destroy in B")
    assert record["by"] == "snv.vanthu" and record["files"][0]["sha256"], record
    assert clerk_b.get(copy["@id"]).status_code == 404
    destroyed = until(lambda: business(a, doc1, "15"), "A to see 15 (destroyed at the recipient)")
    assert "Đã hủy" in destroyed["business_description"], destroyed

    # -- 6. never twice: more rounds change nothing ------------------------------------------
    for _round in range(3):
        pump()
    # both copies are gone from B (one destroyed at once, one by its clerk); nothing came back
    assert copies_in_b(b, doc1["title"]) == []
    assert copies_in_b(b, doc2["title"]) == []
    per_package = Counter((r["DocumentId"], r.get("BussinessDocType", ""), r.get("StatusCode", ""),
                           r["MessageType"]) for r in relay.records())
    duplicates = {k: n for k, n in per_package.items() if n > 1}
    assert duplicates == {}, duplicates
    edocs = [r for r in relay.records() if r["MessageType"] == "edoc"]
    assert len(edocs) == 4, edocs  # two documents, two revokes — each stored once
    for record in edocs:
        assert record["From"] == STTTT and record["recipients"] == {SNV: "done"}, record
    a_final = recipient_status(a, doc1)
    codes = [h["code"] for h in a_final["history"]]
    assert codes == ["01", "03", "04", "06", "15"], a_final["history"]  # each status once, in order
    print(f"\ntwo-instance exchange: issue→received {latency:.2f}s, whole scenario "
          f"{time.monotonic() - started:.1f}s, {len(a.ticks)} rounds in A, {len(b.ticks)} in B")
