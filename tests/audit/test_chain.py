"""The hash chain: appending, verifying, and detecting a changed, removed or reordered record."""

from dongthap.qlvb.audit import chain

import json
import psycopg2
import pytest


def _records(n, start=0):
    return [{"at": f"2026-12-0{1 + (start + i) % 5}T08:00:00.000000+00:00", "userid": f"user{i}",
             "action": "view", "outcome": "ok", "uid": f"uid{i % 3}", "agency_uid": "A",
             "title": "Công văn số 12/UBND", "client": "10.0.0.1", "detail": {"i": i}}
            for i in range(start, start + n)]


def test_append_and_verify(any_store):
    any_store.append(_records(5))
    any_store.append(_records(3, 5))
    result = any_store.verify()
    assert result.ok, result.summary()
    assert (result.count, result.first, result.last) == (8, 1, 8)
    assert any_store.head()[0] == 8
    found = any_store.search(uid="uid1", limit=10)
    assert [r["seq"] for r in found] == [8, 5, 2]  # newest first
    assert any_store.search(agency_uids=["B"]) == []
    assert found[0]["title"] == "Công văn số 12/UBND"


# -- tampering with the file store ----------------------------------------------------------

def _lines(store):
    (path,) = store._files()
    return path, path.read_text().splitlines()


def test_file_changed_record_is_named(file_store):
    file_store.append(_records(6))
    path, lines = _lines(file_store)
    record = json.loads(lines[3])
    record["userid"] = "someone-else"
    lines[3] = json.dumps(record, ensure_ascii=False, sort_keys=True)
    path.write_text("\n".join(lines) + "\n")
    result = file_store.verify()
    assert not result.ok
    assert [p.seq for p in result.problems] == [4]
    assert "record 4: was changed" in result.summary()


def test_file_removed_record_is_named(file_store):
    file_store.append(_records(6))
    path, lines = _lines(file_store)
    del lines[2]
    path.write_text("\n".join(lines) + "\n")
    result = file_store.verify()
    assert not result.ok
    assert "record 4: records 3..3 are missing" in result.summary()


def test_file_reordered_records_are_named(file_store):
    file_store.append(_records(6))
    path, lines = _lines(file_store)
    lines[1], lines[2] = lines[2], lines[1]
    path.write_text("\n".join(lines) + "\n")
    result = file_store.verify()
    assert not result.ok
    assert {p.seq for p in result.problems} >= {2, 3}


def test_file_removed_last_record_is_caught_by_the_head(file_store):
    file_store.append(_records(6))
    path, lines = _lines(file_store)
    path.write_text("\n".join(lines[:-1]) + "\n")
    result = file_store.verify()
    assert not result.ok
    assert "the last record written was 6, the log ends at 5" in result.summary()


def test_file_rewritten_chain_is_caught_by_the_head(file_store):
    """Rebuilding a consistent chain without one record still disagrees with the head."""
    file_store.append(_records(6))
    path, lines = _lines(file_store)
    kept = [json.loads(line) for line in lines if json.loads(line)["seq"] != 6]
    for record in kept:
        record.pop("hash")
    chain.seal(kept, 0, chain.GENESIS)
    path.write_text("".join(json.dumps(r, sort_keys=True) + "\n" for r in kept))
    assert not file_store.verify().ok


def test_file_purge_keeps_the_chain_verifiable(file_store):
    file_store.append(_records(4))
    (old,) = file_store._files()
    old.rename(old.with_name("audit-200001.jsonl"))
    file_store.append(_records(3, 4))
    assert file_store.purge("2100-01-01") == 4
    result = file_store.verify()
    assert result.ok, result.summary()
    assert (result.first, result.last) == (5, 7)


# -- PostgreSQL --------------------------------------------------------------------------------

def test_pg_refuses_update_and_delete(pg_store):
    pg_store.append(_records(3))
    conn = psycopg2.connect(pg_store.dsn)
    try:
        for sql in ("UPDATE qlvb_audit SET userid = 'x' WHERE seq = 2",
                    "DELETE FROM qlvb_audit WHERE seq = 2", "TRUNCATE qlvb_audit"):
            with pytest.raises(psycopg2.Error, match="append-only"):
                with conn, conn.cursor() as cur:
                    cur.execute(sql)
    finally:
        conn.close()
    assert pg_store.verify().ok


def _superuser_tamper(pg_store, *sql):
    """What an attacker with the database's superuser can do: switch the triggers off and edit."""
    conn = psycopg2.connect(pg_store.dsn)
    try:
        with conn, conn.cursor() as cur:
            cur.execute("ALTER TABLE qlvb_audit DISABLE TRIGGER USER")
            for statement in sql:
                cur.execute(statement)
            cur.execute("ALTER TABLE qlvb_audit ENABLE TRIGGER USER")
    finally:
        conn.close()


def test_pg_changed_record_is_named(pg_store):
    pg_store.append(_records(5))
    _superuser_tamper(pg_store, "UPDATE qlvb_audit SET body = replace(body, 'user2', 'user9') WHERE seq = 3")
    result = pg_store.verify()
    assert not result.ok
    assert any(p.seq == 3 and "changed" in p.reason for p in result.problems)


def test_pg_changed_column_is_named(pg_store):
    pg_store.append(_records(5))
    _superuser_tamper(pg_store, "UPDATE qlvb_audit SET userid = 'user9' WHERE seq = 2")
    result = pg_store.verify()
    assert [p.seq for p in result.problems] == [2]


def test_pg_deleted_and_reordered_records_are_named(pg_store):
    pg_store.append(_records(6))
    _superuser_tamper(pg_store, "DELETE FROM qlvb_audit WHERE seq = 4")
    result = pg_store.verify()
    assert "record 5: records 4..4 are missing" in result.summary()
    _superuser_tamper(pg_store, "UPDATE qlvb_audit SET seq = -seq WHERE seq IN (2, 3)",
                      "UPDATE qlvb_audit SET seq = 3 WHERE seq = -2",
                      "UPDATE qlvb_audit SET seq = 2 WHERE seq = -3")
    result = pg_store.verify()
    assert {2, 3} <= {p.seq for p in result.problems}


def test_pg_purge_keeps_the_chain_verifiable(pg_store):
    pg_store.append(_records(5))
    assert pg_store.purge("2026-12-03T00:00:00+00:00") == 2  # days 1 and 2
    result = pg_store.verify()
    assert result.ok, result.summary()
    assert result.first == 3


def test_verify_script(file_store):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "scripts" / "audit_verify.py"
    file_store.append(_records(4))
    ok = subprocess.run([sys.executable, script, "--dir", file_store.directory],
                        capture_output=True, text=True)
    assert ok.returncode == 0 and "OK: 4 records" in ok.stdout, ok.stdout + ok.stderr
    path, lines = _lines(file_store)
    path.write_text(lines[0] + "\n" + lines[2] + "\n" + lines[3] + "\n")
    broken = subprocess.run([sys.executable, script, "--dir", file_store.directory],
                        capture_output=True, text=True)
    assert broken.returncode == 1
    assert "record 3: records 2..2 are missing" in broken.stdout


def test_restore_a_sealed_chain_into_an_empty_store_only(any_store, tmp_path):
    """What an import of an exported trail writes into a new deployment (transfer/audittrail.py):
    the records as sealed, the source's anchor; a store holding anything refuses."""
    from dongthap.qlvb.audit.store import FileStore

    source = FileStore(tmp_path / "source")
    source.append(_records(7))
    sealed = list(source.records())[2:]  # as after a purge of the first two
    any_store.restore(iter(sealed), (2, sealed[0]["prev"]))
    assert list(any_store.records()) == sealed
    assert any_store.anchor() == (2, sealed[0]["prev"]) and any_store.head() == (7, sealed[-1]["hash"])
    assert any_store.verify().ok, any_store.verify().summary()
    assert any_store.record_at(5) == sealed[2] and any_store.record_at(9) is None
    any_store.append(_records(1, 7))
    assert any_store.verify().ok and any_store.head()[0] == 8
    with pytest.raises(ValueError):
        any_store.restore(iter(sealed), (2, sealed[0]["prev"]))
    assert len(list(any_store.records())) == 6
