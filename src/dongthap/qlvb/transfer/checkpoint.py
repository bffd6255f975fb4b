"""Where an import of an export stands, kept in the site it imports into (resumable import).

The import (:func:`.api.import_site`) runs in phases, in this order::

    audit  members  content  groups  localroles  relations  ordering  portlets  site

``content`` … ``portlets`` go item by item through a file of the export (the *objects*
counted by ``--max-objects``); the others are one step each. The record says which phase
is next and how many items of it are done; it is a small persistent object on the site,
changed **in the same ZODB transaction as the batch it counts**, so the data and the
progress are committed together or not at all: after a crash (an exception, a killed
process) the next run starts again at the first item of the batch that was not committed.
A file next to the export could not be written atomically with the ZODB transaction, and
one export may be imported into several sites.

The audit phase writes to the audit store (PostgreSQL or ``var/audit``), not to the ZODB:
it is marked done in a transaction of its own after it; if the process dies between the two,
the next run does it again, which writes nothing twice (``audittrail.import_trail``: the
store's chain is found ``present``, or its import markers say what was written).

Records are kept per export, under a digest of its ``manifest.json`` (a new export into the
same folder is a new import), on the attribute :data:`ATTRIBUTE` of the site — a ``_qlvb_``
name that :mod:`.state` does not copy (``state.SKIP``): an export of this site does not carry it.
"""

from persistent.list import PersistentList
from persistent.mapping import PersistentMapping

import datetime as dt
import hashlib
import os

ATTRIBUTE = "_qlvb_import_progress"
PHASES = ("audit", "members", "content", "groups", "localroles", "relations", "ordering", "portlets",
          "site")
#: The phases that go item by item (their items are the objects ``--max-objects`` counts).
ITEM_PHASES = ("content", "localroles", "relations", "ordering", "portlets")
DONE = "done"


def export_key(directory):
    """The identity of an export: a digest of its manifest (written last, with its counts and time)."""
    with open(os.path.join(directory, "manifest.json"), "rb") as src:
        return hashlib.sha256(src.read()).hexdigest()[:32]


def _now():
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _records(portal, create):
    from Acquisition import aq_base

    base = aq_base(portal)
    base._p_activate()  # a ghost's __dict__ is empty (the site after a cacheMinimize)
    records = base.__dict__.get(ATTRIBUTE)
    if records is None and create:
        records = PersistentMapping()
        setattr(base, ATTRIBUTE, records)
    return records


def find(portal, key):
    """The record of the import of export ``key`` into ``portal``, or None."""
    records = _records(portal, create=False)
    return None if records is None else records.get(key)


def start(portal, key, directory, totals):
    """A new record (saved with the next commit): nothing done yet."""
    record = PersistentMapping(
        phase=PHASES[0], position=0, done=0, added=0, totals=dict(totals), runs=0,
        export=os.path.abspath(directory), started=_now(), updated=_now(), audit=None,
        groups_before=PersistentList())
    _records(portal, create=True)[key] = record
    return record


def forget(portal, key):
    records = _records(portal, create=False)
    if records is not None and key in records:
        del records[key]


def total(record):
    return sum(record["totals"].get(phase, 0) for phase in ITEM_PHASES)


def advance(record, items):
    """``items`` more items of the current phase are done (commit with them)."""
    record["position"] += items
    record["done"] += items
    record["updated"] = _now()


def next_phase(record):
    """The current phase is complete (commit with its last change)."""
    index = PHASES.index(record["phase"])
    phase = PHASES[index + 1] if index + 1 < len(PHASES) else DONE
    # the objects of a phase whose file held fewer items than the manifest counted: count them
    # done, so that "left" reaches 0
    if record["phase"] in ITEM_PHASES:
        expected = record["totals"].get(record["phase"], 0)
        if record["position"] < expected:
            record["done"] += expected - record["position"]
    record["phase"] = phase
    record["position"] = 0
    record["updated"] = _now()


def finished(record):
    return record is not None and record["phase"] == DONE
