"""The audit trail in an export, and back (an extra export step beside collective.exportimport's).

The trail is not in the ZODB (``audit/store.py``: PostgreSQL or ``var/audit``), so
collective.exportimport never sees it. The export writes, streamed:

* ``audit.jsonl`` — every record as stored, sealed (``seq``, ``prev``, ``hash``), in order;
* ``audit.json`` — ``anchor`` (left by the last purge), ``head`` (the last record written),
  ``records``, the kind of store.

The import writes it to the deployment's store in one of three ways (:func:`import_trail`):

``present``
    the store already holds this chain (its record ``head.seq`` has the hash ``head.hash``: the
    same deployment, or a second import): nothing is written.
``restored``
    the store is empty (a new deployment): the records are written as they are, with the
    source's anchor; the chain is the source's, hashes and all, and verifies as it did.
``appended``
    the store has a chain of its own: each record is sealed again at the end of it
    (new ``seq``/``prev``/``hash``) and keeps its original ones under ``imported``; every batch
    ends with a record ``audit_import`` (the import marker: which source records, up to which
    ``seq`` and ``hash``). The store's chain verifies; :func:`verify_imported` re-checks the
    original hashes and their sequence. A second import of the same export (or of a later one
    of the same source) finds the markers and writes only what they do not cover.

Memory stays flat: records are read and written in batches.
"""

from dongthap.qlvb.audit import chain
from dongthap.qlvb.transfer.streams import batched
from dongthap.qlvb.transfer.streams import iter_lines

import json
import os

RECORDS = "audit.jsonl"
META = "audit.json"
MARKER = "audit_import"
#: Fields the store gives a record (sealing), kept under ``imported`` when sealed again.
SEALED = ("seq", "prev", "hash")


def _store():
    from dongthap.qlvb.audit.store import get_store

    return get_store()


def _flush():
    from dongthap.qlvb.audit import writer

    writer.flush()


def export_trail(directory):
    """Write ``audit.jsonl`` and ``audit.json`` into ``directory``; returns the meta data."""
    _flush()
    store = _store()
    anchor = store.anchor()
    head = anchor
    count = 0
    path = os.path.join(directory, RECORDS)
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for record in store.records():
            out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            count += 1
            if isinstance(record.get("seq"), int) and record.get("hash"):
                head = (record["seq"], record["hash"])
    os.replace(path + ".tmp", path)
    meta = {"anchor": list(anchor), "head": list(head), "records": count, "store": store.kind}
    with open(os.path.join(directory, META), "w", encoding="utf-8") as out:
        json.dump(meta, out, sort_keys=True)
    return meta


def _is_empty(store):
    return store.head() == (0, chain.GENESIS) and store.anchor() == (0, chain.GENESIS)


def _marker(batch, source, export_name):
    from dongthap.qlvb.audit.log import build

    detail = {"source_first": batch[0]["seq"], "source_seq": batch[-1]["seq"],
              "source_hash": batch[-1]["hash"], "records": len(batch), "export": export_name,
              "source_store": source.get("store"), "source_head": source["head"]}
    return build(MARKER, None, detail=detail)


def _covered(store, records_path):
    """The highest source ``seq`` that earlier imports (their markers) already wrote."""
    done = {(m["detail"]["source_seq"], m["detail"]["source_hash"])
            for m in store.search(action=MARKER, limit=None) if isinstance(m.get("detail"), dict)}
    if not done:
        return None
    covered = None
    for record in iter_lines(records_path):
        if (record.get("seq"), record.get("hash")) in done:
            covered = record["seq"]
    return covered


def import_trail(directory, *, batch=1000):
    """Bring the exported trail into this deployment's store; returns ``{"mode", "records", "added"}``."""
    meta_path = os.path.join(directory, META)
    if not os.path.exists(meta_path):
        return {"mode": "none", "records": 0, "added": 0}
    with open(meta_path, encoding="utf-8") as src:
        meta = json.load(src)
    records_path = os.path.join(directory, RECORDS)
    result = {"records": meta["records"], "added": 0}
    _flush()
    store = _store()
    head_seq, head_hash = meta["head"]
    if not meta["records"]:
        return dict(result, mode="present")
    found = store.record_at(head_seq)
    if found is not None and found.get("hash") == head_hash and "imported" not in found:
        return dict(result, mode="present")
    if _is_empty(store):
        try:
            store.restore(iter_lines(records_path), meta["anchor"])
            return dict(result, mode="restored", added=meta["records"])
        except ValueError:  # something was written meanwhile: append below
            pass
    covered = _covered(store, records_path)
    name = os.path.basename(os.path.normpath(directory))
    todo = (r for r in iter_lines(records_path)
            if covered is None or (isinstance(r.get("seq"), int) and r["seq"] > covered))
    for chunk in batched(todo, batch):
        sealed = []
        for record in chunk:
            again = {k: v for k, v in record.items() if k not in SEALED}
            again["imported"] = {k: record.get(k) for k in SEALED}
            sealed.append(again)
        store.append(sealed + [_marker(chunk, meta, name)])
        result["added"] += len(chunk)
    return dict(result, mode="appended" if result["added"] else "present")


def original(record):
    """The record as its source sealed it (for one carrying ``imported``)."""
    body = {k: v for k, v in record.items() if k not in SEALED and k != "imported"}
    body.update(record["imported"])
    return body


def verify_imported(records):
    """Problems (texts) of the imported records among *records* (the store's, in order): each
    one's original hash against its content, and the original chain where its ``seq`` follow."""
    problems = []
    last = None
    for record in records:
        if record.get("action") == MARKER and isinstance(record.get("detail"), dict):
            detail = record["detail"]
            named = (detail.get("source_seq"), detail.get("source_hash"))
            if last is None or (last["seq"], last["hash"]) != named:
                problems.append(f"record {record.get('seq')}: the import marker does not name "
                                "the records before it")
            continue
        if "imported" not in record:
            continue
        body = original(record)
        if chain.digest(body.get("prev") or "", body) != body.get("hash"):
            problems.append(f"imported record {body.get('seq')}: its original hash does not match "
                            "its content")
        if last is not None and body.get("seq") == last["seq"] + 1 and body.get("prev") != last["hash"]:
            problems.append(f"imported record {body.get('seq')}: does not follow the record before it")
        last = body
    return problems
