"""Incidents in one place: account incidents beside the antivirus ones, states, notes, scenarios."""

from dongthap.qlvb.accounts import api as accounts
from dongthap.qlvb.antivirus import incidents
from dongthap.qlvb.audit import store as audit_store
from dongthap.qlvb.audit import writer
from tests.incoming.helpers import session

import pytest
import re
import transaction


@pytest.fixture
def audited(demo_server, file_store):
    with audit_store.using(file_store):
        yield demo_server, file_store


def _html(user):
    s = session(user)
    s.headers["Accept"] = "text/html"
    return s


def _token(page):
    found = (re.search(r'name="_authenticator" value="([^"]+)"', page)
             or re.search(r'data-token="([^"]+)"', page))
    return found.group(1)


def test_account_incident_handled_on_the_incident_page(audited):
    from plone import api
    from zope.component.hooks import setSite

    server, store = audited
    url = server["url"]
    portal = server["layer"]["portal"]
    setSite(portal)
    with api.env.adopt_roles(["Manager"]):
        # the accounts capability locks, opens the incident and notifies: the trail records it
        accounts.lock("stttt.chuyenvien", reason="10 lần sai mật khẩu", by="admin", now=True)
    writer.flush()
    locked = store.search(action="account_locked")
    assert locked and locked[0]["outcome"] == "refused" and "password" not in locked[0]["detail"]
    transaction.begin()  # see what the separate connection committed
    log = incidents.get_log(portal)
    mine = [i for i in log.query() if i["kind"] == incidents.ACCOUNT_LOCKED]
    assert mine and mine[0]["userid"] == "stttt.chuyenvien" and mine[0]["state"] == incidents.NEW
    key = mine[0]["id"]

    officer = _html("stttt.antt")
    page = officer.get(f"{url}/so-tttt/@@su-co-attt")
    assert page.status_code == 200
    assert "Tài khoản bị khóa" in page.text and "Mới" in page.text
    r = officer.post(f"{url}/so-tttt/@@su-co-attt", data={
        "_authenticator": _token(page.text), "incident": str(key), "state": incidents.IN_PROGRESS,
        "note": "Đã gọi điện cho người dùng"})
    assert r.status_code == 200
    assert "Đang xử lý" in r.text and "Đã gọi điện cho người dùng" in r.text
    # another agency's officer cannot touch it; a forged state is refused
    other = _html("snv.antt")
    other_page = other.get(f"{url}/so-noi-vu/@@su-co-attt")
    r = other.post(f"{url}/so-noi-vu/@@su-co-attt", data={
        "_authenticator": _token(other_page.text), "incident": str(key), "state": incidents.RESOLVED})
    assert r.status_code == 400
    r = officer.post(f"{url}/so-tttt/@@su-co-attt", data={
        "_authenticator": _token(page.text), "incident": str(key), "state": "gone"})
    assert r.status_code == 400
    writer.flush()
    changed = store.search(action="incident_changed")
    assert len(changed) == 1 and changed[0]["detail"]["state"] == incidents.IN_PROGRESS


def test_scenarios_page(audited):
    server, store = audited
    url = server["url"]
    officer = _html("stttt.antt")
    page = officer.get(f"{url}/so-tttt/@@kich-ban-ung-pho")
    assert page.status_code == 200 and "Chưa có kịch bản" in page.text
    r = officer.post(f"{url}/so-tttt/@@kich-ban-ung-pho", data={
        "_authenticator": _token(page.text),
        "text": "<h2>Mất tài khoản</h2><p>Báo ngay cán bộ ATTT</p><script>alert(1)</script>"})
    assert r.status_code == 200
    assert "Báo ngay cán bộ ATTT" in r.text and "alert(1)" not in r.text
    # readers of the incidents read it; a clerk does not even open it
    leader_page = _html("stttt.antt").get(f"{url}/so-tttt/@@kich-ban-ung-pho")
    assert "Báo ngay cán bộ ATTT" in leader_page.text
    refused = _html("stttt.vanthu").get(f"{url}/so-tttt/@@kich-ban-ung-pho", allow_redirects=False)
    assert refused.status_code in (302, 401, 403)
    writer.flush()
    assert store.search(action="scenarios_changed")
