"""Throttling and lockout on every login path, the same answer for unknown accounts, unlock by an
admin, and the lost-account procedure (old cookie and old JWT refused at once), through real HTTP."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD

import re
import time
import requests

import pytest

USER = "stttt.chuyenvien"
ADMIN = "stttt.quantri"
WRONG = "Sai-Mat-Khau@1"


def basic(url, user, password):
    return requests.get(f"{url}/so-tttt", auth=(user, password), headers={"Accept": "application/json"})


def rest_login(url, user, password, **extra):
    return requests.post(f"{url}/@login", json={"login": user, "password": password, **extra},
                         headers={"Accept": "application/json"})


def form_login(url, user, password):
    s = requests.Session()
    form = s.get(f"{url}/login").text
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.update({"__ac_name": user, "__ac_password": password, "buttons.login": "Đăng nhập"})
    r = s.post(f"{url}/login", data=fields, allow_redirects=False)
    return s, r


def form_ok(url, user, password):
    s, _r = form_login(url, user, password)
    return "__ac" in s.cookies


def admin(url):
    s = requests.Session()
    s.auth = (ADMIN, DEMO_PASSWORD)
    s.headers["Accept"] = "application/json"
    return s


PATHS = {
    "basic": (lambda url, u, p: basic(url, u, p).status_code == 200),
    "rest": (lambda url, u, p: rest_login(url, u, p).status_code == 200),
    "form": form_ok,
}


@pytest.mark.parametrize("path", sorted(PATHS))
def test_lock_after_five_failures_then_admin_unlock(url, path):
    ok = PATHS[path]
    assert ok(url, USER, DEMO_PASSWORD)
    for n in range(5):
        assert not ok(url, USER, f"{WRONG}{n}")
    # locked: the right password is refused on every path, the answer like a wrong password
    for other in PATHS.values():
        assert not other(url, USER, DEMO_PASSWORD)
    assert basic(url, USER, DEMO_PASSWORD).status_code == basic(url, USER, WRONG).status_code == 401
    assert rest_login(url, USER, DEMO_PASSWORD).json() == rest_login(url, USER, WRONG).json()
    status = admin(url).get(f"{url}/@account-security", params={"userid": USER}).json()
    assert status["locked"] and status["locked_reason"] == "failures"
    # the agency's security officer sees the lock among the incidents
    officer = requests.get(f"{url}/so-tttt/@av-incidents", auth=("stttt.antt", DEMO_PASSWORD),
                           headers={"Accept": "application/json"}).json()
    assert [i["kind_title"] for i in officer["items"] if i["kind"] == "account_locked"
            and i["userid"] == USER] == ["Tài khoản bị khóa"]
    r = admin(url).post(f"{url}/@account-security", json={"action": "unlock", "userid": USER})
    assert r.status_code == 200, r.text
    assert not r.json()["locked"]
    assert ok(url, USER, DEMO_PASSWORD)


def test_a_success_resets_the_count(url):
    for n in range(4):
        assert basic(url, USER, f"{WRONG}{n}").status_code == 401
    assert basic(url, USER, DEMO_PASSWORD).status_code == 200
    for n in range(4):
        assert basic(url, USER, f"{WRONG}{n}").status_code == 401
    assert basic(url, USER, DEMO_PASSWORD).status_code == 200


def test_jwt_of_a_locked_account_is_refused(url):
    token = rest_login(url, USER, DEMO_PASSWORD).json()["token"]
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 200
    r = admin(url).post(f"{url}/@account-security", json={"action": "lock", "userid": USER})
    assert r.status_code == 200 and r.json()["locked"], r.text
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 401
    admin(url).post(f"{url}/@account-security", json={"action": "unlock", "userid": USER})
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 200


def test_unknown_accounts_get_the_same_answers(url):
    unknown = "khong.ton.tai"
    for n in range(6):
        wrong = f"{WRONG}{n}"
        a, b = rest_login(url, unknown, wrong), rest_login(url, USER, wrong)
        assert (a.status_code, a.json()) == (b.status_code, b.json())
        assert basic(url, unknown, wrong).status_code == basic(url, USER, wrong).status_code == 401
        s1, r1 = form_login(url, unknown, wrong)
        s2, r2 = form_login(url, USER, wrong)
        assert r1.status_code == r2.status_code
        assert r1.text.replace(unknown, "X") == r2.text.replace(USER, "X")


def test_the_same_wrong_password_again_counts_once(url):
    """A browser sends Basic credentials again on each redirect and the theme's subrequests, and a
    repeated guess tells nothing new: only different wrong passwords bring the lock nearer."""
    from dongthap.qlvb.accounts import throttle

    # a page in a browser: redirected to the login form, themed (subrequests) - one failure
    r = requests.get(f"{url}/so-tttt/@@can-bo", auth=(USER, WRONG))
    assert r.history and "login" in r.url
    for _n in range(10):
        assert basic(url, USER, WRONG).status_code == 401
        assert rest_login(url, USER, WRONG).status_code == 401
    assert throttle.counters()._by_login[USER] == 1
    assert basic(url, USER, DEMO_PASSWORD).status_code == 200
    for n in range(4):
        assert basic(url, USER, f"{WRONG}{n}").status_code == 401
    assert basic(url, USER, DEMO_PASSWORD).status_code == 200  # 4 < 5: not locked
    for n in range(5):
        assert basic(url, USER, f"{WRONG}{n % 2}").status_code == 401  # alternating counts each time
    assert basic(url, USER, DEMO_PASSWORD).status_code == 401  # locked


def test_client_address_is_refused_after_many_failures(url):
    for n in range(20):
        basic(url, f"khach.{n}", WRONG)
    # every login from this address is refused for a while, even a right one
    assert basic(url, "stttt.vanthu", DEMO_PASSWORD).status_code == 401
    from dongthap.qlvb.accounts import throttle

    throttle.reset_all()
    assert basic(url, "stttt.vanthu", DEMO_PASSWORD).status_code == 200


def test_agency_admin_acts_on_his_own_agency_only(url):
    r = admin(url).post(f"{url}/@account-security", json={"action": "lock", "userid": "snv.chuyenvien"})
    assert r.status_code == 403
    r = admin(url).get(f"{url}/@account-security", params={"userid": "snv.chuyenvien"})
    assert r.status_code == 403
    assert requests.get(f"{url}/so-noi-vu", auth=("snv.chuyenvien", DEMO_PASSWORD),
                        headers={"Accept": "application/json"}).status_code == 200
    r = admin(url).post(f"{url}/@account-security", json={"action": "lock", "userid": ADMIN})
    assert r.status_code == 403


def test_lost_account_ends_every_session_and_token_at_once(url):
    cookie, _r = form_login(url, USER, DEMO_PASSWORD)
    assert "__ac" in cookie.cookies
    token = rest_login(url, USER, DEMO_PASSWORD).json()["token"]
    bearer = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
    assert cookie.get(f"{url}/so-tttt", headers={"Accept": "application/json"}).status_code == 200
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 200

    # one click by the user, with his cookie
    page = cookie.get(f"{url}/@@mat-quyen-kiem-soat-tai-khoan").text
    assert "Tôi mất quyền kiểm soát tài khoản" in page
    authenticator = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
    r = cookie.post(f"{url}/@@mat-quyen-kiem-soat-tai-khoan", data={"_authenticator": authenticator})
    assert r.status_code == 200 and "vô hiệu hoá" in r.text

    assert cookie.get(f"{url}/so-tttt", headers={"Accept": "application/json"},
                      cookies=dict(cookie.cookies)).status_code == 401
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 401
    assert basic(url, USER, DEMO_PASSWORD).status_code == 401
    status = admin(url).get(f"{url}/@account-security", params={"userid": USER}).json()
    assert status["compromised"] and status["locked"]

    # an incident for the agency's security officer
    officer = requests.get(f"{url}/so-tttt/@av-incidents", auth=("stttt.antt", DEMO_PASSWORD),
                           headers={"Accept": "application/json"})
    assert officer.status_code == 200
    assert any(i.get("kind") == "account_compromised" and i.get("userid") == USER
               for i in officer.json()["items"]), officer.text

    # re-enabling needs an admin and a new password (checked by the policy)
    r = admin(url).post(f"{url}/@account-security", json={"action": "unlock", "userid": USER})
    assert r.status_code == 400
    assert "mật khẩu mới" in r.json()["error"]["message"]
    r = admin(url).post(f"{url}/@account-security", json={"action": "unlock", "userid": USER,
                                                           "password": "12345678"})
    assert r.status_code == 400
    assert r.json()["error"]["errors"][0]["message"] == "Mật khẩu phải có ít nhất 10 ký tự."
    r = admin(url).post(f"{url}/@account-security", json={"action": "unlock", "userid": USER,
                                                           "password": "Mat-Khau-Moi@2026"})
    assert r.status_code == 200, r.text
    # the old cookie and the old token stay refused; the new password works
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 401
    assert requests.get(f"{url}/so-tttt", headers={"Accept": "application/json"},
                        cookies=dict(cookie.cookies)).status_code == 401
    assert basic(url, USER, DEMO_PASSWORD).status_code == 401
    assert basic(url, USER, "Mat-Khau-Moi@2026").status_code == 200
    time.sleep(1.1)  # tokens carry whole seconds: those of the second of the re-enabling are refused too
    fresh = rest_login(url, USER, "Mat-Khau-Moi@2026").json()["token"]
    assert requests.get(f"{url}/so-tttt", headers={"Authorization": f"Bearer {fresh}",
                                                    "Accept": "application/json"}).status_code == 200


def test_the_zope_administrator_is_no_failure(url):
    from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD

    for _n in range(25):
        r = requests.get(f"{url}/@users", auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD),
                         headers={"Accept": "application/json"})
        assert r.status_code == 200
    assert basic(url, USER, DEMO_PASSWORD).status_code == 200
