"""Full export and import (dongthap.qlvb.transfer) against plain collective.exportimport.

Not a test: ``python bench/bench_transfer.py [--documents N]`` (default 2,000; the issue aims at
10,000, which takes long on the shared 2-core machine: ``--documents 10000``).

In one run, on one temporary instance (FileStorage, demo data, scanning off):

* **plain** — the baseline: collective.exportimport's own export of N plain ``File`` objects
  (the same one-page PDF, blobs base64 in the JSON, one file per item) and its import into a
  new site;
* **qlvb** — the add-on's full export of the site (the N incoming documents with their trail,
  checksums and signature reports, plus the demo's agencies, staff, dossiers…) and its import
  into another new site (state restored, workflow history exact, local roles replaced).

Each step runs in its own process (``zconsole run bench/transfer_site.py``); printed: seconds,
objects/s, MB/s of JSON written, peak RSS of the process (and of a process doing nothing, the
baseline of memory), ratios qlvb / plain.
"""

from pathlib import Path

import argparse
import json
import os
import socket
import subprocess
import tempfile

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="qlvb-bench-transfer-") as tmp:
        var = Path(tmp)
        env = dict(os.environ, QLVB_SITE_ID="qlvb", QLVB_DEMO="1", QLVB_CLAMD_ENABLED="0",
                   QLVB_KEYS_DIR=str(var / "keys"), QLVB_AUDIT_DIR=str(var / "audit"), PYTHONPATH=str(ROOT))
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        subprocess.run([BIN / "python", ROOT / "scripts" / "instance.py", "--name", "a", "--var", var,
                        "--port", str(port), "--env", "QLVB_CLAMD_ENABLED=0"], check=True, env=env,
                       capture_output=True)
        conf = var / "a" / "etc" / "zope.conf"

        def step(*a):
            done = subprocess.run([BIN / "zconsole", "run", conf, *map(str, a)], env=env, cwd=ROOT,
                                  capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(done.stderr[-4000:])
            return json.loads(done.stdout.strip().splitlines()[-1])

        subprocess.run([BIN / "zconsole", "run", conf, ROOT / "scripts" / "create_site.py"], env=env,
                       cwd=ROOT, check=True, capture_output=True)
        helper = ROOT / "bench" / "transfer_site.py"
        setup = step(helper, "setup", args.documents)
        print(f"set-up: {args.documents} incoming documents + {args.documents} Files in {setup['seconds']} s")
        noop = step(helper, "noop")
        rows = {}
        rows["plain export"] = step(helper, "plain-export", var / "plain")
        rows["qlvb export"] = step(helper, "qlvb-export", var / "qlvb")
        rows["plain import"] = step(helper, "plain-import", var / "plain", "plainsite")
        rows["qlvb import"] = step(helper, "qlvb-import", var / "qlvb", "qlvbsite")
        print(f"\nprocess baseline (Zope started, nothing done): peak RSS {noop['rss_mb']} MB")
        print(f"{'step':14} {'objects':>8} {'s':>8} {'objects/s':>10} {'MB':>8} {'MB/s':>7} "
              f"{'peak RSS MB':>12}")
        for name, r in rows.items():
            size = r["bytes"] or rows[name.replace("import", "export")]["bytes"]
            rate = r["items"] / max(r["seconds"], 0.01)
            print(f"{name:14} {r['items']:>8} {r['seconds']:>8} {rate:>10.1f} "
                  f"{size / 1e6:>8.1f} {size / 1e6 / max(r['seconds'], 0.01):>7.2f} {r['rss_mb']:>12}")
        for kind in ("export", "import"):
            a, b = rows[f"qlvb {kind}"], rows[f"plain {kind}"]
            ratio = (a["items"] / a["seconds"]) / (b["items"] / b["seconds"])
            print(f"{kind}: qlvb objects/s = {ratio:.2f} × plain")


if __name__ == "__main__":
    main()
