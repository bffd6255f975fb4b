"""Web hardening (issue 11, item 8): CSRF on the REST API, security headers, Secure cookies.

A browser adds the login cookie to a cross-site ``POST`` and sends it without a preflight when
its content type is ``text/plain``; such a write must be refused, while the same request as
JSON, with the authenticator, or from a program with Basic auth works.
"""

from dongthap.qlvb.demo.data import DEMO_PASSWORD

import json
import re
import requests

CSRF_MESSAGE = ("Yêu cầu bị từ chối: thay đổi dữ liệu bằng cookie đăng nhập phải gửi dạng JSON "
                "(Content-Type: application/json) hoặc kèm mã xác thực biểu mẫu (X-CSRF-TOKEN).")


def cookie_login(url, username, password=DEMO_PASSWORD, headers=None):
    """A session logged in through the login form, like a browser: only the cookie."""
    s = requests.Session()
    form = s.get(f"{url}/login").text
    fields = dict(re.findall(r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    fields.update({"__ac_name": username, "__ac_password": password, "buttons.login": "Đăng nhập"})
    r = s.post(f"{url}/login", data=fields, headers=headers or {}, allow_redirects=False)
    assert r.status_code in (200, 302), r.status_code
    assert "__ac" in s.cookies, "the login form set no cookie"
    return s, r


def _staff(url, username="stttt.quantri"):
    body = requests.get(f"{url}/so-tttt/@staff", auth=(username, DEMO_PASSWORD),
                        headers={"Accept": "application/json"}).json()
    return {m["username"]: m["roles"] for m in body["items"]}


def _authenticator(session, url):
    page = session.get(f"{url}/so-tttt/@@can-bo").text
    return re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)


def test_cross_site_text_plain_post_with_the_cookie_is_refused(demo_server):
    url = demo_server["url"]
    s, _ = cookie_login(url, "stttt.quantri")
    body = json.dumps({"username": "stttt.chuyenvien", "roles": ["clerk"]})
    # what a hostile page can make the browser send: a "simple" request, no preflight
    r = s.post(f"{url}/so-tttt/@staff", data=body,
               headers={"Content-Type": "text/plain", "Accept": "application/json",
                        "Origin": "https://evil.example"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == CSRF_MESSAGE
    assert _staff(url)["stttt.chuyenvien"] == ["specialist"]
    # through ++api++ a form needs not even an Accept header
    host, _, site = url.rpartition("/")
    r = s.post(f"{host}/{site}/++api++/so-tttt/@staff", data=body,
               headers={"Content-Type": "text/plain"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == CSRF_MESSAGE
    assert _staff(url)["stttt.chuyenvien"] == ["specialist"]
    # a form-encoded or type-less body is refused the same way
    for headers in ({"Content-Type": "application/x-www-form-urlencoded"}, {}):
        r = s.post(f"{url}/so-tttt/@staff", data=body.encode(),
                   headers={"Accept": "application/json", **headers})
        if not headers:
            r = s.post(f"{url}/so-tttt/@staff", data=None, json=None,
                       headers={"Accept": "application/json"})
        assert r.status_code == 403, (headers, r.text)
    # as JSON (a cross-site page cannot send that without a preflight) it works
    r = s.post(f"{url}/so-tttt/@staff", data=body,
               headers={"Content-Type": "application/json", "Accept": "application/json"})
    assert r.status_code == 200, r.text
    assert set(_staff(url)["stttt.chuyenvien"]) == {"specialist", "clerk"}


def test_the_authenticator_lets_a_cookie_write_through(demo_server):
    url = demo_server["url"]
    s, _ = cookie_login(url, "stttt.quantri")
    token = _authenticator(s, url)
    body = json.dumps({"username": "stttt.chuyenvien", "roles": ["records_manager"]})
    r = s.post(f"{url}/so-tttt/@staff", data=body,
               headers={"Content-Type": "text/plain", "Accept": "application/json",
                        "X-CSRF-TOKEN": token})
    assert r.status_code == 200, r.text
    assert "records_manager" in _staff(url)["stttt.chuyenvien"]
    r = s.post(f"{url}/so-tttt/@staff", data=body,
               headers={"Content-Type": "text/plain", "Accept": "application/json",
                        "X-CSRF-TOKEN": "0" * 40})
    assert r.status_code == 403


def test_cross_site_post_to_incoming_is_refused(demo_server):
    url = demo_server["url"]
    s, _ = cookie_login(url, "stttt.vanthu")
    before = requests.get(f"{url}/so-tttt/@incoming", auth=("stttt.vanthu", DEMO_PASSWORD),
                          headers={"Accept": "application/json"}).json()
    r = s.post(f"{url}/so-tttt/@incoming", data=json.dumps({"title": "Giả mạo"}),
               headers={"Content-Type": "text/plain", "Accept": "application/json"})
    assert r.status_code == 403, r.text
    assert r.json()["error"]["message"] == CSRF_MESSAGE
    after = requests.get(f"{url}/so-tttt/@incoming", auth=("stttt.vanthu", DEMO_PASSWORD),
                         headers={"Accept": "application/json"}).json()
    assert after == before


def test_programs_with_basic_auth_are_unaffected(demo_server):
    url = demo_server["url"]
    r = requests.post(f"{url}/so-tttt/@staff", auth=("stttt.quantri", DEMO_PASSWORD),
                      data=json.dumps({"username": "stttt.chuyenvien", "roles": ["clerk"]}),
                      headers={"Content-Type": "text/plain", "Accept": "application/json"})
    assert r.status_code == 200, r.text


def test_security_headers_on_pages_rest_and_errors(demo_server):
    url = demo_server["url"]
    answers = [
        requests.get(url),
        requests.get(f"{url}/so-tttt", auth=("stttt.vanthu", DEMO_PASSWORD)),
        requests.get(f"{url}/so-tttt/@staff", auth=("stttt.quantri", DEMO_PASSWORD),
                     headers={"Accept": "application/json"}),
        requests.get(f"{url}/khong-co-trang-nay"),
    ]
    for r in answers:
        assert r.headers.get("X-Content-Type-Options") == "nosniff", (r.url, r.status_code)
        csp = r.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'self'" in csp, (r.url, csp)
        assert "object-src" in csp and "base-uri 'self'" in csp


def test_login_cookie_is_secure_over_https_only(demo_server):
    url = demo_server["url"]
    _s, plain = cookie_login(url, "stttt.vanthu")
    cookie = [c for c in plain.headers.get("Set-Cookie", "").split(",") if "__ac=" in c]
    assert cookie and "secure" not in cookie[0].lower()
    _s, behind_proxy = cookie_login(url, "stttt.vanthu", headers={"X-Forwarded-Proto": "https"})
    cookie = [c for c in behind_proxy.headers.get("Set-Cookie", "").split(",") if "__ac=" in c]
    assert cookie and "secure" in cookie[0].lower()
    assert "httponly" in cookie[0].lower()
