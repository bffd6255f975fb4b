"""Full export → import into a new site → the same state; importing twice changes nothing.

The populated site is the demo: agencies and departments, 50 staff in their agency
groups, incoming documents (received, registered) with their trails and
signature reports, outgoing drafts with versions and review steps, dossiers with
their documents and log, the agencies' register counters and records schedules.
"""

from dongthap.qlvb.audit.store import FileStore
from dongthap.qlvb.transfer.compare import differences
from pathlib import Path

import json
import pytest
import re
import subprocess

# Real Zope instances (site creation, backup, restore): in the second pytest session that
# scripts/run-tests.sh runs alongside the first (marker "stress"), so CI stays within its time.
pytestmark = pytest.mark.stress


HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]


@pytest.fixture(scope="module")
def demo_export(demo_instance, tmp_path_factory):
    """The demo site exported, and its fingerprint: (folder, manifest, the export's output, fingerprint)."""
    tmp = tmp_path_factory.mktemp("export")
    export = tmp / "export"
    done = demo_instance.transfer("export", export)
    manifest = json.loads((export / "manifest.json").read_text())
    return export, manifest, done.stdout, demo_instance.fingerprint("qlvb", tmp / "before.json")


def test_export_import_into_a_new_site_and_again(demo_instance, demo_export, tmp_path):
    export, manifest, stdout, before = demo_export
    assert manifest["items"] > 30 and manifest["users"] >= 50 and not manifest["errors"], stdout
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


def test_import_in_chunks_after_a_failure_is_the_one_go_import(demo_instance, demo_export, tmp_path):
    """The import in chunks, each a fresh process (``import-all``), after a run that failed in the
    middle of a batch, ends with the site the one-go import makes (the test above: the source's
    fingerprint); each object counted once; run again when finished, it writes nothing."""
    export, manifest, _stdout, before = demo_export
    env = dict(demo_instance.env, QLVB_AUDIT_DIR=str(tmp_path / "audit-parts"))
    # audit trail, members and the first content batch (7 items) committed; fails at item 10
    crashed = demo_instance.zconsole(HERE / "crash_import.py", "parts", export, 7, 10, check=False, env=env)
    assert crashed.returncode != 0 and "simulated failure" in crashed.stderr, crashed.stderr[-2000:]

    total = (manifest["items"] + manifest["localroles"] + manifest["relations"] + manifest["portlets"]
             + len(json.loads((export / "ordering.json").read_text())))
    chunk = (total - 7) // 2 + 1  # two chunks
    done = subprocess.run([
        ROOT / ".venv" / "bin" / "python", ROOT / "scripts" / "transfer.py", "import-all", export,
        "--conf", demo_instance.conf, "--site", "parts", "--batch", "7", "--chunk", str(chunk)],
        env=env, cwd=ROOT, capture_output=True, text=True)
    out = done.stdout
    assert done.returncode == 0, (out[-3000:], done.stderr[-3000:])
    # resumed at the first item of the batch that failed: nothing skipped, nothing twice
    assert re.search(rf"start: phase=content, position=7, done=7, total={total}\b", out), out[-3000:]
    assert len(re.findall(r"^chunk \d+: \+\d+ objects", out, re.M)) == 2, out[-3000:]
    left = total - 7 - chunk
    assert re.search(rf"stopped after {chunk} objects: {7 + chunk}/{total} done, {left} left", out)
    assert re.search(r"peak RSS per chunk \(MB\): first [\d.]+, last [\d.]+", out)
    result = json.loads(out.strip().splitlines()[-1])
    assert result["finished"] and result["done"] == result["total"] == total
    assert result["items"] == manifest["items"]  # every content item imported in exactly one batch
    assert result["audit"]["mode"] == "restored"

    after = demo_instance.fingerprint("parts", tmp_path / "parts.json")
    assert differences(before, after) == []
    assert len(after["objects"]) == len(before["objects"])

    data = demo_instance.var / "filestorage" / "Data.fs"
    size = data.stat().st_size
    again = demo_instance.transfer("--site", "parts", "import", export, env=env)
    assert "already imported completely" in again.stdout, again.stdout[-2000:]
    assert json.loads(again.stdout.strip().splitlines()[-1])["audit"]["mode"] == "present"
    assert data.stat().st_size == size  # not one transaction written


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
