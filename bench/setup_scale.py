"""zconsole script for bench_scale.py: facts of the generated site and the plain baseline folder.

Writes ``<argv[-1]>`` (JSON): the generator's progress, the catalog's counts, the agency the
bench works in (the generated agency with the most incoming documents among the first ten)
and its staff. Adds, once, ``bench-plain``: a plain Plone folder with 1,000 File items (the
baseline listing), outside the navigation.
"""

from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.demo import generator
from dongthap.qlvb.utils.deployment import SETTINGS
from plone import api
from plone.dexterity.utils import createContentInContainer
from plone.namedfile.file import NamedBlobFile
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import json
import sys
import transaction

app = makerequest(app)  # noqa: F821
newSecurityManager(None, app.acl_users.getUserById(SETTINGS.value("QLVB_ADMIN_USER")).__of__(app.acl_users))
site = app[SETTINGS.value("QLVB_SITE_ID")]
setSite(site)
state = dict(generator.progress(site))
paths = state.pop("agency_paths")
plans = generator.plan_agencies(len(paths))
catalog = api.portal.get_tool("portal_catalog")
best = max(range(min(10, len(paths))),
           key=lambda i: len(catalog.unrestrictedSearchResults(
               portal_type="IncomingDocument", path="/".join(site.getPhysicalPath()) + "/" + paths[i])))
if "bench-plain" not in site.objectIds():
    folder = api.content.create(container=site, type="Folder", id="bench-plain", title="Thư mục Plone")
    folder.exclude_from_nav = True
    for i in range(1000):
        createContentInContainer(folder, "File", checkConstraints=False, id=f"tep-{i:04d}",
                                 title=f"Tệp số {i:04d}",
                                 file=NamedBlobFile(b"%PDF-1.4 bench", filename="t.pdf",
                                                    contentType="application/pdf"))
    transaction.commit()
if "bench-files" not in site.objectIds():
    api.content.create(container=site, type="Folder", id="bench-files", title="Tệp đo")
    site["bench-files"].exclude_from_nav = True
    transaction.commit()
facts = {
    "progress": state,
    "agencies": len(catalog.unrestrictedSearchResults(portal_type="Agency")),
    "incoming": len(catalog.unrestrictedSearchResults(portal_type="IncomingDocument")),
    "outgoing": len(catalog.unrestrictedSearchResults(portal_type="OutgoingDocument")),
    "dossiers": len(catalog.unrestrictedSearchResults(portal_type="Dossier")),
    "catalog": len(catalog),
    "agency_path": paths[best],
    "agency_incoming": len(catalog.unrestrictedSearchResults(
        portal_type="IncomingDocument", path="/".join(site.getPhysicalPath()) + "/" + paths[best])),
    "staff": {s: generator._username(plans[best], s) for s, _r, _j in generator.STAFF},
    "password": generator.PASSWORD,
    "year": generator.datetime.date.today().year,
}
with open(sys.argv[-1], "w") as out:
    json.dump(facts, out, ensure_ascii=False, indent=1)
