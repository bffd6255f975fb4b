"""Every page and service of ours declares a real permission (the standard: nothing public by accident)."""

from pathlib import Path
from xml.etree import ElementTree

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "dongthap"
PKG = SRC / "qlvb"
#: the production package and the test/demo package beside it (its views need permissions too)
PACKAGES = (PKG, SRC / "qlvb_testing")
BROWSER = "{http://namespaces.zope.org/browser}"
PLONE = "{http://namespaces.plone.org/plone}"
KINDS = {f"{BROWSER}page", f"{BROWSER}view", f"{PLONE}service", f"{BROWSER}resource"}
#: public on purpose, with the reason
PUBLIC_ON_PURPOSE = {
    "exchange-worker-tick": "called by scripts/exchange_worker.py; the view checks a secret token",
    "login": "Plone's login form with the two-factor code field (public like Plone's own)",
    "login_form": "Plone's older name of the login form, the same view",
    "@login": "plone.restapi's login service with Vietnamese answers and the code (public like Plone's)",
    "fulltext-worker-tick": "called by scripts/fulltext_worker.py --url; the view checks the workers' token",
    "index.html": "the exception view of Unauthorized (security/refusal.py): an error page must answer "
                  "everyone; it shows nothing of the refused object",
    "lich-cong-tac.ics": "the iCal feed calendar apps subscribe to without login; the view answers only to a "
                         "person's secret token (workcalendar/views.py FeedView)",
}


def _registrations():
    for package in PACKAGES:
        for path in sorted(package.rglob("*.zcml")):
            for element in ElementTree.parse(path).iter():
                if element.tag in KINDS:
                    yield path.relative_to(SRC), element


REGISTRATIONS = list(_registrations())


def test_there_are_registrations_to_check():
    assert len(REGISTRATIONS) > 40


@pytest.mark.parametrize(("path", "element"), REGISTRATIONS,
                         ids=[f"{p}:{e.get('name')}:{e.get('method', '')}" for p, e in REGISTRATIONS])
def test_declares_a_permission(path, element):
    permission = element.get("permission")
    name = element.get("name")
    assert permission, f"{path}: {name} declares no permission"
    if permission in ("zope.Public", "zope2.Public"):
        assert name in PUBLIC_ON_PURPOSE, f"{path}: {name} is public"
