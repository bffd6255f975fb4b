"""A body that is no JSON object gets a translated 400 from every service of ours, and changes nothing."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.incoming.helpers import payload

import pytest
import requests

MESSAGE = "Nội dung yêu cầu phải là một đối tượng JSON."
BAD_BODIES = ["{không phải json", "[1, 2]", '"chuỗi"']


def session(user):
    s = requests.Session()
    s.auth = (user, DEMO_PASSWORD)
    s.headers.update({"Accept": "application/json", "Content-Type": "application/json"})
    return s


@pytest.fixture
def incoming_doc(demo_server):
    r = session("stttt.vanthu").post(f"{demo_server['url']}/so-tttt/@incoming",
                                     json=payload(register=True))
    assert r.status_code == 201, r.text
    return r.json()["@id"]


@pytest.mark.parametrize("bad", BAD_BODIES)
@pytest.mark.parametrize(("user", "method", "where"), [
    ("stttt.vanthu", "post", "so-tttt/@incoming"),
    ("stttt.chuyenvien", "post", "so-tttt/@outgoing"),
    ("stttt.quantri", "post", "so-tttt/@staff"),
    ("stttt.quantri", "delete", "so-tttt/@staff/stttt.chuyenvien"),
    ("stttt.lanhdao", "post", "@signing-certificates"),
    ("stttt.lanhdao", "delete", "@signing-certificates"),
    ("stttt.lanhdao", "post", "so-tttt/@delegations"),
    ("stttt.lanhdao", "delete", "so-tttt/@delegations/0123456789abcdef0123456789abcdef"),
])
def test_agency_services(demo_server, user, method, where, bad):
    r = getattr(session(user), method)(f"{demo_server['url']}/{where}", data=bad.encode())
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == MESSAGE


@pytest.mark.parametrize("bad", BAD_BODIES)
@pytest.mark.parametrize(("user", "service"), [
    ("stttt.lanhdao", "@assign"),
    ("stttt.lanhdao", "@workflow/reopen"),
])
def test_document_services(demo_server, incoming_doc, user, service, bad):
    before = session("stttt.vanthu").get(incoming_doc).json()["review_state"]
    r = session(user).post(f"{incoming_doc}/{service}", data=bad.encode())
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == MESSAGE
    assert session("stttt.vanthu").get(incoming_doc).json()["review_state"] == before


def test_staff_unchanged_after_a_bad_body(demo_server):
    admin = session("stttt.quantri")
    before = admin.get(f"{demo_server['url']}/so-tttt/@staff").json()["items"]
    admin.delete(f"{demo_server['url']}/so-tttt/@staff/stttt.chuyenvien", data=b"{x")
    assert admin.get(f"{demo_server['url']}/so-tttt/@staff").json()["items"] == before


UNKNOWN = "Yêu cầu có trường không tồn tại hoặc chỉ đọc: ghi_chu."


@pytest.mark.parametrize(("user", "service", "data"), [
    ("stttt.lanhdao", "@workflow/reopen", {"comment": "Mở lại", "ghi_chu": "x"}),
    ("stttt.vanthu", "@refuse-duplicate", {"reason": "Trùng", "ghi_chu": "x"}),
])
def test_unknown_fields_are_refused_by_name(demo_server, incoming_doc, user, service, data):
    """A field the service does not read is refused (400, naming it), not silently ignored."""
    before = session("stttt.vanthu").get(incoming_doc).json()
    r = session(user).post(f"{incoming_doc}/{service}", json=data)
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == UNKNOWN
    assert [e["field"] for e in r.json()["error"]["errors"]] == ["ghi_chu"]
    after = session("stttt.vanthu").get(incoming_doc).json()
    assert after["review_state"] == before["review_state"] and after["modified"] == before["modified"]
