"""Benchmark at scale: a site filled by scripts/generate_data.py, against bare Plone in the same run.

One command:

    .venv/bin/python bench/bench_scale.py [--documents 300 --agencies 20] [--count 20]

makes a temporary instance (FileStorage), fills it with ``scripts/generate_data.py`` and
measures. On a site filled before (the large runs of docs/capacity.md):

    .venv/bin/python bench/bench_scale.py --instance var/scale/scale

Uses the instance's zope.conf/zope.ini as they are (FileStorage or RelStorage), adds once a
plain folder with 1,000 File items (``bench-plain``) and then serves the site with one
waitress process and measures, with one client:

* registration: ``POST <agency>/@incoming`` (register) vs plone.restapi ``POST`` of a File;
* desk and list: the clerk's ``van-ban-den`` page and ``GET <agency>/@incoming`` vs the
  REST listing of the plain folder (1,000 items);
* search: ``@search-documents`` (full text, title, issuer) vs the catalog search of the
  plain folder (``@search?SearchableText=``);
* the year register (Sổ đăng ký văn bản đến) as JSON and XLSX (the code the background
  export job runs) vs the plain folder listing.

Prints documents/s, p50/p95 in ms, the Data.fs size per document (FileStorage).
"""

from __future__ import annotations

from pathlib import Path

import argparse
import base64
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "bench"))

from _server import percentile  # noqa: E402
from _server import serve  # noqa: E402


def timed(call, count):
    times, failures = [], 0
    for i in range(count):
        start = time.perf_counter()
        response = call(i)
        times.append(time.perf_counter() - start)
        if response.status_code >= 400:
            failures += 1
            if failures == 1:
                print(f"    ! {response.status_code} {response.text[:300]}", flush=True)
    return times, failures


def row(label, times, failures=0):
    p50, p95 = statistics.median(times) * 1000, percentile(times, 95) * 1000
    rate = len(times) / sum(times)
    print(f"  {label:<52} n={len(times):<4} p50={p50:8.0f} ms  p95={p95:8.0f} ms  "
          f"{rate:6.2f}/s  failed={failures}", flush=True)
    return {"p50": p50, "p95": p95, "rate": rate, "failed": failures}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--instance", help="directory with etc/zope.conf (default: a new temporary one)")
    parser.add_argument("--documents", type=int, default=300, help="for a new instance")
    parser.add_argument("--agencies", type=int, default=20, help="for a new instance")
    parser.add_argument("--count", type=int, default=20)
    args = parser.parse_args()
    if args.instance:
        return measure(args)
    with tempfile.TemporaryDirectory(prefix="qlvb-bench-scale-") as var:
        from _server import free_port

        env = dict(os.environ, QLVB_DEMO="0", QLVB_CLAMD_ENABLED="0", QLVB_KEYS_DIR=f"{var}/keys")
        subprocess.run([sys.executable, str(ROOT / "scripts" / "instance.py"), "--name", "scale",
                        "--var", var, "--host", "127.0.0.1", "--port", str(free_port()), "--dsn", "",
                        "--env", "QLVB_CLAMD_ENABLED=0"], check=True, env=env, stdout=subprocess.DEVNULL)
        conf = Path(var) / "scale" / "etc" / "zope.conf"
        for sub in ("filestorage", "blobstorage"):
            (Path(var) / sub).mkdir(exist_ok=True)
        subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(ROOT / "scripts" / "create_site.py")],
                       check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = time.perf_counter()
        script = str(ROOT / "scripts" / "generate_data.py")
        out = subprocess.run([str(BIN / "zconsole"), "run", str(conf), script, "--documents",
                              str(args.documents), "--agencies", str(args.agencies)],
                             check=True, env=env, capture_output=True, text=True)
        print(f"generated in {time.perf_counter() - started:.0f} s: {out.stdout.strip().splitlines()[-1]}")
        args.instance = str(Path(var) / "scale")
        os.environ["QLVB_KEYS_DIR"] = env["QLVB_KEYS_DIR"]
        return measure(args)


def measure(args):
    import requests

    etc = Path(args.instance).resolve() / "etc"
    conf = etc / "zope.conf"
    port = int(re.search(r"(?:listen\s*=\s*\S+:|port\s*=\s*)(\d+)", (etc / "zope.ini").read_text()).group(1))
    env = dict(os.environ, QLVB_CLAMD_ENABLED="0")
    facts_file = Path(tempfile.mkstemp(suffix=".json")[1])
    start = time.perf_counter()
    subprocess.run([str(BIN / "zconsole"), "run", str(conf), str(ROOT / "bench" / "setup_scale.py"),
                    str(facts_file)], check=True, env=env, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    facts = json.loads(facts_file.read_text())
    facts_file.unlink()
    text = conf.read_text()
    fs = re.search(r"path\s+(\S+Data\.fs)", text)
    size = Path(fs.group(1)).stat().st_size if fs else None
    blobs = re.search(r"blob-dir\s+(\S+)", text)
    blob_size = sum(f.stat().st_size for f in Path(blobs.group(1)).rglob("*") if f.is_file()) \
        if blobs else None
    docs = facts["incoming"] + facts["outgoing"]
    print(f"site: {facts['agencies']} agencies, {facts['incoming']} incoming + {facts['outgoing']} "
          f"outgoing documents, {facts['dossiers']} dossiers, {facts['catalog']} catalogued objects "
          f"(setup {time.perf_counter() - start:.0f} s)")
    progress = facts["progress"]
    if progress.get("steps"):
        print(f"generator: {progress['steps']} steps in {progress.get('elapsed', 0):.0f} s "
              f"({progress['steps'] / max(progress.get('elapsed', 1), 1):.1f} steps/s), "
              f"{progress.get('issued', 0)} issued, {progress.get('copies', 0)} delivered copies, "
              f"{progress.get('exchanged', 0)} axis entries")
    if size:
        print(f"Data.fs: {size / 1e6:.0f} MB = {size / max(docs, 1) / 1024:.1f} KiB per document; "
              f"blobs: {(blob_size or 0) / 1e6:.0f} MB = {(blob_size or 0) / max(docs, 1) / 1024:.1f} "
              f"KiB per document")
    print(f"bench agency: /{facts['agency_path']} ({facts['agency_incoming']} incoming)")

    sys.path.insert(0, str(ROOT / "src"))
    from dongthap.qlvb.demo.generator import pdf_for

    pdf = pdf_for("UBND TỈNH ĐỒNG THÁP", "cong_van", 0)
    file_json = {"data": base64.b64encode(pdf).decode(), "encoding": "base64", "filename": "bench.pdf",
                 "content-type": "application/pdf"}
    secret = Path(args.instance).resolve().parent / "zope-admin-password"
    admin_password = os.environ.get("QLVB_ADMIN_PASSWORD") or (
        secret.read_text().strip() if secret.exists() else "admin")
    with serve(conf, port, env, timeout=300) as site:
        site = site.replace("/qlvb", "/" + os.environ.get("QLVB_SITE_ID", "qlvb"))
        agency = f"{site}/{facts['agency_path']}"

        def session(user):
            s = requests.Session()
            s.auth = (user, facts["password"]) if user != "admin" else ("admin", admin_password)
            s.headers["Accept"] = "application/json"
            return s

        clerk, admin = session(facts["staff"]["vanthu"]), session("admin")
        clerk.get(f"{agency}/@incoming")  # warm up the caches
        admin.get(f"{site}/bench-plain")
        n = args.count
        print(f"\none client, {n} requests each (p95 of {n} = the 2nd slowest)")
        print("registration")
        today = time.strftime("%Y-%m-%d")
        ours = timed(lambda i: clerk.post(f"{agency}/@incoming", json={
            "title": f"Văn bản đo hiệu năng {i}", "document_type": "cong_van", "code_number": str(900 + i),
            "code_notation": "UBND-BENCH", "issued_date": today, "issuing_agency_name": "UBND tỉnh",
            "urgency": "thuong", "source": "paper", "file": file_json, "register": True}), n)
        row("ours: POST @incoming (register)", *ours)
        plain = timed(lambda i: admin.post(f"{site}/bench-files", json={
            "@type": "File", "title": f"Tệp đo {i}", "file": file_json}), n)
        row("plain: POST File (plone.restapi)", *plain)
        print("desk and lists")
        html = session(facts["staff"]["vanthu"])
        html.headers["Accept"] = "text/html"
        row("ours: clerk's desk page van-ban-den (HTML)",
            *timed(lambda i: html.get(f"{agency}/van-ban-den"), n))
        row("ours: GET @incoming lists (clerk)", *timed(lambda i: clerk.get(f"{agency}/@incoming"), n))
        leader = session(facts["staff"]["lanhdao"])
        row("ours: GET @incoming lists (leader)", *timed(lambda i: leader.get(f"{agency}/@incoming"), n))
        row("plain: GET folder, 1,000 items (REST, batch 25)",
            *timed(lambda i: admin.get(f"{site}/bench-plain"), n))
        row("plain: folder_contents page (HTML)",
            *timed(lambda i: admin.get(f"{site}/bench-plain/folder_contents",
                                       headers={"Accept": "text/html"}), n))
        print("search")
        words = ("chuyển đổi số", "ngân sách", "báo cáo", "thiên tai", "hộ nghèo")
        row("ours: @search-documents text= (site, clerk)",
            *timed(lambda i: clerk.get(f"{site}/@search-documents", params={"text": words[i % 5]}), n))
        row("ours: @search-documents issuer=Bộ Nội vụ (agency)",
            *timed(lambda i: clerk.get(f"{agency}/@search-documents", params={"issuer": "Bộ Nội vụ"}), n))
        row("plain: @search SearchableText= (Plone)",
            *timed(lambda i: admin.get(f"{site}/@search", params={"SearchableText": words[i % 5]}), n))
        print("year register (Sổ đăng ký văn bản đến)")
        year = facts["year"]
        reg = max(3, n // 5)
        row(f"ours: @registers/incoming?year={year} JSON",
            *timed(lambda i: clerk.get(f"{agency}/@registers/incoming", params={"year": year}), reg))
        row(f"ours: @registers/incoming?year={year}&format=xlsx",
            *timed(lambda i: clerk.get(f"{agency}/@registers/incoming",
                                       params={"year": year, "format": "xlsx"}), reg))
        row(f"ours: @registers/incoming?year={year}&format=pdf",
            *timed(lambda i: clerk.get(f"{agency}/@registers/incoming",
                                       params={"year": year, "format": "pdf"}), reg))
        row("plain: GET folder, 1,000 items, b_size=1000 (REST)",
            *timed(lambda i: admin.get(f"{site}/bench-plain", params={"b_size": 1000}), reg))


if __name__ == "__main__":
    main()
