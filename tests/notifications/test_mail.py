"""E-mail of notifications against a real SMTP server (aiosmtpd) started by the test; REST centre.

Through real HTTP: the clerk registers, the leader assigns; the mail is queued when the
request commits and sent by the worker's flush (``mail.flush``, what each round runs).
"""

from aiosmtpd.controller import Controller
from dongthap.qlvb.notifications import mail
from email import message_from_bytes
from email.header import decode_header
from email.header import make_header
from plone import api
from tests.incoming.helpers import payload
from tests.incoming.helpers import session

import datetime
import pytest
import socket
import transaction

EMAILS = {"stttt.chuyenvien": "chuyenvien@stttt.example.vn", "stttt.lanhdao": "lanhdao@stttt.example.vn"}


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_smtp(port):
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, collector


@pytest.fixture
def site(demo_server, tmp_path, monkeypatch):
    monkeypatch.setenv("QLVB_MAIL_QUEUE_DIR", str(tmp_path / "mailqueue"))
    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    portal = demo_server["layer"]["portal"]
    port = free_port()
    portal.MailHost.smtp_host = "127.0.0.1"
    portal.MailHost.smtp_port = port
    api.portal.set_registry_record("plone.smtp_host", "127.0.0.1")
    api.portal.set_registry_record("plone.smtp_port", port)
    api.portal.set_registry_record("plone.email_from_address", "qlvb@dongthap.example.vn")
    for username, email in EMAILS.items():
        api.user.get(username=username).setMemberProperties({"email": email})
    transaction.commit()
    return {"url": demo_server["url"], "portal": portal, "port": port}


def _assign_over_http(url):
    r = session("stttt.vanthu").post(f"{url}/so-tttt/@incoming", json=payload(register=True))
    assert r.status_code == 201, r.text
    doc = dict(r.json(), title=payload()["title"])
    deadline = (datetime.date.today() + datetime.timedelta(days=7)).isoformat()
    r = session("stttt.lanhdao").post(f"{doc['@id'] if '@id' in doc else doc['url']}/@assign",
                                      json={"lead": {"user": "stttt.chuyenvien", "deadline": deadline}})
    assert r.status_code == 200, r.text
    return doc


def _subject(msg):
    return str(make_header(decode_header(msg["Subject"])))


def _to(collector, address):
    return [m for rcpt, m in collector.messages if rcpt == [address]]


def test_assignment_mail_goes_to_the_assignee_in_vietnamese_with_the_link(site):
    controller, collector = start_smtp(site["port"])
    try:
        doc = _assign_over_http(site["url"])
        assert mail.flush(site["portal"].MailHost)["pending"] == 0
    finally:
        controller.stop()
    mine = _to(collector, EMAILS["stttt.chuyenvien"])
    assert len(mine) == 1
    assert _subject(mine[0]) == f"[QLVB] Được giao chủ trì giải quyết: {doc['title']}"
    body = mine[0].get_payload(decode=True).decode("utf-8")
    doc_url = doc.get("@id") or doc["url"]
    assert f"Mở văn bản: {doc_url}" in body
    assert "Cài đặt thông báo" in body
    # the leader was told at registration that the document waits for his assignment
    leader = _to(collector, EMAILS["stttt.lanhdao"])
    assert [_subject(m) for m in leader] == [f"[QLVB] Văn bản đến chờ đồng chí phân công: {doc['title']}"]
    # nobody else gets notification mail (the antivirus incidents of the unscanned test upload aside)
    ours = [r for r, m in collector.messages if _subject(m).startswith("[QLVB]")]
    assert sorted(ours) == [[EMAILS["stttt.chuyenvien"]], [EMAILS["stttt.lanhdao"]]]


def test_the_action_succeeds_with_the_smtp_server_down_and_the_mail_goes_once_it_is_back(site):
    doc = _assign_over_http(site["url"])  # nothing listens on the port
    first = mail.flush(site["portal"].MailHost)
    assert first["sent"] == 0 and first["pending"] >= 2  # kept for the next round
    state = session("stttt.chuyenvien").get(doc.get("@id") or doc["url"]).json()["review_state"]
    assert state == "assigned"
    controller, collector = start_smtp(site["port"])
    try:
        second = mail.flush(site["portal"].MailHost)
    finally:
        controller.stop()
    assert second["pending"] == 0 and second["sent"] == first["pending"]
    assert len(_to(collector, EMAILS["stttt.chuyenvien"])) == 1
    # sent once: a further round sends nothing again
    assert mail.flush(site["portal"].MailHost) == {"sent": 0, "pending": 0}


def test_rest_notifications_list_and_mark_read(site):
    url = site["url"]
    doc = _assign_over_http(url)
    me = session("stttt.chuyenvien")
    r = me.get(f"{url}/@notifications")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["unread"] >= 1
    first = body["items"][0]
    assert first["kind"] == "assigned_lead" and first["url"] == (doc.get("@id") or doc["url"])
    assert first["text"].startswith("Được giao chủ trì")
    r = me.post(f"{url}/@notifications", json={"ids": [first["id"]]})
    assert r.status_code == 200 and r.json()["marked"] == 1
    r = me.post(f"{url}/@notifications", json={"ids": "x"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "Yêu cầu không hợp lệ."
    r = me.post(f"{url}/@notifications", json={"all": True})
    assert r.status_code == 200 and r.json()["unread"] == 0
    r = me.post(f"{url}/@notifications/preferences", json={"digest": True, "off": ["assigned_fyi"]})
    assert r.status_code == 200 and r.json()["digest"] is True and r.json()["off"] == ["assigned_fyi"]
    import requests

    assert requests.get(f"{url}/@notifications", headers={"Accept": "application/json"},
                        timeout=30).status_code == 401


def test_daily_digest_mail_with_a_frozen_clock(site, monkeypatch):
    """A person who chose the digest gets no mail per notification, then one e-mail listing the
    day's notifications when the reminder job runs; the next day's run sends nothing again."""
    from dongthap.qlvb.exchange.worker import system_user
    from dongthap.qlvb.notifications import reminders
    from dongthap.qlvb.numbering import counter

    start = counter.vietnam_now().replace(hour=9, minute=0, second=0, microsecond=0)
    clock = {"now": start}
    monkeypatch.setattr(counter, "vietnam_now", lambda: clock["now"])
    r = session("stttt.chuyenvien").post(f"{site['url']}/@notifications/preferences", json={"digest": True})
    assert r.status_code == 200 and r.json()["digest"] is True
    controller, collector = start_smtp(site["port"])
    try:
        doc = _assign_over_http(site["url"])
        mail.flush(site["portal"].MailHost)
        assert _to(collector, EMAILS["stttt.chuyenvien"]) == []  # nothing one by one
        portal = site["portal"]
        for hours, expected in ((22, 1), (46, 0)):  # the job: that evening, then the next day
            clock["now"] = start + datetime.timedelta(hours=hours)
            transaction.begin()  # see what the server's requests committed
            with system_user(portal):
                counts = reminders.run(portal, clock["now"], commit=True)
            assert counts["digests"] == expected
            mail.flush(portal.MailHost)
    finally:
        controller.stop()
    [digest] = _to(collector, EMAILS["stttt.chuyenvien"])
    assert _subject(digest) == "[QLVB] Tổng hợp trong ngày: 1 thông báo"
    body = digest.get_payload(decode=True).decode("utf-8")
    assert doc["title"] in body and (doc.get("@id") or doc["url"]) in body
    assert f"{site['url']}/@@thong-bao" in body
