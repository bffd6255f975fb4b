"""zconsole helper of the migration test: an agency's register counters and migrated documents (JSON)."""

import json
import sys

from zope.component.hooks import setSite

site = app["qlvb"]  # noqa: F821 - ``app`` is given by zconsole
setSite(site)
agency = site[sys.argv[4]]
counters = getattr(agency, "_qlvb_register_counters", None) or {}
docs = site.portal_catalog.unrestrictedSearchResults(
    portal_type=["IncomingDocument", "OutgoingDocument"], path="/".join(agency.getPhysicalPath()))
migrated = []
for brain in docs:
    doc = brain._unrestrictedGetObject()
    if getattr(doc, "qlvb_migrated", None):
        migrated.append({"type": doc.portal_type, "state": brain.review_state,
                         "arrival_number": getattr(doc, "arrival_number", None),
                         "code_number": getattr(doc, "code_number", None),
                         "checksums": dict(getattr(doc, "qlvb_checksums", {}) or {}),
                         "file_size": doc.file.getSize()})
print(json.dumps({"counters": {f"{k[0]}|{k[1]}": v.last for k, v in counters.items()},
                  "migrated": migrated}))
