"""Two-factor login per agency: each mode (off, optional, required for leaders and admins, required
for everyone) for the agency's staff, the site-wide default, who may choose; the page and the REST
service of an agency's administrator; enforcement at login; the QR code of the enrolment page."""

from dongthap.qlvb.accounts import api as accounts
from dongthap.qlvb.accounts import store
from dongthap.qlvb.accounts import totp
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.errors import QlvbError
from plone import api

import html
import re
import requests
import transaction

import pytest

LEADER, ADMIN, SPECIALIST = "stttt.lanhdao", "stttt.quantri", "stttt.chuyenvien"
OTHER_ADMIN = "snv.quantri"
JSON = {"Accept": "application/json"}

#: mode -> (offered, required) for the leader, the admin and the specialist of the agency
EXPECTED = {
    "off": ((False, False), (False, False), (False, False)),
    "optional": ((True, False), (True, False), (True, False)),
    "leaders": ((True, True), (True, True), (True, False)),
    "everyone": ((True, True), (True, True), (True, True)),
}


def _set(agency, mode, as_user=ADMIN):
    with api.env.adopt_user(username=as_user):
        accounts.set_agency_two_factor(agency, mode)


@pytest.mark.parametrize("mode", sorted(EXPECTED))
def test_each_mode_of_an_agency(demo, mode):
    agency = demo["so-tttt"]
    _set(agency, mode)
    assert accounts.agency_two_factor(agency) == accounts.agency_two_factor_own(agency) == mode
    for userid, (offered, required) in zip((LEADER, ADMIN, SPECIALIST), EXPECTED[mode], strict=True):
        assert (accounts.two_factor_offered(userid), accounts.two_factor_required(userid)) == \
            (offered, required), (mode, userid)
    # another agency keeps the site-wide default (optional)
    assert accounts.agency_two_factor(demo["so-noi-vu"]) == "optional"
    assert not accounts.two_factor_required("snv.lanhdao") or mode == "optional"


def test_the_site_wide_setting_is_the_default_an_agency_may_change(demo):
    agency = demo["so-tttt"]
    assert accounts.default_two_factor() == "optional" and accounts.agency_two_factor_own(agency) is None
    api.portal.set_registry_record("dongthap.qlvb.accounts.two_factor_default", "everyone")
    assert accounts.agency_two_factor(agency) == "everyone" and accounts.two_factor_required(SPECIALIST)
    _set(agency, "optional")  # the agency decides otherwise
    assert not accounts.two_factor_required(SPECIALIST) and not accounts.two_factor_required(LEADER)
    _set(agency, None)  # back to the default
    assert accounts.agency_two_factor_own(agency) is None and accounts.two_factor_required(SPECIALIST)


def test_off_ignores_an_enrolment_and_refuses_a_new_one(demo):
    agency = demo["so-tttt"]
    store.update(demo, LEADER, totp_secret=totp.new_secret(), totp_enabled=True)
    assert accounts.second_factor_asked(LEADER)
    _set(agency, "off")
    assert accounts.two_factor_enabled(LEADER) and not accounts.second_factor_asked(LEADER)
    with pytest.raises(QlvbError) as refused:
        accounts.start_enrolment(SPECIALIST)
    assert refused.value.status == 409


def test_only_the_agency_admins_choose(demo):
    agency = demo["so-tttt"]
    for who in (SPECIALIST, LEADER, OTHER_ADMIN):
        with pytest.raises(Exception) as refused:
            _set(agency, "everyone", as_user=who)
        assert "Forbidden" in type(refused.value).__name__ or getattr(refused.value, "status", 0) == 403
    assert accounts.agency_two_factor_own(agency) is None
    with pytest.raises(QlvbError) as wrong:
        _set(agency, "sometimes")
    assert wrong.value.errors[0]["field"] == "mode"


def _token(session, url):
    return re.search(r'name="_authenticator" value="([^"]+)"', session.get(url).text).group(1)


def test_agency_admin_page_then_enforcement_at_login(url):
    page = requests.Session()
    page.auth = (ADMIN, DEMO_PASSWORD)
    address = f"{url}/so-tttt/@@xac-thuc-hai-buoc-co-quan"
    text = html.unescape(page.get(address).text)
    assert "Theo mặc định của hệ thống: Tùy chọn (mỗi người tự bật)" in text
    assert 'id="mode-default" value="" checked' in text
    # the staff page links to it
    assert "@@xac-thuc-hai-buoc-co-quan" in page.get(f"{url}/so-tttt/@@can-bo").text
    r = page.post(address, data={"_authenticator": _token(page, address), "mode": "everyone"})
    assert "Đã lưu." in html.unescape(r.text) and 'id="mode-everyone" value="everyone" checked' in r.text
    # every member of staff of this agency must enrol now, a specialist too
    r = requests.get(f"{url}/so-tttt", auth=(SPECIALIST, DEMO_PASSWORD), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/@@dang-nhap-hai-buoc")
    # not the staff of another agency
    assert requests.get(f"{url}/so-noi-vu", auth=("snv.chuyenvien", DEMO_PASSWORD),
                        allow_redirects=False).status_code == 200
    # a specialist may not open the page
    assert requests.get(address, auth=(SPECIALIST, DEMO_PASSWORD),
                        allow_redirects=False).status_code in (302, 401, 403)


def test_rest_service_of_the_agency_mode(url, demo_server, tmp_path):
    from dongthap.qlvb.audit import store as audit_store
    from dongthap.qlvb.audit import writer

    with audit_store.using(audit_store.FileStore(tmp_path / "audit")) as trail:
        _rest_service_of_the_agency_mode(url, demo_server, trail, writer)


def _rest_service_of_the_agency_mode(url, demo_server, trail, writer):
    address = f"{url}/so-tttt/@two-factor-policy"
    r = requests.get(address, auth=(ADMIN, DEMO_PASSWORD), headers=JSON)
    assert r.json() == {"mode": None, "effective": "optional", "default": "optional",
                        "modes": ["off", "optional", "leaders", "everyone"]}
    r = requests.patch(address, auth=(SPECIALIST, DEMO_PASSWORD), headers=JSON, json={"mode": "off"})
    assert r.status_code in (401, 403)
    r = requests.patch(address, auth=(OTHER_ADMIN, DEMO_PASSWORD), headers=JSON, json={"mode": "off"})
    assert r.status_code in (401, 403)
    r = requests.patch(address, auth=(ADMIN, DEMO_PASSWORD), headers=JSON, json={"mode": "sometimes"})
    assert r.status_code == 400 and r.json()["error"]["message"] == "Chế độ đăng nhập hai bước không hợp lệ."
    r = requests.patch(address, auth=(ADMIN, DEMO_PASSWORD), headers=JSON, json={"mode": "leaders"})
    assert r.status_code == 200 and r.json()["mode"] == r.json()["effective"] == "leaders"
    # leaders must enrol, specialists not
    r = requests.get(f"{url}/so-tttt/@staff", auth=(LEADER, DEMO_PASSWORD), headers=JSON)
    assert r.status_code == 403 and "đăng nhập hai bước" in r.json()["error"]["message"]
    assert requests.get(f"{url}/so-tttt", auth=(SPECIALIST, DEMO_PASSWORD), headers=JSON).status_code == 200
    # the change is in the audit trail of the agency
    writer.flush()
    agency_uid = demo_server["layer"]["portal"]["so-tttt"].UID()
    changed = trail.search(action="two_factor_policy_changed", agency_uids=[agency_uid])
    assert [(c["userid"], c["detail"]["before"], c["detail"]["after"]) for c in changed] == [
        (ADMIN, "default", "leaders")]
    # the admin is a leader too: before anything else, even this policy, he must enrol
    r = requests.patch(address, auth=(ADMIN, DEMO_PASSWORD), headers=JSON, json={"mode": "off"})
    assert r.status_code == 403
    portal = demo_server["layer"]["portal"]
    secrets = {user: totp.new_secret() for user in (ADMIN, LEADER)}
    for user, secret in secrets.items():
        store.update(portal, user, totp_secret=secret, totp_enabled=True, totp_last=-1)
    transaction.commit()
    token = requests.post(f"{url}/@login", headers=JSON, json={
        "login": ADMIN, "password": DEMO_PASSWORD, "otp": totp.totp(secrets[ADMIN])}).json()["token"]
    bearer = dict(JSON, Authorization=f"Bearer {token}")
    # an enrolled leader of an agency that turned it off logs in with the password alone
    login = {"login": LEADER, "password": DEMO_PASSWORD}
    assert requests.post(f"{url}/@login", json=login, headers=JSON).status_code == 401
    r = requests.patch(address, headers=bearer, json={"mode": "off"})
    assert r.json().get("effective") == "off", r.text
    assert requests.post(f"{url}/@login", json=login, headers=JSON).status_code == 200
    r = requests.patch(address, headers=bearer, json={"mode": None})
    assert r.json() == {"mode": None, "effective": "optional", "default": "optional",
                        "modes": ["off", "optional", "leaders", "everyone"]}
    assert requests.post(f"{url}/@login", json=login, headers=JSON).status_code == 401


def test_enrolment_page_shows_the_qr_code_of_the_key(url):
    import segno

    s = requests.Session()
    s.auth = (SPECIALIST, DEMO_PASSWORD)
    page = s.get(f"{url}/@@dang-nhap-hai-buoc").text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    uri = html.unescape(re.search(r'<a href="(otpauth://[^"]+)"', page).group(1))
    assert f"secret={secret}" in uri
    svg = re.search(r'<figure id="totp-qr">(<svg.*?</svg>)', page, re.S).group(1)
    # the QR code holds the otpauth address: the same as segno draws for it (no outside service)
    expected = segno.make(uri, error="m").svg_inline(scale=5, border=4, title="Mã QR của khóa",
                                                     svgclass="qlvb-qr", lineclass=None)
    drawn = re.compile(r'<svg width="(\d+)".*? d="([^"]+)"', re.S)
    assert drawn.search(svg).groups() == drawn.search(expected).groups()
    assert "http" not in svg.replace("http://www.w3.org", "")
    assert "Quét mã bằng ứng dụng xác thực" in html.unescape(page)


def test_no_search_for_the_agencies_when_nothing_requires_it(demo, monkeypatch):
    """The gate asks on every request; while no agency (and not the default) requires two-factor
    login, the user's agencies are not looked up."""
    from dongthap.qlvb.agencies import api as agencies

    looked = []
    original = agencies.agencies_of
    monkeypatch.setattr(agencies, "agencies_of", lambda **kw: looked.append(kw) or original(**kw))
    _set(demo["so-tttt"], "optional")
    assert not accounts.two_factor_required(LEADER) and looked == []
    _set(demo["so-noi-vu"], "leaders", as_user="snv.quantri")
    assert not accounts.two_factor_required(LEADER) and looked  # looked up: one agency requires it
    assert accounts.two_factor_required("snv.lanhdao")
    _set(demo["so-noi-vu"], None, as_user="snv.quantri")
    looked.clear()
    assert not accounts.two_factor_required("snv.lanhdao") and looked == []


def test_the_control_panel_sets_the_site_wide_default(url):
    from plone.app.testing import SITE_OWNER_NAME, SITE_OWNER_PASSWORD

    s = requests.Session()
    s.auth = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    page = s.get(f"{url}/@@bao-mat-tai-khoan")
    text = html.unescape(page.text)
    assert page.status_code == 200
    assert "Đăng nhập hai bước (mặc định cho mọi cơ quan)" in text
    assert all(title in text for title in ("Tắt", "Tùy chọn (mỗi người tự bật)",
                                           "Bắt buộc với lãnh đạo và quản trị", "Bắt buộc với mọi người"))
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page.text))
    fields = {k: v for k, v in fields.items() if not k.startswith("form.buttons")}
    fields.update({"form.widgets.two_factor_default:list": "everyone", "form.buttons.save": "Lưu"})
    r = s.post(f"{url}/@@bao-mat-tai-khoan", data=fields)
    assert r.status_code == 200
    transaction.begin()
    assert api.portal.get_registry_record("dongthap.qlvb.accounts.two_factor_default") == "everyone"
    # every agency without its own choice requires it now
    r = requests.get(f"{url}/so-noi-vu", auth=("snv.chuyenvien", DEMO_PASSWORD), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/@@dang-nhap-hai-buoc")
