"""Helpers of the delegation tests."""

from dongthap.qlvb.delegation import api as D
from dongthap.qlvb.incoming import api as incoming
from plone import api
from tests.incoming.helpers import form_values

import datetime

AGENCY = "so-tttt"


def uid(username):
    return api.user.get(username=username).getId()


def day(offset=0):
    return incoming.now().date() + datetime.timedelta(days=offset)


def dmy(offset=0):
    return day(offset).strftime("%d/%m/%Y")


def delegate(portal, *, by="stttt.lanhdao", to="stttt.truongphong", scope="both", authority="TUQ",
             start=0, end=3, **more):
    data = {"delegate": to, "start": dmy(start), "end": dmy(end), "scope": scope, "authority": authority,
            "reason": "Đi công tác nước ngoài", "delegator_position": "GIÁM ĐỐC",
            "delegate_position": "TRƯỞNG PHÒNG", **more}
    with api.env.adopt_user(username=by):
        return D.create(portal[AGENCY], data)


def registered(portal, path=AGENCY, clerk="stttt.vanthu"):
    with api.env.adopt_user(username=clerk):
        values = incoming.clean(form_values())
        result = incoming.create(portal[path], values, register=True)
    return portal.unrestrictedTraverse(result["path"])


def deputy(portal, username="stttt.phogiamdoc"):
    """A second leader of Sở TT&TT (a deputy director)."""
    from dongthap.qlvb.agencies import api as agencies
    from dongthap.qlvb.security import roles as R

    with api.env.adopt_roles(["Manager"]):
        api.user.create(username=username, email=f"{username}@example.org", password="Deputy@2026xyz",
                        properties={"fullname": "Phó Giám đốc Lê Văn Phó"})
        agencies.assign(agency=portal[AGENCY], username=username, roles=[R.LEADER])
    return username


def give_key(username):
    """A personal signing key and registered certificate (as the demo leaders have)."""
    from dongthap.qlvb.signing import settings as cfg
    from dongthap.qlvb.signing import usercerts
    from dongthap.qlvb_testing.signing_demo import _install_key, _png, _slug
    from dongthap.qlvb_testing.testpki import ensure_test_pki, issue_identity

    keys = cfg.keys_dir()
    pki = ensure_test_pki(keys.parent / "test-pki")
    user = api.user.get(username=username)
    fullname = user.getProperty("fullname") or username
    person = issue_identity(pki, f"person_{_slug(username)}", common_name=fullname,
                            organisation="SỞ THÔNG TIN VÀ TRUYỀN THÔNG", given=fullname.split()[-1],
                            surname=fullname.split()[0], title="Trưởng phòng")
    _install_key(keys / "users" / user.getId(), "person", person, _png("signature"))
    with api.env.adopt_roles(["Manager"]):
        usercerts.register(userid=user.getId(), data=person.cert_pem.read_bytes())
