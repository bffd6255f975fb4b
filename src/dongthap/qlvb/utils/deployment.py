"""Settings of the deployment (scripts, instance, demo): environment variables only.

Read by ``scripts/instance.py``, ``scripts/create_site.py``,
``scripts/exchange_worker.py``, ``scripts/peers_ctl.py`` and the demo/test
helpers; declared here so that ``docs/settings.md`` lists them with the rest.
"""

from dongthap.qlvb.utils.settings import Setting, SettingsGroup, boolean, positive_int

SETTINGS = SettingsGroup("Deployment", settings=(
    Setting("QLVB_RELSTORAGE_DSN", default="",
            doc="libpq DSN, e.g. `dbname=qlvb host=127.0.0.1 user=qlvb password=secret`: use RelStorage "
                "on PostgreSQL instead of FileStorage, so several instances share one database (TCP "
                "connections need a password in the DSN)."),
    Setting("QLVB_HOST", default="0.0.0.0", doc="Address the instance listens on."),
    Setting("QLVB_PORT", parse=positive_int, default=8080, doc="Port the instance listens on."),
    Setting("QLVB_ADMIN_USER", default="admin", doc="The Zope root administrator created on first start."),
    Setting("QLVB_ADMIN_PASSWORD", default="", shown_default="`admin` in demo mode, else generated",
            doc="Password of that administrator; a generated one is printed once and left in "
                "`var/zope-admin-password` (0600)."),
    Setting("QLVB_SITE_ID", default="qlvb", doc="Id of the Plone site."),
    Setting("QLVB_DEMO", parse=boolean, default=True,
            doc="`0` creates the site without demo data (and generates the administrator's password)."),
    Setting("QLVB_DEMO_OUTGOING_ISSUE", parse=boolean, default=False,
            doc="Demo data: also issue one outgoing document (signed with the test PKI)."),
    Setting("QLVB_PEERS_PORT", parse=positive_int, default=8765,
            doc="Port of the demo's test PKI services (CRL, OCSP, time-stamping) on 127.0.0.1."),
    Setting("QLVB_TEST_PKI_URL", default="", shown_default="`http://127.0.0.1:8765/pki`",
            doc="Base URL written into the test certificates (CRL and OCSP addresses)."),
    Setting("QLVB_TEST_VIEWS", parse=boolean, default=False,
            doc="`1` serves the test-only views of `dongthap.qlvb_testing` (benchmarks and tests; "
                "never in production)."),
))
