"""Benchmark: request latency with the audit trail on vs off, and audit writes per second.

Run: ``.venv/bin/python bench/bench_audit.py [requests] [records]`` (default ``200 20000``).

1. *Request latency*: one throw-away demo site, served twice from the same
   var/ — first with ``QLVB_AUDIT_ENABLED=0``, then with ``1`` (file store
   under that var/) — each time ``requests`` GETs of a document (REST JSON)
   and of its file (``@@download``) by the clerk, one client; p50/p95/mean in
   ms and the audit records written during the run.
2. *Writes per second*: ``records`` records through the writer (queue and
   background thread, batched) into a file store, and into PostgreSQL when
   ``createdb`` on 127.0.0.1:5432 works (a throw-away database), then the
   verification of the whole chain (records per second).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from _server import BIN, free_port, serve, summary  # noqa: E402

import requests  # noqa: E402

PG = os.environ.get("QLVB_TEST_PG", "host=127.0.0.1 port=5432 user=postgres password=postgres")


def latency(url, n):
    from dongthap.qlvb.demo.data import DEMO_PASSWORD

    s = requests.Session()
    s.auth = ("stttt.vanthu", DEMO_PASSWORD)
    s.headers["Accept"] = "application/json"
    found = s.get(f"{url}/@search", params={"portal_type": "IncomingDocument", "b_size": 1}).json()
    doc = found["items"][0]["@id"]
    for _ in range(20):  # warm up
        s.get(doc).raise_for_status()
    views, downloads = [], []
    for _ in range(n):
        t = time.perf_counter()
        s.get(doc).raise_for_status()
        views.append(time.perf_counter() - t)
        t = time.perf_counter()
        s.get(f"{doc}/@@download/file").raise_for_status()
        downloads.append(time.perf_counter() - t)
    return summary(views), summary(downloads)


def requests_part(n):
    results = {}
    with tempfile.TemporaryDirectory(prefix="qlvb-bench-audit-") as var:
        port = free_port()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "instance.py"), "--var", var, "--port",
                        str(port), "--host", "127.0.0.1", "--dsn", ""], check=True, capture_output=True)
        conf = Path(var) / "instance" / "etc" / "zope.conf"
        audit_dir = Path(var) / "audit"
        base = dict(os.environ, QLVB_DEMO="1", QLVB_CLAMD_ENABLED="0", QLVB_KEYS_DIR=str(Path(var) / "keys"),
                    QLVB_AUDIT_DIR=str(audit_dir), QLVB_AUDIT_DSN="", QLVB_RELSTORAGE_DSN="")
        subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(ROOT / "scripts" / "create_site.py")],
                       check=True, capture_output=True, env=base)
        for mode in ("0", "1"):
            before = _count(audit_dir)
            with serve(conf, port, dict(base, QLVB_AUDIT_ENABLED=mode), timeout=180) as url:
                view, download = latency(url, n)
                time.sleep(1)  # let the writer finish
            results["on" if mode == "1" else "off"] = {
                "GET document (REST)": view, "GET @@download": download,
                "audit records written": _count(audit_dir) - before}
    return results


def _count(directory):
    return sum(1 for path in directory.glob("audit-*.jsonl") for _ in open(path)) if directory.is_dir() else 0


def writes_part(records):
    from dongthap.qlvb.audit import store as audit_store
    from dongthap.qlvb.audit import writer

    results = {}
    stores = []
    tmp = tempfile.TemporaryDirectory(prefix="qlvb-bench-audit-store-")
    stores.append(("file", audit_store.FileStore(Path(tmp.name) / "audit")))
    dbname = None
    try:
        dbname = f"qlvb_bench_audit_{secrets.token_hex(4)}"
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True,
                       capture_output=True)
        stores.append(("postgresql", audit_store.PgStore(f"dbname={dbname} {PG}")))
    except (OSError, subprocess.CalledProcessError):
        dbname = None
    try:
        for name, chosen in stores:
            with audit_store.using(chosen):
                chosen.head()  # schema ready
                t = time.perf_counter()
                for i in range(records):
                    writer.enqueue({"at": f"2026-12-06T08:00:00.{i % 1000000:06d}+00:00", "userid": "u",
                                    "action": "view", "outcome": "ok", "uid": f"doc{i % 500}",
                                    "agency_uid": "A", "client": "10.0.0.1", "title": "Công văn",
                                    "path": "/qlvb/so-tttt/van-ban-den/x", "detail": None})
                enqueued = time.perf_counter() - t
                writer.flush(600)
                written = time.perf_counter() - t
                t = time.perf_counter()
                verified = chosen.verify()
                check = time.perf_counter() - t
            results[name] = {"records": records, "enqueue µs/record": round(enqueued / records * 1e6, 2),
                             "writes/s": round(records / written),
                             "verify records/s": round(verified.count / check),
                             "chain": verified.summary()}
            if name == "postgresql":
                chosen.close()
    finally:
        tmp.cleanup()
        if dbname:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", dbname], check=False)
    return results


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    records = int(sys.argv[2]) if len(sys.argv) > 2 else 20000
    out = {"writes": writes_part(records), "requests": requests_part(n)}
    print(json.dumps(out, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
