"""The audit trail in an export and back (transfer/audittrail.py), on file stores: no Zope.

Into an empty store the chain arrives as it was (same seq, hashes, anchor); into the same
deployment nothing is written; into a store with a chain of its own the records are sealed again
at its end, keep their original hashes, and are followed by import markers. Every way: importing
twice changes nothing, and the chain still verifies.
"""

from dongthap.qlvb.audit import store as audit_store
from dongthap.qlvb.audit.store import FileStore
from dongthap.qlvb.transfer import audittrail

import json
import pytest


def _record(n, **extra):
    return dict({"at": f"2026-11-{n % 28 + 1:02d}T01:02:03.000004+00:00", "userid": f"u{n}",
                 "action": "view", "outcome": "ok", "uid": f"uid{n}", "path": f"/qlvb/d{n}",
                 "title": f"Văn bản số {n}", "type": "IncomingDocument", "agency_uid": "a1",
                 "client": "10.0.0.1", "method": "GET", "detail": None}, **extra)


@pytest.fixture
def exported(tmp_path):
    """A source trail of 25 records, the first 5 purged (anchor at 5), exported."""
    source = FileStore(tmp_path / "source")
    source.append([_record(n) for n in range(1, 6)])
    source.append([_record(n) for n in range(6, 26)])
    source._write_pair("anchor.json", 5, next(r for r in source.records() if r["seq"] == 5)["hash"])
    kept = [r for r in source.records() if r["seq"] > 5]
    for path in source._files():
        path.unlink()
    source.append([])  # nothing; the head stays at 25
    with open(source.directory / "audit-202611.jsonl", "w", encoding="utf-8") as out:
        out.write("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in kept))
    assert source.verify().ok, source.verify().summary()
    directory = tmp_path / "export"
    directory.mkdir()
    with audit_store.using(source):
        meta = audittrail.export_trail(str(directory))
    assert meta == {"anchor": [5, kept[0]["prev"]], "head": [25, kept[-1]["hash"]], "records": 20,
                    "store": "file"}
    return directory, kept


def _records(store):
    return list(store.records())


def test_into_an_empty_store_the_chain_is_the_same_and_twice_changes_nothing(tmp_path, exported):
    directory, kept = exported
    target = FileStore(tmp_path / "new")
    with audit_store.using(target):
        result = audittrail.import_trail(str(directory), batch=7)
        assert result == {"mode": "restored", "records": 20, "added": 20}
        assert _records(target) == kept and target.anchor() == (5, kept[0]["prev"])
        assert target.verify().ok, target.verify().summary()
        target.append([_record(99)])  # the new deployment goes on writing after it
        assert audittrail.import_trail(str(directory))["mode"] == "present"
    assert _records(target)[:20] == kept and len(_records(target)) == 21
    assert target.verify().ok


def test_into_a_store_with_its_own_chain_records_are_sealed_again_with_markers(tmp_path, exported):
    directory, kept = exported
    target = FileStore(tmp_path / "other")
    target.append([_record(n, action="login") for n in range(3)])
    with audit_store.using(target):
        result = audittrail.import_trail(str(directory), batch=8)
        assert result == {"mode": "appended", "records": 20, "added": 20}
        after = _records(target)
        again = audittrail.import_trail(str(directory), batch=8)
        assert again == {"mode": "present", "records": 20, "added": 0}
    assert _records(target) == after
    assert target.verify().ok, target.verify().summary()
    imported = [r for r in after if "imported" in r]
    markers = [r for r in after if r["action"] == audittrail.MARKER]
    assert [r["imported"]["seq"] for r in imported] == list(range(6, 26))
    assert [audittrail.original(r) for r in imported] == kept
    assert [m["detail"]["source_seq"] for m in markers] == [13, 21, 25]
    assert audittrail.verify_imported(after) == []
    # tampering with an imported record: the store's chain and the original hash both say so
    after[5]["userid"] = "someone-else"
    assert any("original hash" in p for p in audittrail.verify_imported(after))


def test_the_same_deployment_writes_nothing_and_an_export_without_trail_is_fine(tmp_path, exported):
    directory, kept = exported
    target = FileStore(tmp_path / "same")
    target.restore(iter(kept), (5, kept[0]["prev"]))
    target.append([_record(100)])
    with audit_store.using(target):
        assert audittrail.import_trail(str(directory))["mode"] == "present"
        assert audittrail.import_trail(str(tmp_path))["mode"] == "none"
    assert len(_records(target)) == 21
