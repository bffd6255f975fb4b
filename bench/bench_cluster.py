#!/usr/bin/env python3
"""Load test of the cluster mode: 1, then 2, then 4 instances behind HAProxy, Locust users on REST.

Run: ``make bench-cluster`` or
``.venv/bin/python bench/bench_cluster.py [--steps 1,2,4] [--seconds 60] [--users 16] [--threads 2]``
(Locust comes from ``make bench-install``, requirements/bench.txt).

One fresh PostgreSQL database (``qlvb_bench_cluster`` on 127.0.0.1:5432), the site and the demo
data created once; then for each step ``scripts/cluster.py`` starts N instances (RelStorage,
blobs in PostgreSQL, ``--threads`` waitress threads each) behind HAProxy with the workers, and
Locust runs the scenarios of ``bench/locust/locustfile.py`` for ``--seconds`` with ``--users``
users (clerks registering incoming documents with a PDF, leaders assigning, specialists reading
and searching, drafters taking a công văn from draft to issue) plus the baseline in the same run:
bare plone.restapi File creation and a plain folder listing. Antivirus off, no TSA (both are
other processes whose cost is measured by bench_antivirus / bench_signing).

Prints per step and action: requests, failures, p50 / p95 / p99 (ms) and requests per second;
then the speed-up of the total throughput. Afterwards it checks the registers of every agency
used: the incoming arrival numbers and the outgoing numbers run 1..n with no gap and no
duplicate, and every number a client was given is in the register (assert).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(ROOT / "scripts"))
import cluster  # noqa: E402

LOCUSTFILE = HERE / "locust" / "locustfile.py"
DSN = "dbname=qlvb_bench_cluster host=127.0.0.1 port=5432 user=postgres"
AGENCIES = "so-tttt:stttt,so-noi-vu:snv,so-tai-chinh:stc,phuong-cao-lanh:caolanh,xa-my-tho:mytho"
ADMIN = ("admin", "admin")


def free_port_block(size):
    """A port with ``port+10 … port+10+size`` free too (HAProxy and the instances)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 10 + size > 65000:
            continue
        try:
            holders = []
            for p in [port, *range(port + 11, port + 11 + size)]:
                h = socket.socket()
                holders.append(h)
                h.bind(("127.0.0.1", p))
            return port
        except OSError:
            continue
        finally:
            for h in holders:
                h.close()
    raise RuntimeError("no free port block")


def ensure_files_folder(url):
    s = requests.Session()
    s.auth, s.headers["Accept"] = ADMIN, "application/json"
    if s.get(f"{url}/bench-files", timeout=60).status_code == 200:
        return
    r = s.post(url, json={"@type": "Folder", "id": "bench-files", "title": "Bench files"}, timeout=120)
    assert r.status_code == 201, r.text[:500]


def run_locust(url, *, users, seconds, csv_prefix, env):
    cmd = [str(BIN / "locust"), "-f", str(LOCUSTFILE), "--host", url, "--headless", "-u", str(users),
           "-r", str(max(1, users // 5)), "-t", f"{seconds}s", "--csv", str(csv_prefix), "--only-summary",
           "--stop-timeout", "30", "--loglevel", "WARNING"]
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=seconds + 300)
    if result.returncode not in (0, 1):  # 1: some requests failed (reported below)
        raise RuntimeError(f"locust failed ({result.returncode}):\n{result.stderr[-3000:]}")
    rows = {}
    with open(f"{csv_prefix}_stats.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["Name"].startswith("setup:"):
                continue
            rows[row["Name"]] = {
                "n": int(row["Request Count"]), "failed": int(row["Failure Count"]),
                "p50": float(row["50%"] or 0), "p95": float(row["95%"] or 0), "p99": float(row["99%"] or 0),
                "rps": float(row["Requests/s"] or 0)}
    failures = []
    failures_csv = Path(f"{csv_prefix}_failures.csv")
    if failures_csv.exists():
        with open(failures_csv, newline="", encoding="utf-8") as fh:
            failures = [f"{r['Occurrences']}× {r['Name']}: {r['Error'][:160]}" for r in csv.DictReader(fh)]
    return rows, failures


def print_step(n, rows, failures, seconds, users):
    print(f"\n== {n} instance(s), {users} users, {seconds} s (machine load average now "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    print(f"  {'action':<32} {'req':>5} {'fail':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7}")
    for name in sorted(rows, key=lambda k: (k == "Aggregated", k.startswith("baseline"), k)):
        r = rows[name]
        print(f"  {name:<32} {r['n']:>5} {r['failed']:>4} {r['p50']:>8.0f} {r['p95']:>8.0f} {r['p99']:>8.0f}"
              f" {r['rps']:>7.2f}")
    for line in failures[:8]:
        print(f"  ! {line}")


def _int(text):
    match = re.match(r"\s*(\d+)", str(text))
    return int(match.group(1)) if match else None


def check_numbering(url, agencies, given_file):
    """No gap, no duplicate in the incoming and outgoing registers; every given number is in them."""
    s = requests.Session()
    s.auth, s.headers["Accept"] = ADMIN, "application/json"
    given = defaultdict(list)
    if given_file.exists():
        for line in given_file.read_text().splitlines():
            agency, number = line.split()
            given[agency].append(int(number))
    problems, summary = [], []
    for agency in agencies:
        incoming = [r["arrival_number"] for r in s.get(f"{url}/{agency}/@registers/incoming", timeout=300)
                    .json()["rows"]]
        outgoing = [_int(r["notation"]) for r in s.get(f"{url}/{agency}/@registers/outgoing", timeout=300)
                    .json()["rows"]]
        outgoing = [n for n in outgoing if n is not None]
        for label, numbers in (("incoming", incoming), ("outgoing", outgoing)):
            duplicates = sorted(n for n, c in Counter(numbers).items() if c > 1)
            gaps = sorted(set(range(1, max(numbers, default=0) + 1)) - set(numbers))
            if duplicates or gaps:
                problems.append(f"{agency} {label}: duplicates {duplicates[:10]}, gaps {gaps[:10]}")
        dup_given = sorted(n for n, c in Counter(given[agency]).items() if c > 1)
        missing = sorted(set(given[agency]) - set(incoming))
        if dup_given or missing:
            problems.append(f"{agency}: numbers given twice {dup_given[:10]}, given but not in the register "
                            f"{missing[:10]}")
        summary.append(f"{agency}: {len(incoming)} incoming (1..{max(incoming, default=0)}, "
                       f"{len(given[agency])} under load), {len(outgoing)} outgoing")
    return problems, summary


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="1,2,4")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--dsn", default=DSN)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if not (BIN / "locust").exists():  # never imported here: it monkey-patches the process (gevent)
        sys.exit("Locust is missing: make bench-install")
    steps = [int(n) for n in args.steps.split(",")]
    agencies = [item.split(":")[0] for item in AGENCIES.split(",")]
    work = Path(tempfile.mkdtemp(prefix="qlvb-bench-cluster-"))
    var = work / "cluster"
    pdf = work / "van-ban.pdf"
    numbers = work / "numbers.txt"
    from dongthap.qlvb.demo.incoming import make_pdf

    pdf.write_bytes(make_pdf(["ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP", "Công văn đo tải cụm máy chủ",
                              "Về việc báo cáo kết quả chuyển đổi số năm 2026"]))
    env = dict(os.environ, QLVB_BENCH_PDF=str(pdf), QLVB_BENCH_NUMBERS=str(numbers),
               QLVB_BENCH_AGENCIES=AGENCIES)
    port = free_port_block(max(steps))
    print(f"bench_cluster: steps {steps} instance(s) × {args.threads} threads, {args.users} Locust users, "
          f"{args.seconds} s each; RelStorage on PostgreSQL, HAProxy round robin; antivirus off, no TSA; "
          f"{os.cpu_count()} CPU(s), load average {os.getloadavg()[0]:.1f} at start")
    results = {}
    # Revocation URLs of the test PKI on a port held here and never served (as bench/_server.py):
    # the benchmark never asks the demo's CRL/OCSP on 127.0.0.1:8765.
    holder = socket.socket()
    holder.bind(("127.0.0.1", 0))
    settings = {"QLVB_CLAMD_ENABLED": "0", "QLVB_TSA_URL": "",
                "QLVB_TEST_PKI_URL": f"http://127.0.0.1:{holder.getsockname()[1]}/pki"}
    try:
        for index, n in enumerate(steps):
            started = time.monotonic()
            state = cluster.start(instances=n, port=port, host="127.0.0.1", dsn=args.dsn, var=var,
                                  threads=args.threads, environment=settings, fresh=index == 0,
                                  create=index == 0)
            url = f"http://127.0.0.1:{port}/qlvb"
            ensure_files_folder(url)
            print(f"\n  ({n} instance(s) up in {time.monotonic() - started:.0f} s)")
            rows, failures = run_locust(url, users=args.users, seconds=args.seconds,
                                        csv_prefix=work / f"step{n}", env=env)
            results[n] = rows
            print_step(n, rows, failures, args.seconds, args.users)
            if index == len(steps) - 1:
                problems, summary = check_numbering(url, agencies, numbers)
            cluster.stop(var=var)
            del state
    finally:
        cluster.stop(var=var)
    base = results[steps[0]].get("Aggregated", {}).get("rps") or 0
    print("\n== throughput (all actions, requests/s)")
    for n in steps:
        agg = results[n].get("Aggregated", {})
        per = agg.get("rps", 0) / n
        speed = agg.get("rps", 0) / base if base else 0
        print(f"  {n} instance(s): {agg.get('rps', 0):6.2f} req/s ({per:5.2f} per instance), "
              f"p95 {agg.get('p95', 0):6.0f} ms, speed-up ×{speed:4.2f}")
    print("\n== register numbering after the run")
    for line in summary:
        print(f"  {line}")
    (work / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\n  (CSV and results.json in {work})")
    if not args.keep:
        import psycopg2.extensions

        params = psycopg2.extensions.parse_dsn(args.dsn)
        subprocess.run(["dropdb", "-h", params.get("host", "127.0.0.1"), "-U", params.get("user", "postgres"),
                        "--force", params["dbname"]], check=False)
    assert not problems, "register numbering broken under load:\n" + "\n".join(problems)
    print("  OK: no gap, no duplicate; every number given to a client is in its register")


if __name__ == "__main__":
    main()
