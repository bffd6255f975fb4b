"""Access-right changes: a dry run shows what will change, the confirmed call makes it, the trail logs it."""

from dongthap.qlvb.audit import store as audit_store
from dongthap.qlvb.audit import writer
from tests.incoming.helpers import session

import pytest


@pytest.fixture
def audited(demo_server, file_store):
    with audit_store.using(file_store):
        yield demo_server["url"], file_store


def _roles(admin, url, username):
    staff = admin.get(f"{url}/so-tttt/@staff").json()
    items = staff["items"] if isinstance(staff, dict) and "items" in staff else staff
    text = repr([m for m in items if m.get("username") == username])
    return text


def test_grant_and_remove_with_dry_run(audited):
    url, store = audited
    admin = session("stttt.quantri")
    before = _roles(admin, url, "stttt.luutru")
    r = admin.post(f"{url}/so-tttt/@staff?dry_run=1", json={"username": "stttt.luutru",
                                                             "roles": ["records_manager", "clerk"]})
    assert r.status_code == 200, r.text
    answer = r.json()
    assert answer["dry_run"] is True
    # the records manager already holds his role: only the clerk's role is a change
    assert [(c["role"], c["change"]) for c in answer["changes"]] == [("clerk", "grant")]
    assert "stttt.luutru" in answer["changes"][0]["text"] and "Văn thư" in answer["changes"][0]["text"]
    assert _roles(admin, url, "stttt.luutru") == before  # nothing changed yet

    r = admin.post(f"{url}/so-tttt/@staff", json={
        "username": "stttt.luutru", "roles": ["records_manager", "clerk"],
        "confirmation": answer["confirmation"]})
    assert r.status_code == 200, r.text
    assert _roles(admin, url, "stttt.luutru") != before

    # removing: dry run, then a stale confirmation (the change is no longer the one shown) is refused
    r = admin.delete(f"{url}/so-tttt/@staff/stttt.luutru", params={"dry_run": "1"}, json={"roles": ["clerk"]})
    assert r.status_code == 200 and [c["change"] for c in r.json()["changes"]] == ["remove"]
    r = admin.delete(f"{url}/so-tttt/@staff/stttt.luutru", json={"roles": ["clerk"],
                                                                "confirmation": answer["confirmation"]})
    assert r.status_code == 409, r.text
    r = admin.delete(f"{url}/so-tttt/@staff/stttt.luutru", json={"roles": ["clerk"]})
    assert r.status_code == 204
    assert _roles(admin, url, "stttt.luutru") == before

    writer.flush()
    granted = store.search(action="role_granted")
    removed = store.search(action="role_removed")
    assert len(granted) == 1 and granted[0]["detail"]["principal"] == "stttt.luutru"
    assert granted[0]["detail"]["role"] == "QlvbClerk" and granted[0]["userid"] == "stttt.quantri"
    assert len(removed) == 1 and removed[0]["agency_uid"] == granted[0]["agency_uid"]


def test_grant_on_the_staff_page_is_previewed_then_confirmed(audited):
    import html
    import re
    import requests

    from dongthap.qlvb.demo.data import DEMO_PASSWORD

    url, store = audited
    page = requests.Session()
    page.auth = ("stttt.quantri", DEMO_PASSWORD)
    address = f"{url}/so-tttt/@@can-bo"
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.get(address).text).group(1)
    admin = session("stttt.quantri")
    before = _roles(admin, url, "stttt.luutru")
    form = {"_authenticator": token, "action": "assign", "username": "stttt.luutru",
            "roles:list": ["records_manager", "clerk"]}
    r = page.post(address, data=form)
    text = html.unescape(r.text)
    # the change is shown, nothing is made yet; the records manager's own role is no change
    assert "Kiểm tra thay đổi trước khi thực hiện" in text
    assert re.findall(r"<li>(stttt\.luutru[^<]*)</li>", text) == ["stttt.luutru được cấp vai trò Văn thư."]
    assert _roles(admin, url, "stttt.luutru") == before
    confirmation = re.search(r'name="confirmation" value="([0-9a-f]+)"', r.text).group(1)
    confirm_form = r.text[r.text.index('id="qlvb-assign-confirm"'):]
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"',
                             confirm_form[:confirm_form.index("</form>")]))
    assert hidden["confirm"] == "yes" and hidden["username"] == "stttt.luutru"
    # a confirmation of another change is refused (409 message), nothing is made
    r = page.post(address, data=dict(form, confirm="yes", confirmation="0" * 64))
    assert "Quyền truy cập đã thay đổi sau khi xác nhận" in html.unescape(r.text)
    assert _roles(admin, url, "stttt.luutru") == before
    # confirmed: made, and logged
    r = page.post(address, data=dict(form, confirm="yes", confirmation=confirmation))
    assert "Đã giao vai trò cho stttt.luutru." in html.unescape(r.text)
    assert _roles(admin, url, "stttt.luutru") != before
    writer.flush()
    granted = store.search(action="role_granted")
    assert granted and any("stttt.luutru" in repr(g) for g in granted)
    # nothing new to grant: made at once (no preview of an empty change)
    r = page.post(address, data=form)
    assert "Kiểm tra thay đổi trước khi thực hiện" not in html.unescape(r.text)
