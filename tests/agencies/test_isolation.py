"""Isolation of agencies and the staff API, through real HTTP (REST and pages).

Every agency role of agency A is tried against agency B: no page, no REST
resource, no listing, no search result of B may reach them.
"""

from dongthap.qlvb.demo import data as demo_data
from dongthap.qlvb.security import roles as R
from tests.helpers import session

import pytest
import requests

PW = demo_data.DEMO_PASSWORD
ROLE_LOGINS = {role: suffix for role, (suffix, _t) in demo_data.LOGINS.items()}


@pytest.mark.parametrize("role", R.AGENCY_ROLES)
def test_staff_of_one_agency_cannot_reach_another(url, role):
    s = session(f"stttt.{ROLE_LOGINS[role]}")
    own = s.get(f"{url}/so-tttt")
    assert own.status_code == 200, own.text
    for path in ("so-noi-vu", "so-noi-vu/vp", "ubnd-tinh", "ubnd-tinh/van-phong-ubnd-tinh"):
        r = s.get(f"{url}/{path}")
        assert r.status_code in (401, 403), (role, path, r.status_code)
        page = requests.get(f"{url}/{path}", auth=(f"stttt.{ROLE_LOGINS[role]}", PW))
        assert page.status_code in (401, 403) or "Sở Nội vụ" not in page.text
    found = s.get(f"{url}/@search", params={"portal_type": ["Agency", "Department"], "b_size": 100})
    paths = {item["@id"].replace(url, "") for item in found.json()["items"]}
    assert paths and all(p.startswith("/so-tttt") for p in paths), paths


def test_parent_agency_staff_do_not_inherit_into_sub_agency(url):
    s = session("ubnd.vanthu")
    assert s.get(f"{url}/ubnd-tinh").status_code == 200
    assert s.get(f"{url}/ubnd-tinh/van-phong-ubnd-tinh").status_code in (401, 403)


def test_anonymous_sees_no_agency(url):
    r = requests.get(f"{url}/so-tttt", headers={"Accept": "application/json"})
    assert r.status_code == 401
    r = requests.get(f"{url}/@search", params={"portal_type": "Agency"},
                     headers={"Accept": "application/json"})
    assert r.json()["items_total"] == 0


def test_province_admin_sees_every_agency(url):
    s = session("qtht")
    found = s.get(f"{url}/@search", params={"portal_type": "Agency"}).json()
    assert found["items_total"] == len(demo_data.AGENCIES)


def test_staff_listing_in_vietnamese(url):
    r = session("stttt.quantri").get(f"{url}/so-tttt/@staff")
    assert r.status_code == 200
    data = r.json()
    assert {m["username"] for m in data["items"]} >= {"stttt.vanthu", "stttt.lanhdao"}
    titles = {role["key"]: role["title"] for role in data["roles"]}
    assert titles["clerk"] == "Văn thư"


def test_specialist_cannot_see_staff(url):
    r = session("stttt.chuyenvien").get(f"{url}/so-tttt/@staff")
    assert r.status_code in (401, 403)


def test_agency_admin_assigns_and_removes_roles(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.chuyenvien", "roles": ["clerk"]})
    assert r.status_code == 200, r.text
    member = {m["username"]: m for m in r.json()["items"]}["stttt.chuyenvien"]
    assert set(member["roles"]) == {"clerk", "specialist"}
    r = admin.delete(f"{url}/so-tttt/@staff/stttt.chuyenvien", json={"roles": ["clerk"]})
    assert r.status_code == 204
    member = {m["username"]: m for m in admin.get(f"{url}/so-tttt/@staff").json()["items"]}
    assert member["stttt.chuyenvien"]["roles"] == ["specialist"]


def test_agency_admin_creates_account(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={
        "username": "stttt.moi", "fullname": "Trương Thị Mới", "email": "moi@example.invalid",
        "password": "MatKhau@2026", "roles": ["specialist"], "create": True,
    })
    assert r.status_code == 201, r.text
    assert session("stttt.moi", "MatKhau@2026").get(f"{url}/so-tttt").status_code == 200
    # the new account sees nothing of other agencies
    assert session("stttt.moi", "MatKhau@2026").get(f"{url}/so-noi-vu").status_code in (401, 403)


def test_agency_admin_cannot_touch_another_agency(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-noi-vu/@staff", json={"username": "stttt.quantri", "roles": ["leader"]})
    assert r.status_code in (401, 403)
    r = admin.delete(f"{url}/so-noi-vu/@staff/snv.vanthu")
    assert r.status_code in (401, 403)


@pytest.mark.parametrize("role", [R.CLERK, R.LEADER, R.SPECIALIST, R.DEPARTMENT_HEAD, R.RECORDS_MANAGER])
def test_only_agency_admin_manages_staff(url, role):
    r = session(f"stttt.{ROLE_LOGINS[role]}").post(
        f"{url}/so-tttt/@staff", json={"username": "stttt.vanthu", "roles": ["leader"]}
    )
    assert r.status_code in (401, 403)


def test_staff_errors_are_vietnamese_json(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "khongco", "roles": ["clerk"]})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Không có tài khoản nào tên là khongco."
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.vanthu", "roles": ["vua"]})
    assert r.status_code == 400
    assert "vua" in r.json()["error"]["message"]
    r = admin.post(f"{url}/so-tttt/@staff", json={
        "username": "stttt.vanthu", "fullname": "X", "email": "x@example.invalid",
        "password": "MatKhau@2026", "roles": ["clerk"], "create": True,
    })
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Tài khoản stttt.vanthu đã tồn tại."


def test_agency_code_uniqueness_through_rest(url):
    s = session("qtht")
    body = {"@type": "Agency", "title": "Sở Trùng Mã", "agency_code": "000.00.14.H20",
            "abbreviation": "STM", "level": "department", "status": "active"}
    r = s.post(url, json=body)
    assert r.status_code == 400, r.text
    assert "000.00.14.H20" in r.text
    body["agency_code"] = "000.00.14.h20"
    assert s.post(url, json=body).status_code == 400
    body["agency_code"] = "000.00.77.H20"
    r = s.post(url, json=body)
    assert r.status_code == 201, r.text


def test_agency_admin_cannot_create_agencies(url):
    s = session("stttt.quantri")
    body = {"@type": "Agency", "title": "Phòng Lạ", "agency_code": "000.00.78.H20",
            "abbreviation": "PL", "level": "unit"}
    assert s.post(f"{url}/so-tttt", json=body).status_code in (401, 403)
    body = {"@type": "Department", "title": "Phòng Mới", "abbreviation": "PM"}
    assert s.post(f"{url}/so-tttt", json=body).status_code == 201
    assert s.post(f"{url}/so-noi-vu", json=body).status_code in (401, 403)


def test_logged_in_user_refused_gets_403_not_a_login(url):
    """A member of agency A opening agency B: a translated 403 (JSON for REST, a page otherwise), never
    a login prompt; an anonymous visitor is still asked to log in."""
    s = session("stttt.vanthu")
    for path in ("so-noi-vu", "so-noi-vu/@tasks", "so-noi-vu/@@lich-cong-tac"):
        r = s.get(f"{url}/{path}")
        assert r.status_code == 403, (path, r.status_code)
        assert "WWW-Authenticate" not in r.headers
        assert r.json()["error"]["type"] == "Forbidden"
        assert r.json()["error"]["message"].startswith("Không có quyền truy cập"), r.json()
    for path in ("so-noi-vu", "so-noi-vu/@@lich-cong-tac"):
        page = requests.get(f"{url}/{path}", auth=("stttt.vanthu", PW), allow_redirects=False,
                            headers={"Accept": "text/html"})
        assert page.status_code == 403, (path, page.status_code, page.headers.get("Location"))
        assert "Không có quyền truy cập" in page.text
        assert "Sở Nội vụ" not in page.text
        # drawn in the user's own site layout: the navigation is there, not an empty frame
        assert 'nav-item"' in page.text.split('id="portal-globalnav"', 1)[1].split("</ul>", 1)[0]
    assert s.get(f"{url}/so-noi-vu/khong-co").status_code == 404
    anon = requests.get(f"{url}/so-noi-vu", allow_redirects=False, headers={"Accept": "text/html"})
    assert anon.status_code == 302 and "require_login" in anon.headers["Location"]
    assert requests.get(f"{url}/so-noi-vu", headers={"Accept": "application/json"}).status_code == 401
    wrong = requests.get(f"{url}/so-noi-vu", auth=("stttt.vanthu", "sai-mat-khau"),
                         headers={"Accept": "application/json"})
    assert wrong.status_code == 401


def test_wrong_method_on_a_service_is_405_with_allow(url):
    """The wrong method on one of the add-on's services: 405 naming the methods it accepts (``Allow``);
    an unknown service, an unknown object and another agency's object stay a plain 404."""
    s = session("stttt.vanthu")
    r = s.delete(f"{url}/so-tttt/@tasks")
    assert r.status_code == 405, r.text
    assert r.headers["Allow"] == "GET, POST"
    assert r.json()["error"]["type"] == "MethodNotAllowed"
    assert "DELETE" in r.json()["error"]["message"] and "GET, POST" in r.json()["error"]["message"]
    assert r.json()["error"]["message"].startswith("Địa chỉ này không nhận phương thức")
    assert s.put(f"{url}/so-tttt/@calendar", json={}).headers.get("Allow") == "GET, POST, PATCH"
    for path in ("so-tttt/@khong-co", "khong-co/@tasks", "so-noi-vu/@tasks"):
        assert s.delete(f"{url}/{path}").status_code == 404, path
