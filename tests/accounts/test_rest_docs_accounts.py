"""The REST API of account security by example (``docs/rest/accounts_*.md``), written like
``tests/test_rest_docs.py``: logging in with the code of two-factor login, the Vietnamese refusal, an
agency's two-factor mode."""

from dongthap.qlvb.accounts import store
from dongthap.qlvb.accounts import totp
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.test_rest_docs import DOCS
from tests.test_rest_docs import Recorder

import json
import re
import requests
import transaction

TITLES = {
    "accounts_login_code": "Log in with the code of two-factor login: `POST @login`",
    "accounts_login_refused": "A refused login (the same answer whatever the reason): `POST @login`",
    "accounts_two_factor_policy": "An agency's two-factor mode (agency admin): "
                                  "`PATCH <agency>/@two-factor-policy`",
}
EXTRA = [(re.compile(r'"token": "[\w-]+\.[\w-]+\.[\w-]+"'), '"token": "<jwt>"'),
         (re.compile(r'"otp": "\d{6}"'), '"otp": "123456"')]


class AccountRecorder(Recorder):
    def anonymous(self, name, method, path, body):
        r = requests.request(method, f"{self.base}/{path}", json=body, headers={"Accept": "application/json"},
                             timeout=60)
        self.write(name, None, method, f"{self.base}/{path}", body, r.status_code, r.json())
        return r

    def write(self, name, user, method, url, body, status, answer):
        super().write(name, user or "anonymous", method, url, body, status, answer)
        if user is None:
            path = DOCS / f"{name}.md"
            text = path.read_text(encoding="utf-8")
            text = text.replace("As `anonymous` (Basic auth here; the Plone UI uses its login cookie).",
                                "Without credentials: the answer's token is the credential (header "
                                "`Authorization: Bearer <token>`).")
            path.write_text(text, encoding="utf-8")


def test_login_with_the_code_and_the_agency_mode(demo_server):
    rec = AccountRecorder(demo_server["url"], TITLES, EXTRA)
    portal = demo_server["layer"]["portal"]
    secret = totp.new_secret()
    store.update(portal, "caolanh.lanhdao", totp_secret=secret, totp_enabled=True, totp_last=-1)
    transaction.commit()
    r = rec.anonymous("accounts_login_code", "POST", "@login", {
        "login": "caolanh.lanhdao", "password": DEMO_PASSWORD, "otp": totp.totp(secret)})
    assert r.status_code == 200 and r.json()["token"], r.text
    r = rec.anonymous("accounts_login_refused", "POST", "@login", {
        "login": "caolanh.lanhdao", "password": DEMO_PASSWORD})
    assert r.status_code == 401 and "Wrong" not in r.text
    r = rec.call("accounts_two_factor_policy", "caolanh.quantri", "PATCH",
                 "phuong-cao-lanh/@two-factor-policy", {"mode": "leaders"})
    assert r.status_code == 200 and r.json()["effective"] == "leaders", r.text
    text = (DOCS / "accounts_login_code.md").read_text(encoding="utf-8")
    assert '"otp": "123456"' in text and '"token": "<jwt>"' in text and secret not in text
    assert json.dumps(DEMO_PASSWORD) in text  # the demo password, as in every example


def test_the_docs_index_lists_the_account_examples():
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for name in TITLES:
        assert f"({name}.md)" in index, name
