"""A SHA-256 of every file of a document, stored beside it (``qlvb_checksums``).

Written when a document is added or modified (every path that changes a file
notifies the modified event: the forms, the REST services, signing), kept by
the export (it is add-on state) and compared by the integrity check
(:mod:`.integrity`) with the bytes the storage gives back — after a restore, a
migration, or whenever asked.

Keys: the field name (``file``), ``<field>/<index>`` for the items of a list
field (``attachments/0``).
"""

from persistent.mapping import PersistentMapping

import hashlib

CHECKSUMS_ATTR = "qlvb_checksums"


def sha256_of(named_file) -> str:
    digest = hashlib.sha256()
    blob = getattr(named_file, "_blob", None)
    if blob is not None:
        with blob.open("r") as stream:
            for chunk in iter(lambda: stream.read(1 << 20), b""):
                digest.update(chunk)
    else:
        digest.update(bytes(named_file.data))
    return digest.hexdigest()


def files_of(doc):
    """``[(key, named file)]`` of every file field of ``doc`` (its schemata and behaviors)."""
    from dongthap.qlvb.transfer.hooks import file_field_names

    found = []
    for name in file_field_names(doc):
        value = getattr(doc, name, None)
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            found.extend((f"{name}/{index}", item) for index, item in enumerate(value) if item is not None)
        else:
            found.append((name, value))
    return found


def compute(doc) -> dict:
    return {key: sha256_of(value) for key, value in files_of(doc)}


def record(doc) -> None:
    """Store the checksums of ``doc``'s current files (only when they changed)."""
    current = compute(doc)
    stored = getattr(doc, CHECKSUMS_ATTR, None)
    if stored is not None and dict(stored) == current:
        return
    setattr(doc, CHECKSUMS_ATTR, PersistentMapping(current))


def on_change(doc, event):
    """Subscriber (added / modified) of every IQlvbDocument."""
    record(doc)
