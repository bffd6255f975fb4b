"""Two-factor login: enrolment, a code at a frozen clock, each code once, recovery codes; and the
second step on the login paths through real HTTP."""

from dongthap.qlvb.accounts import api as accounts
from dongthap.qlvb.accounts import totp
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from dongthap.qlvb.errors import QlvbError
from plone import api

import pytest
import time
import requests
import transaction

FROZEN = 1_800_000_000.0
USER = "stttt.lanhdao"


def test_enrolment_codes_and_recovery_codes_at_a_frozen_clock(demo):
    enrolment = accounts.start_enrolment(USER)
    assert enrolment["uri"].startswith("otpauth://totp/") and enrolment["secret"] in enrolment["uri"]
    assert not accounts.two_factor_enabled(USER)  # not before a code confirmed it
    with pytest.raises(QlvbError) as refused:
        accounts.confirm_enrolment(USER, "000000", now=FROZEN)
    assert refused.value.errors[0]["field"] == "code"
    codes = accounts.confirm_enrolment(USER, totp.totp(enrolment["secret"], now=FROZEN), now=FROZEN)
    assert accounts.two_factor_enabled(USER) and len(codes) == 10
    secret = enrolment["secret"]
    later = FROZEN + 60
    code = totp.totp(secret, now=later)
    assert accounts.check_second_factor(USER, code, now=later)
    assert not accounts.check_second_factor(USER, code, now=later)  # a code works once
    assert not accounts.check_second_factor(USER, totp.totp(secret, now=later - 300), now=later)
    assert not accounts.check_second_factor(USER, "", now=later)
    # a recovery code works once, in any case
    assert accounts.check_second_factor(USER, codes[0].upper(), now=later)
    assert not accounts.check_second_factor(USER, codes[0], now=later)
    assert accounts.recovery_codes_left(USER) == 9
    assert accounts.status(USER)["two_factor"]


def test_two_factor_required_for_leaders_when_the_setting_says_so(demo):
    assert not accounts.two_factor_required(USER)
    api.portal.set_registry_record("dongthap.qlvb.accounts.two_factor_default", "leaders")
    assert accounts.two_factor_required(USER)
    assert accounts.two_factor_required("stttt.quantri")
    assert not accounts.two_factor_required("stttt.chuyenvien")


@pytest.fixture
def enrolled(url, demo_server):
    """``USER`` enrolled (committed on the served site); the secret."""
    from dongthap.qlvb.accounts import store

    portal = demo_server["layer"]["portal"]
    secret = totp.new_secret()
    store.update(portal, USER, totp_secret=secret, totp_enabled=True, totp_last=-1,
                 recovery=[totp.hash_code("abcd-1234")])
    transaction.commit()
    yield secret
    transaction.begin()
    store.update(portal, USER, totp_secret=None, totp_enabled=False, recovery=[])
    transaction.commit()


def test_second_step_on_the_login_paths(url, enrolled):
    def rest(**extra):
        return requests.post(f"{url}/@login", json={"login": USER, "password": DEMO_PASSWORD, **extra},
                             headers={"Accept": "application/json"})

    assert rest().status_code == 401  # the password alone is not enough
    assert rest(otp="000000").status_code == 401
    r = rest(otp=totp.totp(enrolled))
    assert r.status_code == 200 and r.json()["token"]
    bearer = {"Authorization": f"Bearer {r.json()['token']}", "Accept": "application/json"}
    assert requests.get(f"{url}/so-tttt", headers=bearer).status_code == 200  # the token needs no code
    basic = requests.get(f"{url}/so-tttt", auth=(USER, DEMO_PASSWORD), headers={"Accept": "application/json"})
    assert basic.status_code == 401
    basic = requests.get(f"{url}/so-tttt", auth=(USER, DEMO_PASSWORD),
                         headers={"Accept": "application/json", "X-Qlvb-Otp": "abcd-1234"})
    assert basic.status_code == 200  # a recovery code, once
    basic = requests.get(f"{url}/so-tttt", auth=(USER, DEMO_PASSWORD),
                         headers={"Accept": "application/json", "X-Qlvb-Otp": "abcd-1234"})
    assert basic.status_code == 401


def test_enrolment_page_then_form_login_with_the_code(url, demo_server):
    import re

    from dongthap.qlvb.accounts import store

    s = requests.Session()
    s.auth = (USER, DEMO_PASSWORD)
    page = s.get(f"{url}/@@dang-nhap-hai-buoc").text
    assert "Đăng nhập hai bước" in page
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
    r = s.post(f"{url}/@@dang-nhap-hai-buoc", data={"_authenticator": token, "code": "000000"})
    assert "Mã xác thực không đúng hoặc đã hết hạn." in r.text
    assert f'id="totp-secret">{secret}<' in r.text  # after a typo the same key (the app holds it)
    page = s.get(f"{url}/@@dang-nhap-hai-buoc").text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page).group(1)
    token = re.search(r'name="_authenticator" value="([^"]+)"', page).group(1)
    r = s.post(f"{url}/@@dang-nhap-hai-buoc", data={"_authenticator": token, "code": totp.totp(secret)})
    assert len(re.findall(r"<code>[0-9a-f]{4}-[0-9a-f]{4}</code>", r.text)) == 10
    try:
        browser = requests.Session()
        fields = {"__ac_name": USER, "__ac_password": DEMO_PASSWORD, "buttons.login": "Đăng nhập"}
        browser.post(f"{url}/login", data=fields, allow_redirects=False)
        assert "__ac" not in browser.cookies  # the password alone is not enough
        browser.post(f"{url}/login", data=dict(fields, __ac_otp=totp.totp(secret, now=time.time() + 30)),
                     allow_redirects=False)
        assert "__ac" in browser.cookies
    finally:
        transaction.begin()
        store.update(demo_server["layer"]["portal"], USER, totp_enabled=False, totp_secret=None, recovery=[])
        transaction.commit()


def test_leaders_must_enrol_when_required(url, demo_server):
    from plone import api as papi

    page = requests.get(f"{url}/@@dang-nhap-ma-xac-thuc").text
    assert all(f'name="{name}"' in page for name in ("__ac_name", "__ac_password", "__ac_otp"))
    papi.portal.set_registry_record("dongthap.qlvb.accounts.two_factor_default", "leaders")
    transaction.commit()
    r = requests.get(f"{url}/so-tttt", auth=(USER, DEMO_PASSWORD), allow_redirects=False)
    assert r.status_code == 302 and r.headers["Location"].endswith("/@@dang-nhap-hai-buoc")
    r = requests.get(f"{url}/so-tttt/@staff", auth=(USER, DEMO_PASSWORD),
                     headers={"Accept": "application/json"})
    assert r.status_code == 403 and "đăng nhập hai bước" in r.json()["error"]["message"]
    assert requests.get(f"{url}/@@dang-nhap-hai-buoc", auth=(USER, DEMO_PASSWORD)).status_code == 200
    # a specialist is not concerned
    assert requests.get(f"{url}/so-tttt", auth=("stttt.chuyenvien", DEMO_PASSWORD),
                        allow_redirects=False).status_code == 200
