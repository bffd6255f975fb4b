"""Audit completeness over a full document journey, through real HTTP, in both stores.

Every step a user takes is logged exactly once, with who, from where and on
what; an aborted attempt logs its refusal, not the action.
"""

from dongthap.qlvb.audit import store as audit_store
from dongthap.qlvb.audit import writer
from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import collections
import pytest


@pytest.fixture(params=["file", "postgresql"])
def audited(request, demo_server):
    chosen = request.getfixturevalue("file_store" if request.param == "file" else "pg_store")
    with audit_store.using(chosen):
        yield demo_server["url"], chosen
        writer.flush()


def _records_of(store, uid):
    assert writer.flush()
    return list(reversed(store.search(uid=uid, limit=None)))


def test_every_step_logged_once(audited):
    url, store = audited
    clerk, leader = session("stttt.vanthu"), session("stttt.lanhdao")
    head = session("stttt.truongphong")
    clerk.headers["X-Forwarded-For"] = "203.0.113.7"  # from the (trusted) local proxy
    r = clerk.post(f"{url}/so-tttt/@incoming", json=payload())
    assert r.status_code == 201, r.text
    doc = r.json()
    doc_url, uid = doc["url"], doc["UID"] if "UID" in doc else None
    assert clerk.post(f"{doc_url}/@workflow/register", json={"comment": "Vào sổ"}).status_code == 200
    # a second registration is refused: the attempt is logged as refused, the action stays once
    assert clerk.post(f"{doc_url}/@workflow/register").status_code == 400
    uid = uid or clerk.get(doc_url).json()["UID"]  # a view
    r = leader.post(f"{doc_url}/@assign", json={"lead": {"user": "stttt.truongphong"}})
    assert r.status_code == 200, r.text
    assert head.get(f"{doc_url}/@@download/file").status_code == 200
    assert head.post(f"{doc_url}/@workflow/start").status_code == 200
    assert head.post(f"{doc_url}/@progress", json={"text": "Đã dự thảo"}).status_code == 200
    assert head.post(f"{doc_url}/@workflow/complete", json={"comment": "Xong"}).status_code == 200
    # archiving is no user's step any more: it follows the transfer of the document's dossier
    # refused: someone of another agency tries to read it; a transition that is not allowed
    assert session("snv.vanthu").get(doc_url).status_code in (401, 403)

    records = _records_of(store, uid)
    counts = collections.Counter((r["action"], r["outcome"]) for r in records)
    for action in ("create", "register", "view", "assign", "download", "start", "progress",
                   "complete"):
        assert counts[(action, "ok")] == 1, (action, counts)
    assert counts[("view", "refused")] == 1, counts
    refused_posts = [r for r in records if r["outcome"] == "refused" and r["method"] == "POST"]
    assert len(refused_posts) == 1, refused_posts
    assert ("modified", "ok") not in counts  # the edits are said by the steps themselves
    by_action = {r["action"]: r for r in records if r["outcome"] == "ok"}
    assert by_action["create"]["userid"] == "stttt.vanthu"
    assert by_action["create"]["client"] == "203.0.113.7"
    assert by_action["download"]["userid"] == "stttt.truongphong"
    assert by_action["register"]["path"].endswith(doc_url.rsplit("/", 1)[-1])
    assert by_action["register"]["title"] == payload()["title"]
    refused = [r for r in records if r["outcome"] == "refused" and r["action"] == "view"]
    assert refused[0]["detail"]["claimed_login"] == "snv.vanthu"
    assert store.verify().ok


def test_untrusted_forwarded_for_is_ignored(audited, monkeypatch):
    url, store = audited
    monkeypatch.setenv("QLVB_AUDIT_TRUSTED_PROXIES", "10.9.9.9")
    clerk = session("stttt.vanthu")
    clerk.headers["X-Forwarded-For"] = "203.0.113.7"
    r = clerk.post(f"{url}/so-tttt/@incoming", json=payload())
    assert r.status_code == 201
    records = _records_of(store, clerk.get(r.json()["url"]).json()["UID"])
    assert {rec["client"] for rec in records} == {"127.0.0.1"}
