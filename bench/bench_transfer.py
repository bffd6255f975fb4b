"""Full export and import (dongthap.qlvb.transfer) against plain collective.exportimport.

Not a test: ``python bench/bench_transfer.py [--documents N[,N2,…]] [--var DIR] [--tracemalloc]``
(default 2,000; the issue aims at 10,000: ``--documents 1000,5000,10000`` grows one site through
the three sizes and shows whether the peak memory of each step grows with it).

In one run, on one temporary instance (FileStorage, demo data, scanning off):

* **plain** — the baseline: collective.exportimport's own export of N plain ``File`` objects
  (the same one-page PDF, blobs base64 in the JSON, one file per item; in a site of their own)
  and its import into a new site;
* **qlvb** — the add-on's full export of the site (the N incoming documents with their trail,
  checksums and signature reports, plus the demo's agencies, staff, dossiers…; local roles,
  relations, ordering, portlets and the audit trail streamed) and its import into another new
  site (state restored, workflow history exact, local roles replaced, the audit trail written
  into an empty store of its own).

With ``--chunk N``, the qlvb export is also imported, into a third new site, by the import
in chunks (``scripts/transfer.py import-all --chunk N``: each chunk of N objects in a fresh
process): printed, the peak RSS of every chunk's process (the first against the last: equal
within noise means the memory is bounded whatever the number of documents) and the total
time against the one-go import of the same run (same ``--batch``). ``--no-plain`` skips the
plain collective.exportimport baseline.

Each step runs in its own process (``zconsole run bench/transfer_site.py``); printed: seconds,
objects/s, MB/s of JSON written, peak RSS of the process (and of a process doing nothing, the
baseline of memory), ratios qlvb / plain; then, for both round trips, the number of objects of
each type and in each review state in the source and in the imported site (from their catalogs).
"""

from pathlib import Path

import argparse
import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def main():  # noqa: C901 - one report
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", default="2000",
                        help="one size, or sizes in increasing order (1000,5000,10000): the site grows "
                             "between them and every step is measured again at each size")
    parser.add_argument("--var", help="keep the instance in this folder (and reuse it when it exists)")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also the peak of Python's allocations (slower)")
    parser.add_argument("--chunk", type=int,
                        help="also the import in chunks of this many objects (import-all)")
    parser.add_argument("--batch", type=int, default=1000, help="objects per transaction of the imports")
    parser.add_argument("--no-plain", action="store_true",
                        help="skip the plain collective.exportimport steps")
    args = parser.parse_args()
    sizes = [int(n) for n in str(args.documents).split(",")]
    with contextlib.ExitStack() as stack:
        var = Path(args.var) if args.var else Path(stack.enter_context(
            tempfile.TemporaryDirectory(prefix="qlvb-bench-transfer-")))
        env = dict(os.environ, QLVB_SITE_ID="qlvb", QLVB_DEMO="1", QLVB_CLAMD_ENABLED="0",
                   QLVB_KEYS_DIR=str(var / "keys"), QLVB_AUDIT_DIR=str(var / "audit"), PYTHONPATH=str(ROOT),
                   QLVB_BENCH_TRACEMALLOC="1" if args.tracemalloc else "0")
        conf = var / "a" / "etc" / "zope.conf"
        if not conf.exists():
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
            subprocess.run([BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a", "--var", var,
                            "--port", str(port), "--env", "QLVB_CLAMD_ENABLED=0"], check=True, env=env,
                           capture_output=True)
            subprocess.run([BIN / "zconsole", "run", conf, ROOT / "scripts" / "create_site.py"], env=env,
                           cwd=ROOT, check=True, capture_output=True)

        def step(*a, extra=None):
            done = subprocess.run([BIN / "zconsole", "run", conf, *map(str, a)],
                                  env=dict(env, **(extra or {})), cwd=ROOT, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(done.stderr[-4000:])
            return json.loads(done.stdout.strip().splitlines()[-1])

        helper = ROOT / "bench" / "transfer_site.py"
        done_file = var / "bench-size"
        have = int(done_file.read_text()) if done_file.exists() else 0
        noop = step(helper, "noop")
        print(f"process baseline (Zope started, nothing done): peak RSS {noop['rss_mb']} MB", flush=True)
        memory = []
        for size in sizes:
            if size > have:
                setup = step(helper, "setup", have, size)
                print(f"\nset-up: {size - have} more incoming documents + as many Files "
                      f"({size} each) in {setup['seconds']} s", flush=True)
                have = size
                done_file.write_text(str(size))
            rows = {}
            print(f"\n{size} documents (qlvb: {size} incoming documents + the demo; plain: {size} Files)")
            print(f"{'step':14} {'objects':>8} {'s':>8} {'objects/s':>10} {'MB':>8} {'MB/s':>7} "
                  f"{'peak RSS MB':>12} {'py peak MB':>11} {'load':>5}", flush=True)
            steps = (("plain export", ("plain-export", var / f"plain-{size}")),
                     ("qlvb export", ("qlvb-export", var / f"qlvb-{size}")),
                     ("qlvb import", ("qlvb-import", var / f"qlvb-{size}", f"qlvb{size}", args.batch)),
                     ("plain import", ("plain-import", var / f"plain-{size}", f"plain{size}")))
            for name, extra in steps:
                if args.no_plain and name.startswith("plain"):
                    continue
                if name.endswith("export") and extra[1].exists():
                    shutil.rmtree(extra[1])
                # the import goes to a new deployment's audit store: the trail is written, not skipped
                r = rows[name] = step(helper, *extra, extra={"QLVB_AUDIT_DIR": str(var / f"audit-{size}")}
                                      if name == "qlvb import" else None)
                size_b = r["bytes"] or rows[name.replace("import", "export")]["bytes"]
                rate = r["items"] / max(r["seconds"], 0.01)
                mbs = size_b / 1e6 / max(r["seconds"], 0.01)
                peak = r.get("py_peak_mb") if r.get("py_peak_mb") is not None else "-"
                # load: the machine's 1-minute load average when the step ended
                print(f"{name:14} {r['items']:>8} {r['seconds']:>8} {rate:>10.1f} "
                      f"{size_b / 1e6:>8.1f} {mbs:>7.2f} {r['rss_mb']:>12} {peak:>11} "
                      f"{os.getloadavg()[0]:>5.1f}", flush=True)
            for kind in ("export", "import") if not args.no_plain else ():
                a, b = rows[f"qlvb {kind}"], rows[f"plain {kind}"]
                ratio = (a["items"] / a["seconds"]) / (b["items"] / b["seconds"])
                print(f"{kind}: qlvb objects/s = {ratio:.2f} × plain")
            trips = [("qlvb", "qlvb", f"qlvb{size}", None)]
            if not args.no_plain:
                trips.append(("plain", "plainsrc", f"plain{size}", "plain"))
            if args.chunk:
                chunked(var, conf, env, size, args, rows["qlvb import"])
                trips.append(("qlvb in chunks", "qlvb", f"qlvbchunks{size}", None))
            # the round trip is complete: as many objects of each type and in each review state
            for label, a, b, folder in trips:
                same = step(helper, "compare", a, b, *([folder] if folder else []))
                diff = same["differences"]
                verdict = ("DIFFERENT: " + ", ".join(diff)) if diff else "same counts"
                where = f" (/{folder})" if folder else ""
                print(f"\nround trip, {label}: {a} → {b}{where}: {verdict}")
                for key, (x, y) in same["counts"].items():
                    print(f"  {key:40} {x:>8} {y:>8}" + ("" if x == y else "  ≠"))
            memory.append((size, rows))
            sys.stdout.flush()
        if len(memory) > 1:
            print("\npeak RSS (MB) by size — flat means bounded memory:")
            for name in memory[0][1]:
                print(f"{name:14} " + "  ".join(f"{size}: {rows[name]['rss_mb']}" for size, rows in memory))


def chunked(var, conf, env, size, args, one_go):
    """The qlvb export imported by ``transfer.py import-all --chunk`` into a new site; prints each
    chunk's peak RSS and the total time against the one-go import ``one_go``."""
    import re
    import time

    site = f"qlvbchunks{size}"
    started = time.monotonic()
    done = subprocess.run([BIN / "python", ROOT / "scripts" / "transfer.py", "import-all",
                           var / f"qlvb-{size}", "--conf", conf, "--site", site, "--chunk", str(args.chunk),
                           "--batch", str(args.batch)],
                          env=dict(env, QLVB_AUDIT_DIR=str(var / f"audit-chunks-{size}")), cwd=ROOT,
                          capture_output=True, text=True)
    seconds = time.monotonic() - started
    if done.returncode:
        raise SystemExit(done.stdout[-4000:] + done.stderr[-4000:])
    chunks = re.findall(r"^chunk (\d+): \+(\d+) objects in ([\d.]+) s .*?(\d+)/(\d+) done "
                        r".*?peak RSS ([\d.]+) MB", done.stdout, re.M)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\nimport in chunks of {args.chunk} objects (import-all, a fresh process each, "
          f"--batch {args.batch}):")
    print(f"{'chunk':>5} {'objects':>8} {'s':>8} {'objects/s':>10} {'done':>12} {'peak RSS MB':>12}")
    for number, objects, secs, done_n, total, peak in chunks:
        rate = int(objects) / max(float(secs), 0.01)
        print(f"{number:>5} {objects:>8} {secs:>8} {rate:>10.1f} {done_n + '/' + total:>12} {peak:>12}")
    peaks = [float(c[-1]) for c in chunks]
    print(f"{len(chunks)} chunks, {result['done']} objects ({result['items']} content items) "
          f"in {seconds:.1f} s "
          f"(one-go import: {one_go['seconds']} s, {one_go['items']} content items) = "
          f"{seconds / max(one_go['seconds'], 0.01):.2f} × one-go time; load {os.getloadavg()[0]:.1f}")
    print(f"peak RSS per chunk: first {peaks[0]} MB, last {peaks[-1]} MB, max {max(peaks)} MB "
          f"(one-go import: {one_go['rss_mb']} MB)", flush=True)


if __name__ == "__main__":
    main()
