"""Issuing while other users write in the same agencies (issue 11, defect 11).

The signing, verification and scanning of ``issue`` happen once, outside the
transaction that takes the number; conflicts of that transaction with the other
writers only repeat the cheap part. The document is issued with the next number
of the register (no gap, no duplicate).
"""

from concurrent.futures import ThreadPoolExecutor
from dongthap.qlvb.signing import api as signing
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.incoming.helpers import payload as incoming_payload
from tests.outgoing.helpers import payload
from tests.outgoing.helpers import session

import pytest
import threading
import time


def _uid(url, path):
    r = session(SITE_OWNER_NAME, SITE_OWNER_PASSWORD).get(f"{url}/{path}")
    assert r.status_code == 200, r.text
    return r.json()["UID"]


def _act(doc_url, user, transition):
    r = session(user).post(f"{doc_url}/@workflow/{transition}", json={})
    assert r.status_code == 200, (transition, r.text)
    return r.json()


def _signed_draft(url, recipient_uid, title):
    r = session("stttt.chuyenvien").post(f"{url}/so-tttt/@outgoing",
                                         json=payload([recipient_uid], title=title))
    assert r.status_code == 201, r.text
    doc = r.json()["url"]
    for user, transition in (("stttt.chuyenvien", "submit"), ("stttt.truongphong", "forward"),
                             ("stttt.lanhdao", "approve"), ("stttt.lanhdao", "sign")):
        _act(doc, user, transition)
    return doc


def _writers(url, stop, done):
    """The recipient's clerk registers incoming documents, the sender's drafter writes drafts."""

    def clerk(user, agency):
        s = session(user)
        while not stop.is_set():
            r = s.post(f"{url}/{agency}/@incoming", json=incoming_payload(register=True))
            assert r.status_code == 201, r.text
            done.append(agency)
            time.sleep(0.1)

    def drafter():
        s = session("stttt.chuyenvien")
        while not stop.is_set():
            r = s.post(f"{url}/so-tttt/@outgoing", json=payload([], title="V/v bản nháp song song"))
            assert r.status_code == 201, r.text
            done.append("draft")
            time.sleep(0.1)

    return [lambda: clerk("snv.vanthu", "so-noi-vu"), drafter]


@pytest.mark.stress
def test_issue_signs_once_under_concurrent_writes(demo_server, monkeypatch):
    url = demo_server["url"]
    recipient = _uid(url, "so-noi-vu")
    docs = [_signed_draft(url, recipient, f"V/v phát hành khi đang tải {i}") for i in range(3)]
    calls = []
    real = signing._sign_agency

    def counting(*args, **kwargs):
        calls.append(kwargs.get("code_number"))
        time.sleep(0.3)  # a slow signature (HSM, time-stamping authority): the writers commit meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(signing, "_sign_agency", counting)
    stop, done = threading.Event(), []
    with ThreadPoolExecutor(4) as pool:
        writers = [pool.submit(w) for w in _writers(url, stop, done)]
        try:
            time.sleep(0.5)
            results = [_act(doc, "stttt.vanthu", "issue") for doc in docs]
        finally:
            stop.set()
        for writer in writers:
            writer.result()
    assert len(done) > 3  # the others really wrote meanwhile
    numbers = [int(r["code_number"]) for r in results]
    assert [r["review_state"] for r in results] == ["issued"] * 3
    assert numbers == list(range(numbers[0], numbers[0] + 3))  # the next numbers, in order
    assert len(calls) == 3  # each document signed once, whatever the conflicts
    assert [int(n) for n in calls] == numbers  # with the number it was issued with
    for doc, number in zip(docs, numbers, strict=True):
        got = session("stttt.vanthu").get(doc).json()
        assert got["review_state"] == "issued" and int(got["code_number"]) == number
        status = session("stttt.vanthu").get(f"{doc}/@delivery-status").json()
        assert len(status["items"]) == 1
