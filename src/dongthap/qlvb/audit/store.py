"""Where audit records live: PostgreSQL, or JSON lines under var/ (never the ZODB).

Both stores append a batch under one lock (a row lock on the head row in
PostgreSQL, ``flock`` on a lock file for the file store), so several Zope
processes and the exchange worker extend one chain.  Both keep the *head*
(last ``seq`` and ``hash``) apart from the records and the *anchor* left by
the last purge of old records (retention), so that verification detects
records removed at either end.

PostgreSQL: table ``qlvb_audit`` (``seq`` primary key, the columns searched
on, ``body`` the record's JSON as sealed); triggers refuse ``UPDATE`` and
``TRUNCATE``, and ``DELETE`` outside a purge.  The file store is for a
single-machine deployment; its search reads the files (newest month first).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import threading
from pathlib import Path

from dongthap.qlvb.audit import chain

#: Fields searched on (columns of the PostgreSQL table).
COLUMNS = ("seq", "at", "userid", "action", "outcome", "uid", "agency_uid", "client")


def _matches(record, *, agency_uids, userid, action, uid, since, until):
    if agency_uids is not None and (record.get("agency_uid") or "") not in agency_uids:
        return False
    if userid and record.get("userid") != userid:
        return False
    actions = action if isinstance(action, (tuple, list, set)) else (action,)
    if action and record.get("action") not in actions:
        return False
    if uid and record.get("uid") != uid:
        return False
    at = record.get("at") or ""
    if since and at < since:
        return False
    if until and at >= until:
        return False
    return True


class FileStore:
    """JSON lines, one file per month (``audit-YYYYMM.jsonl``), under *directory*."""

    kind = "file"

    def __init__(self, directory):
        self.directory = Path(directory)

    def describe(self):
        return f"file store {self.directory}"

    @contextlib.contextmanager
    def _locked(self):
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        with open(self.directory / "lock", "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _files(self):
        if not self.directory.is_dir():
            return []
        return sorted(self.directory.glob("audit-*.jsonl"))

    def _read_pair(self, name):
        path = self.directory / name
        if not path.exists():
            return None
        data = json.loads(path.read_text())
        return int(data["seq"]), data["hash"]

    def _write_pair(self, name, seq, hash_):
        path = self.directory / name
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps({"seq": seq, "hash": hash_}))
        os.replace(tmp, path)

    def anchor(self):
        return self._read_pair("anchor.json") or (0, chain.GENESIS)

    def head(self):
        found = self._read_pair("head.json")
        if found is not None:
            return found
        last = None
        for record in self.records():
            last = record
        return (last["seq"], last["hash"]) if last else self.anchor()

    def append(self, records: list[dict]):
        if not records:
            return
        with self._locked():
            seq, hash_ = self.head()
            seq, hash_ = chain.seal(records, seq, hash_)
            month = dt.datetime.now(dt.UTC).strftime("%Y%m")
            path = self.directory / f"audit-{month}.jsonl"
            with open(path, "a", encoding="utf-8") as out:
                out.write("".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records))
                out.flush()
                os.fsync(out.fileno())
            self._write_pair("head.json", seq, hash_)

    def records(self):
        for path in self._files():
            with open(path, encoding="utf-8") as lines:
                for number, line in enumerate(lines, 1):
                    line = line.strip()
                    if not line:
                        continue
                    try:
                        yield json.loads(line)
                    except ValueError:
                        yield {"seq": f"{path.name}:{number}", "broken": line[:200]}

    def verify(self) -> chain.Verification:
        return chain.verify(self.records(), anchor=self.anchor(), head=self._read_pair("head.json"))

    def record_at(self, seq):
        """The record numbered *seq*, or None."""
        for record in self.records():
            if record.get("seq") == seq:
                return record
        return None

    def restore(self, records, anchor):
        """Write sealed *records* (an iterable, in order) as they are, into an empty store.

        For the import of an exported trail into a new deployment (``transfer/audittrail.py``):
        the chain, its hashes and the anchor stay those of the source. Raises ``ValueError`` when
        the store holds anything. Records go to the month file of their time (never an earlier
        file than the record before); the head is written last.
        """
        with self._locked():
            if self._files() or self._read_pair("head.json") or self._read_pair("anchor.json"):
                raise ValueError(f"{self.describe()} is not empty")
            self._write_pair("anchor.json", int(anchor[0]), anchor[1])
            seq, hash_ = int(anchor[0]), anchor[1]
            month, out = "", None
            try:
                for record in records:
                    wanted = max(month, (record.get("at") or "")[:7].replace("-", "") or month)
                    if wanted != month or out is None:
                        if out is not None:
                            out.flush()
                            os.fsync(out.fileno())
                            out.close()
                        month = wanted or dt.datetime.now(dt.UTC).strftime("%Y%m")
                        out = open(self.directory / f"audit-{month}.jsonl", "a", encoding="utf-8")  # noqa: SIM115
                    out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
                    seq, hash_ = record["seq"], record["hash"]
            finally:
                if out is not None:
                    out.flush()
                    os.fsync(out.fileno())
                    out.close()
            self._write_pair("head.json", seq, hash_)
            return seq, hash_

    def search(self, *, agency_uids=None, userid=None, action=None, uid=None, since=None, until=None,
               limit=200, offset=0):
        """Newest first."""
        found = []
        wanted = offset + limit if limit is not None else None
        for path in reversed(self._files()):
            with open(path, encoding="utf-8") as lines:
                batch = [json.loads(line) for line in lines if line.strip()]
            for record in reversed(batch):
                if _matches(record, agency_uids=agency_uids, userid=userid, action=action, uid=uid,
                            since=since, until=until):
                    found.append(record)
                    if wanted is not None and len(found) >= wanted:
                        return found[offset:]
        return found[offset:]

    def purge(self, before: str) -> int:
        """Remove the months whose records are all older than *before* (ISO time); returns how many."""
        removed = 0
        with self._locked():
            for path in self._files()[:-1]:  # never the month being written
                last = None
                with open(path, encoding="utf-8") as lines:
                    for line in lines:
                        if line.strip():
                            last = json.loads(line)
                if last is None or last.get("at", "") >= before:
                    break
                with open(path, encoding="utf-8") as lines:
                    removed += sum(1 for line in lines if line.strip())
                self._write_pair("anchor.json", last["seq"], last["hash"])
                path.unlink()
        return removed


_SCHEMA = """
CREATE TABLE IF NOT EXISTS qlvb_audit (
    seq bigint PRIMARY KEY,
    at timestamptz NOT NULL,
    userid text, action text, outcome text, uid text, agency_uid text, client text,
    body text NOT NULL
);
CREATE INDEX IF NOT EXISTS qlvb_audit_uid ON qlvb_audit (uid, seq);
CREATE INDEX IF NOT EXISTS qlvb_audit_agency ON qlvb_audit (agency_uid, seq);
CREATE INDEX IF NOT EXISTS qlvb_audit_user ON qlvb_audit (userid, seq);
CREATE INDEX IF NOT EXISTS qlvb_audit_at ON qlvb_audit (at);
CREATE TABLE IF NOT EXISTS qlvb_audit_head (name text PRIMARY KEY, seq bigint NOT NULL, hash text NOT NULL);
INSERT INTO qlvb_audit_head VALUES ('head', 0, '{genesis}'), ('anchor', 0, '{genesis}')
    ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION qlvb_audit_refuse() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('qlvb.audit_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'qlvb_audit is append-only (%)', TG_OP;
END $$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS qlvb_audit_append_only ON qlvb_audit;
CREATE TRIGGER qlvb_audit_append_only BEFORE UPDATE OR DELETE ON qlvb_audit
    FOR EACH ROW EXECUTE FUNCTION qlvb_audit_refuse();
DROP TRIGGER IF EXISTS qlvb_audit_no_truncate ON qlvb_audit;
CREATE TRIGGER qlvb_audit_no_truncate BEFORE TRUNCATE ON qlvb_audit
    FOR EACH STATEMENT EXECUTE FUNCTION qlvb_audit_refuse();
""".replace("{genesis}", chain.GENESIS)


class PgStore:
    """The table ``qlvb_audit`` of the PostgreSQL database at *dsn*."""

    kind = "postgresql"

    def __init__(self, dsn):
        self.dsn = dsn
        self._local = threading.local()
        self._schema_ready = False

    def describe(self):
        import psycopg2.extensions

        params = psycopg2.extensions.parse_dsn(self.dsn)
        return f"PostgreSQL database {params.get('dbname', '?')} on {params.get('host', 'local socket')}"

    def _connection(self):
        import psycopg2

        conn = getattr(self._local, "conn", None)
        if conn is None or conn.closed:
            conn = self._local.conn = psycopg2.connect(self.dsn)
        if not self._schema_ready:
            with conn, conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(774411)")  # one process creates the schema
                cur.execute(_SCHEMA)
            self._schema_ready = True
        return conn

    def close(self):
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def _pair(self, name):
        with self._connection() as conn, conn.cursor() as cur:
            cur.execute("SELECT seq, hash FROM qlvb_audit_head WHERE name = %s", (name,))
            seq, hash_ = cur.fetchone()
            return int(seq), hash_

    def head(self):
        return self._pair("head")

    def anchor(self):
        return self._pair("anchor")

    def append(self, records: list[dict]):
        if not records:
            return
        from psycopg2.extras import execute_values

        conn = self._connection()
        try:
            with conn, conn.cursor() as cur:
                cur.execute("SELECT seq, hash FROM qlvb_audit_head WHERE name = 'head' FOR UPDATE")
                seq, hash_ = cur.fetchone()
                seq, hash_ = chain.seal(records, int(seq), hash_)
                execute_values(cur, "INSERT INTO qlvb_audit (seq, at, userid, action, outcome, uid, "
                                    "agency_uid, client, body) VALUES %s", [
                    (r["seq"], r["at"], r.get("userid"), r.get("action"), r.get("outcome"), r.get("uid"),
                     r.get("agency_uid"), r.get("client"), json.dumps(r, ensure_ascii=False, sort_keys=True))
                    for r in records])
                cur.execute("UPDATE qlvb_audit_head SET seq = %s, hash = %s WHERE name = 'head'",
                            (seq, hash_))
        except Exception:
            self.close()
            raise

    def _rows(self, sql, params=()):
        conn = self._connection()
        with conn, conn.cursor(name=f"audit_{threading.get_ident()}") as cur:
            cur.itersize = 2000
            cur.execute(sql, params)
            yield from cur

    def records(self):
        for (body,) in self._rows("SELECT body FROM qlvb_audit ORDER BY seq"):
            yield json.loads(body)

    def record_at(self, seq):
        conn = self._connection()
        with conn, conn.cursor() as cur:
            cur.execute("SELECT body FROM qlvb_audit WHERE seq = %s", (seq,))
            row = cur.fetchone()
            return json.loads(row[0]) if row else None

    def restore(self, records, anchor, batch=1000):
        """As :meth:`FileStore.restore`: one transaction, under the head's row lock."""
        from itertools import islice

        from psycopg2.extras import execute_values

        conn = self._connection()
        try:
            with conn, conn.cursor() as cur:
                cur.execute("SELECT seq, hash FROM qlvb_audit_head WHERE name = 'head' FOR UPDATE")
                head = cur.fetchone()
                cur.execute("SELECT seq, hash FROM qlvb_audit_head WHERE name = 'anchor'")
                start = cur.fetchone()
                cur.execute("SELECT EXISTS (SELECT 1 FROM qlvb_audit)")
                empty = (0, chain.GENESIS)
                if cur.fetchone()[0] or tuple(head) != empty or tuple(start) != empty:
                    raise ValueError(f"{self.describe()} is not empty")
                seq, hash_ = int(anchor[0]), anchor[1]
                iterator = iter(records)
                while rows := list(islice(iterator, batch)):
                    execute_values(cur, "INSERT INTO qlvb_audit (seq, at, userid, action, outcome, uid, "
                                        "agency_uid, client, body) VALUES %s", [
                        (r["seq"], r["at"], r.get("userid"), r.get("action"), r.get("outcome"), r.get("uid"),
                         r.get("agency_uid"), r.get("client"),
                         json.dumps(r, ensure_ascii=False, sort_keys=True))
                        for r in rows])
                    seq, hash_ = rows[-1]["seq"], rows[-1]["hash"]
                cur.execute("UPDATE qlvb_audit_head SET seq = %s, hash = %s WHERE name = 'anchor'",
                            (int(anchor[0]), anchor[1]))
                cur.execute("UPDATE qlvb_audit_head SET seq = %s, hash = %s WHERE name = 'head'",
                            (seq, hash_))
                return seq, hash_
        except Exception:
            self.close()
            raise

    def verify(self) -> chain.Verification:
        mismatched = []

        def checked():
            for row in self._rows("SELECT seq, userid, action, uid, agency_uid, body FROM qlvb_audit "
                                  "ORDER BY seq"):
                record = json.loads(row[5])
                if (row[0], row[1], row[2], row[3], row[4]) != tuple(
                        record.get(k) for k in ("seq", "userid", "action", "uid", "agency_uid")):
                    mismatched.append(chain.Problem(row[0], "its searchable columns differ from its content"))
                yield record

        result = chain.verify(checked(), anchor=self.anchor(), head=self.head())
        result.problems[:0] = mismatched
        return result

    def search(self, *, agency_uids=None, userid=None, action=None, uid=None, since=None, until=None,
               limit=200, offset=0):
        where, params = [], []
        if agency_uids is not None:
            where.append("coalesce(agency_uid, '') = ANY(%s)")
            params.append(list(agency_uids))
        for column, value in (("userid", userid), ("uid", uid)):
            if value:
                where.append(f"{column} = %s")
                params.append(value)
        if action:
            where.append("action = ANY(%s)")
            params.append(list(action) if isinstance(action, (tuple, list, set)) else [action])
        if since:
            where.append("at >= %s")
            params.append(since)
        if until:
            where.append("at < %s")
            params.append(until)
        sql = "SELECT body FROM qlvb_audit" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY seq DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        conn = self._connection()
        with conn, conn.cursor() as cur:
            cur.execute(sql, params)
            return [json.loads(body) for (body,) in cur.fetchall()]

    def purge(self, before: str) -> int:
        conn = self._connection()
        with conn, conn.cursor() as cur:
            cur.execute("SELECT seq, hash FROM qlvb_audit_head WHERE name = 'head' FOR UPDATE")
            cur.execute("SELECT seq, body FROM qlvb_audit WHERE at < %s ORDER BY seq DESC LIMIT 1", (before,))
            row = cur.fetchone()
            if row is None:
                return 0
            last = json.loads(row[1])
            cur.execute("SET LOCAL qlvb.audit_purge = 'on'")
            cur.execute("DELETE FROM qlvb_audit WHERE seq <= %s", (row[0],))
            removed = cur.rowcount
            cur.execute("UPDATE qlvb_audit_head SET seq = %s, hash = %s WHERE name = 'anchor'",
                        (last["seq"], last["hash"]))
            return removed


_stores: dict = {}
_override = []


def get_store():
    """The store the settings name (one instance per DSN/folder in this process)."""
    if _override:
        return _override[-1]
    from dongthap.qlvb.audit import settings

    dsn = settings.dsn()
    key = ("pg", dsn) if dsn else ("file", str(settings.directory()))
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = PgStore(dsn) if dsn else FileStore(key[1])
    return store


@contextlib.contextmanager
def using(store):
    """Tests and scripts: write to *store* for the duration."""
    _override.append(store)
    try:
        yield store
    finally:
        _override.remove(store)
