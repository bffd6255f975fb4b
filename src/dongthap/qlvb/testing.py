"""Test layers of dongthap.qlvb.

``QLVB_FIXTURE``  — Plone 6.2 Classic UI site (language vi) with our profile.
``QLVB_DEMO_FIXTURE`` — the same plus the demo agencies and staff: the one
shared, named demo fixture the suite builds on.
The ``*_INTEGRATION`` layers roll back after each test; the ``*_FUNCTIONAL``
layers commit (for the REST API through a test browser and for a real WSGI
server used by the browser tests).
"""

from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import os

os.environ.setdefault("zope_i18n_compile_mo_files", "true")
os.environ.setdefault("zope_i18n_allowed_languages", "vi en")


class QlvbLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi
        import plonetheme.barceloneta
        import dongthap.qlvb
        import dongthap.qlvb_testing

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=plonetheme.barceloneta)
        self.loadZCML(package=dongthap.qlvb)
        self.loadZCML(package=dongthap.qlvb_testing)  # test-only views (never in production)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "plonetheme.barceloneta:default")
        applyProfile(portal, "dongthap.qlvb:default")


class QlvbDemoLayer(PloneSandboxLayer):
    defaultBases = (None,)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dongthap.qlvb:demo")


QLVB_FIXTURE = QlvbLayer()
QLVB_DEMO_FIXTURE = QlvbDemoLayer(bases=(QLVB_FIXTURE,), name="QlvbDemoLayer:Fixture")

QLVB_INTEGRATION = IntegrationTesting(bases=(QLVB_FIXTURE,), name="Qlvb:Integration")
QLVB_FUNCTIONAL = FunctionalTesting(bases=(QLVB_FIXTURE,), name="Qlvb:Functional")
QLVB_DEMO_INTEGRATION = IntegrationTesting(
    bases=(QLVB_DEMO_FIXTURE,), name="QlvbDemo:Integration"
)
QLVB_DEMO_FUNCTIONAL = FunctionalTesting(
    bases=(QLVB_DEMO_FIXTURE,), name="QlvbDemo:Functional"
)
QLVB_DEMO_BROWSER = FunctionalTesting(
    bases=(QLVB_DEMO_FIXTURE, WSGI_SERVER_FIXTURE), name="QlvbDemo:Browser"
)
