"""The integrity check: every file against its stored checksum, every signature again.

For each document (incoming, outgoing; any IQlvbDocument):

* each file's SHA-256, computed from the blob the storage returns, against
  ``qlvb_checksums`` (:mod:`.checksums`): ``changed`` when they differ, ``missing``
  when a listed file is gone, ``unrecorded`` when a file has no checksum yet
  (``record=True`` stores it: a site from before the checksums);
* a document whose main file was verified as signed (``signature_file_sha256``):
  the file's hash against it (``signature_file_changed``) and the signature
  verified again with the site's trust store; ``signature_changed`` when the
  legal validity differs from the stored one.

Runs in batches (the ZODB cache is trimmed after each); ``progress(done, total)``
is called after every batch. Returns ``{"documents", "files", "signatures", "problems"}``.
"""

from dongthap.qlvb.transfer import checksums
from plone import api

BATCH = 200


def check_document(doc, *, verify_signatures=True, record=False):
    problems = []
    stored = dict(getattr(doc, checksums.CHECKSUMS_ATTR, None) or {})
    files = checksums.files_of(doc)
    current = {}
    for key, value in files:
        try:
            current[key] = checksums.sha256_of(value)
        except Exception as error:  # noqa: BLE001 - a missing blob file is what we look for
            problems.append({"kind": "unreadable", "file": key, "detail": repr(error)})
    for key, digest in current.items():
        if key not in stored:
            if not record:
                problems.append({"kind": "unrecorded", "file": key})
        elif stored[key] != digest:
            problems.append({"kind": "changed", "file": key, "stored": stored[key], "found": digest})
    for key in stored:
        if key not in current:
            problems.append({"kind": "missing", "file": key})
    unrecorded = {key: current[key] for key in current if key not in stored}
    if record and unrecorded:
        from persistent.mapping import PersistentMapping

        setattr(doc, checksums.CHECKSUMS_ATTR, PersistentMapping(dict(stored, **unrecorded)))
    signatures = 0
    signed_sha = getattr(doc, "signature_file_sha256", None)
    if verify_signatures and signed_sha and getattr(doc, "file", None) is not None:
        from dongthap.qlvb.signing.api import verify_bytes

        signatures = 1
        if current.get("file") != signed_sha:
            problems.append({"kind": "signature_file_changed", "file": "file", "stored": signed_sha,
                             "found": current.get("file")})
        report = verify_bytes(bytes(doc.file.data))
        before = getattr(doc, "legal_validity", None)
        if report["legal_validity"] != before:
            problems.append({"kind": "signature_changed", "file": "file", "stored": before,
                             "found": report["legal_validity"]})
    return problems, len(current), signatures


def check_site(portal, *, verify_signatures=True, record=False, progress=None, batch=BATCH):
    import transaction

    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        object_provides="dongthap.qlvb.documents.interfaces.IQlvbDocument", sort_on="path")
    total = len(brains)
    result = {"documents": 0, "files": 0, "signatures": 0, "problems": []}
    for index, brain in enumerate(brains, start=1):
        doc = brain._unrestrictedGetObject()
        problems, files, signatures = check_document(doc, verify_signatures=verify_signatures,
                                                     record=record)
        result["documents"] += 1
        result["files"] += files
        result["signatures"] += signatures
        path = brain.getPath()
        result["problems"].extend(dict(p, path=path) for p in problems)
        if index % batch == 0:
            if record:
                transaction.commit()
            portal._p_jar.cacheGC()
            if progress is not None:
                progress(index, total)
    if record:
        transaction.commit()
    if progress is not None:
        progress(total, total)
    return result
