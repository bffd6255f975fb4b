"""Full export → import into a new site → the same state; importing twice changes nothing.

The populated site is the demo: agencies and departments, 50 staff in their agency
groups, incoming documents (received, registered) with their trails and
signature reports, outgoing drafts with versions and review steps, dossiers with
their documents and log, the agencies' register counters and records schedules.
"""

from dongthap.qlvb.audit.store import FileStore
from dongthap.qlvb.transfer.compare import differences

import json
import pytest

# Real Zope instances (site creation, backup, restore): in the second pytest session that
# scripts/run-tests.sh runs alongside the first (marker "stress"), so CI stays within its time.
pytestmark = pytest.mark.stress


def test_export_import_into_a_new_site_and_again(demo_instance, tmp_path):
    export = tmp_path / "export"
    done = demo_instance.transfer("export", export)
    manifest = json.loads((export / "manifest.json").read_text())
    assert manifest["items"] > 30 and manifest["users"] >= 50 and not manifest["errors"], done.stdout
    before = demo_instance.fingerprint("qlvb", tmp_path / "before.json")
    kinds = {o["type"] for o in before["objects"].values()}
    assert {"Agency", "Department", "IncomingDocument", "OutgoingDocument", "Dossier"} <= kinds
    states = {o["state"] for o in before["objects"].values()}
    assert {"registered", "received", "draft", "pending_review", "open"} <= states

    # the audit trail: exported as stored; a new deployment (its own, empty audit store) gets
    # the same chain, which still verifies; the import's own records follow it
    trail = [json.loads(line) for line in (export / "audit.jsonl").read_text().splitlines()]
    assert manifest["audit"] == len(trail) > 0
    assert json.loads((export / "audit.json").read_text())["head"] == [trail[-1]["seq"], trail[-1]["hash"]]
    new_store = {"QLVB_AUDIT_DIR": str(tmp_path / "audit-moi")}
    done = demo_instance.transfer("--site", "moi", "import", export, env=new_store)
    assert '"mode": "restored"' in done.stdout, done.stdout[-2000:]
    restored = FileStore(tmp_path / "audit-moi")
    assert list(restored.records())[:len(trail)] == trail
    assert restored.verify().ok, restored.verify().summary()
    after = demo_instance.fingerprint("moi", tmp_path / "after.json")
    assert differences(before, after) == []
    assert len(after["objects"]) == len(before["objects"])
    # numbers, counters, signatures: compared through the stored state digests above; spelled out:
    for path, entry in before["objects"].items():
        assert after["objects"][path]["files"] == entry["files"]
        assert after["objects"][path]["history"] == entry["history"]
        assert after["objects"][path]["local_roles"] == entry["local_roles"]

    written = list(restored.records())
    done = demo_instance.transfer("--site", "moi", "import", export, env=new_store)
    assert '"mode": "present"' in done.stdout, done.stdout[-2000:]
    again = demo_instance.fingerprint("moi", tmp_path / "again.json")
    assert differences(after, again) == []
    assert list(restored.records())[:len(written)] == written and restored.verify().ok
    assert not [r for r in restored.records() if r["action"] == "audit_import" or "imported" in r]

    check = demo_instance.transfer("--site", "moi", "integrity", "--json", tmp_path / "integrity.json")
    report = json.loads((tmp_path / "integrity.json").read_text())
    assert report["problems"] == [] and report["documents"] >= 5, check.stdout
    assert report["signatures"] >= 1


def test_integrity_check_reports_a_changed_blob(demo_instance, tmp_path):
    """Blob files altered on disk are reported (exit 1), naming the document and the file."""
    import pathlib

    blobs = list(pathlib.Path(demo_instance.var, "blobstorage").rglob("*.blob"))
    originals = {path: path.read_bytes() for path in blobs}
    try:
        for path in blobs:
            path.chmod(0o600)
            path.write_bytes(originals[path][:-10] + b"0123456789")
        done = demo_instance.transfer("integrity", "--json", tmp_path / "r.json", check=False)
        assert done.returncode == 1, done.stdout
        report = json.loads((tmp_path / "r.json").read_text())
        kinds = {p["kind"] for p in report["problems"]}
        assert {"changed", "signature_file_changed"} <= kinds
        assert {p["file"] for p in report["problems"]} >= {"file"}
        assert all(p["path"].startswith("/qlvb/") for p in report["problems"])
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
    assert demo_instance.transfer("integrity").returncode == 0
