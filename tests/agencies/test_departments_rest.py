"""Departments in the staff API (``@staff``), through real HTTP."""

from tests.agencies.test_isolation import session


def _member(body, username):
    return {m["username"]: m for m in body["items"]}[username]


def test_staff_lists_departments_and_memberships(url):
    body = session("stttt.quantri").get(f"{url}/so-tttt/@staff").json()
    assert [d["id"] for d in body["departments"]] == ["vp", "cntt", "bcvt"]
    assert body["departments"][1] == {"id": "cntt", "title": "Phòng Công nghệ thông tin",
                                      "abbreviation": "CNTT"}
    assert _member(body, "stttt.truongphong")["departments"] == ["vp", "cntt", "bcvt"]
    assert _member(body, "stttt.vanthu")["departments"] == []


def test_agency_admin_creates_and_moves_a_member_between_departments(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={
        "username": "stttt.rest_phong", "fullname": "Hồ Thị Phòng", "email": "phong@example.invalid",
        "password": "MatKhau@2026", "roles": ["specialist"], "departments": ["cntt"], "create": True})
    assert r.status_code == 201, r.text
    assert _member(r.json(), "stttt.rest_phong")["departments"] == ["cntt"]
    # departments alone: a move, the roles stay
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.rest_phong", "departments": ["bcvt"]})
    assert r.status_code == 200, r.text
    member = _member(r.json(), "stttt.rest_phong")
    assert member["departments"] == ["bcvt"] and member["roles"] == ["specialist"]
    # roles without departments leave the departments as they are
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.rest_phong", "roles": ["clerk"]})
    assert _member(r.json(), "stttt.rest_phong")["departments"] == ["bcvt"]
    # removing every role ends the memberships too
    assert admin.delete(f"{url}/so-tttt/@staff/stttt.rest_phong").status_code == 204
    body = admin.get(f"{url}/so-tttt/@staff").json()
    assert "stttt.rest_phong" not in {m["username"] for m in body["items"]}
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.rest_phong", "roles": ["specialist"]})
    assert _member(r.json(), "stttt.rest_phong")["departments"] == []


def test_department_errors_are_vietnamese_and_change_nothing(url):
    admin = session("stttt.quantri")
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "stttt.chuyenvien",
                                                  "roles": ["clerk"], "departments": ["khong-co"]})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Không có phòng, ban: khong-co."
    member = _member(admin.get(f"{url}/so-tttt/@staff").json(), "stttt.chuyenvien")
    assert member["roles"] == ["specialist"]  # the clerk role was not given either
    r = admin.post(f"{url}/so-tttt/@staff", json={"username": "snv.chuyenvien", "departments": ["vp"]})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "snv.chuyenvien không phải là cán bộ của cơ quan này."


def test_only_the_agency_admin_moves_people(url):
    for user in ("stttt.truongphong", "stttt.lanhdao", "snv.quantri"):
        r = session(user).post(f"{url}/so-tttt/@staff", json={"username": "stttt.chuyenvien",
                                                              "departments": ["vp"]})
        assert r.status_code in (401, 403), user
