"""``zconsole run`` script of ``test_relstorage``: bulk set-up and read-back on the RelStorage site.

Environment: ``QLVB_SITE_ID``, ``QLVB_BULK`` (``create`` or ``dump``), ``QLVB_BULK_AGENCY``,
``QLVB_BULK_CLERK``, ``QLVB_BULK_COUNT`` (create) and ``QLVB_BULK_FILE``: ``create`` writes
the paths of the new received documents there (JSON), ``dump`` reads them and writes
``{path: [arrival_number, state, register actions, register trail entries]}``.
"""

from tests.incoming.helpers import create_received
from tests.incoming.helpers import registration_of
from zope.component.hooks import setSite

import json
import os

site = app[os.environ.get("QLVB_SITE_ID", "plone")]  # noqa: F821 - ``app`` is given by zconsole
setSite(site)
agency = site.unrestrictedTraverse(os.environ["QLVB_BULK_AGENCY"])
target = os.environ["QLVB_BULK_FILE"]
if os.environ["QLVB_BULK"] == "create":
    paths = create_received(agency, int(os.environ["QLVB_BULK_COUNT"]), os.environ["QLVB_BULK_CLERK"])
    with open(target, "w", encoding="utf-8") as out:
        json.dump(paths, out)
else:
    with open(target, encoding="utf-8") as src:
        paths = json.load(src)
    with open(target + ".out", "w", encoding="utf-8") as out:
        json.dump(registration_of(site, paths), out)
