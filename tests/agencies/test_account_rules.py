"""Who may hold which account and role (issue 11, item 7), through real HTTP and the API.

* no account is named in the groups' name space (``qlvb-…``), whatever the path;
* a group's role never reaches an account that has (or takes) the group's id;
* an agency admin cannot pull staff of another agency into his own (moving people is the
  provincial administrator's act);
* nobody gives roles to himself, and the provincial administrator gets no agency role.
"""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.security import roles as R
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from tests.agencies.test_isolation import session

import pytest
import requests

RESERVED = "Tên tài khoản bắt đầu bằng \"qlvb-\" được dành cho các nhóm của hệ thống."


def _new_account(username):
    return {"username": username, "fullname": "Kẻ Mạo Danh", "email": "x@example.invalid",
            "password": "MatKhau@2026", "roles": ["specialist"], "create": True}


@pytest.mark.parametrize("username", ["qlvb-000.00.55.H20-leader", "QLVB-province-admins",
                                      "Qlvb-000.00.14.H20-clerk"])
def test_agency_admin_cannot_create_an_account_named_like_a_group(url, username):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json=_new_account(username))
    assert r.status_code == 400, r.text
    assert r.json()["error"]["message"] == RESERVED
    owner = requests.Session()
    owner.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    owner.headers["Accept"] = "application/json"
    assert owner.get(f"{url}/@users/{username}").status_code == 404


def test_staff_page_refuses_an_account_named_like_a_group(url):
    import html
    import re

    page = requests.Session()
    page.auth = ("stttt.quantri", "Demo@2026")
    form = page.get(f"{url}/so-tttt/@@can-bo").text
    token = re.search(r'name="_authenticator" value="([^"]+)"', form).group(1)
    r = page.post(f"{url}/so-tttt/@@can-bo", data={
        "_authenticator": token, "action": "create", "username": "qlvb-000.00.57.H20-clerk",
        "fullname": "Kẻ Mạo Danh", "email": "x@example.invalid", "password": "MatKhau@2026",
        "roles:list": "clerk"})
    assert r.status_code == 200
    assert RESERVED in html.unescape(r.text)
    assert "qlvb-000.00.57.H20-clerk" not in _usernames(session("stttt.quantri").get(
        f"{url}/so-tttt/@staff").json())


def test_plone_user_creation_refuses_the_group_prefix(url):
    """Plone's own ``@users`` (and its registration forms, via the same tool) refuse it too."""
    owner = requests.Session()
    owner.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    owner.headers["Accept"] = "application/json"
    for name in ("qlvb-000.00.58.H20-leader", "QLVB-khac"):  # groups to come: no group exists yet
        r = owner.post(f"{url}/@users", json={"username": name, "email": "a@example.invalid",
                                              "password": "MatKhau@2026"})
        assert r.status_code == 400, r.text
        assert owner.get(f"{url}/@users/{name}").status_code == 404
    r = owner.post(f"{url}/@users", json={"username": "nguoi.binh.thuong", "email": "b@example.invalid",
                                          "password": "MatKhau@2026"})
    assert r.status_code == 201, r.text


def test_a_group_role_never_reaches_an_account_of_the_same_id(demo):
    """An account that slipped in before the prefix was reserved does not become the leader."""
    acl_users = api.portal.get_tool("acl_users")
    acl_users.source_users.addUser("qlvb-000.00.56.H20-leader", "qlvb-000.00.56.H20-leader",
                                   "MatKhau@2026")
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=demo, type="Agency", id="so-moi", title="Sở Mới",
                                    agency_code="000.00.56.H20", abbreviation="SM",
                                    level="department")
    gid = agencies.group_id(agency, R.LEADER)
    assert gid != "qlvb-000.00.56.H20-leader"
    assert api.group.get(groupname=gid) is not None
    squatter = api.user.get(userid="qlvb-000.00.56.H20-leader")
    assert R.LEADER not in api.user.get_roles(user=squatter, obj=agency)
    assert "qlvb-000.00.56.H20-leader" not in dict(agency.get_local_roles())
    # nor can anybody give it a role now
    with api.env.adopt_roles(["Manager"]), pytest.raises(agencies.StaffError):
        agencies.assign(agency=agency, username="qlvb-000.00.56.H20-leader", roles=[R.CLERK])


def _usernames(body):
    return {m["username"] for m in body["items"]}


def test_agency_admin_cannot_pull_staff_of_another_agency(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "snv.chuyenvien", "roles": ["clerk"]})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == (
        "snv.chuyenvien là cán bộ của Sở Nội vụ; chỉ quản trị hệ thống cấp tỉnh mới chuyển "
        "cán bộ giữa các cơ quan.")
    assert "snv.chuyenvien" not in _usernames(admin.get(f"{url}/so-tttt/@staff").json())
    assert session("snv.chuyenvien").get(f"{url}/so-tttt").status_code in (401, 403)
    # the provincial administrator may (moving people between agencies is his act)
    r = session("qtht").post(f"{url}/so-tttt/@staff", json={"username": "snv.chuyenvien",
                                                            "roles": ["clerk"]})
    assert r.status_code == 200, r.text
    assert "snv.chuyenvien" in _usernames(r.json())
    # an account of nobody's staff is the agency admin's to take
    owner = requests.Session()
    owner.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    owner.headers["Accept"] = "application/json"
    assert owner.post(f"{url}/@users", json={"username": "tu.do", "email": "t@example.invalid",
                                             "password": "MatKhau@2026"}).status_code == 201
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "tu.do", "roles": ["clerk"]})
    assert r.status_code == 200, r.text


def test_province_admin_cannot_give_himself_an_agency_role(url):
    qtht = session("qtht")
    r = qtht.post(f"{url}/so-noi-vu/@staff", json={"username": "qtht", "roles": ["clerk"]})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == "Không thể tự phân quyền cho chính tài khoản của mình."
    assert "qtht" not in _usernames(qtht.get(f"{url}/so-noi-vu/@staff").json())
    found = qtht.get(f"{url}/@search", params={"portal_type": "IncomingDocument", "b_size": 100})
    assert found.json()["items_total"] == 0
    # nor can an agency admin give him one
    r = session("snv.quantri").post(f"{url}/so-noi-vu/@staff", json={"username": "qtht",
                                                                     "roles": ["clerk"]})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == (
        "qtht là quản trị hệ thống cấp tỉnh, không được giao vai trò trong cơ quan.")


def test_agency_admin_cannot_give_himself_more_roles(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.quantri", "roles": ["leader"]})
    assert r.status_code == 403, r.text
    member = {m["username"]: m for m in admin.get(f"{url}/so-tttt/@staff").json()["items"]}
    assert member["stttt.quantri"]["roles"] == ["agency_admin"]


def test_registration_tool_refuses_the_prefix(demo):
    registration = api.portal.get_tool("portal_registration")
    assert not registration.isMemberIdAllowed("qlvb-000.00.59.H20-clerk")
    assert not registration.isMemberIdAllowed("QlVb-x")
    assert registration.isMemberIdAllowed("stttt.nguoimoi")


def test_upgrade_1004_reserves_the_prefix_on_an_existing_site(demo):
    from dongthap.qlvb.upgrades import v1004_accounts

    registration = api.portal.get_tool("portal_registration")
    with api.env.adopt_roles(["Manager"]):
        registration.manage_editIDPattern("")  # as a 1003 site was
        assert registration.isMemberIdAllowed("qlvb-000.00.60.H20-leader")
        api.portal.get_tool("acl_users").source_users.addUser(
            "qlvb-000.00.61.H20-clerk", "qlvb-000.00.61.H20-clerk", "MatKhau@2026")
        assert v1004_accounts.reserve_prefix(None) == ["qlvb-000.00.61.H20-clerk"]
    assert not registration.isMemberIdAllowed("qlvb-000.00.60.H20-leader")
