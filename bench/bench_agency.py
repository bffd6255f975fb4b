#!/usr/bin/env python3
"""Agency front page and listing of 1,000 children, against a plain Plone folder with the same content.

Run: .venv/bin/python bench/bench_agency.py   (starts its own temporary instance)
Both containers hold the same 1,000 Department objects; both are measured in the
same run, alternating requests, so the plain folder is the baseline.
"""

from pathlib import Path

import sys
import time

sys.path.insert(0, str(Path(__file__).parent))
from _server import instance  # noqa: E402
from _server import summary  # noqa: E402

import requests  # noqa: E402

ROUNDS = 30


def timed(session, url, **kw):
    start = time.perf_counter()
    response = session.get(url, timeout=120, **kw)
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed, response


def main():
    with instance(Path(__file__).parent / "setup_agency.py") as url:
        s = requests.Session()
        s.auth = ("admin", "admin")
        def listing(path):
            params = {"path.query": path, "path.depth": 1, "b_size": 1000}
            return (f"{url}/@search", {"params": params, "headers": {"Accept": "application/json"}})

        cases = {
            "front page (HTML)": {
                "agency": (f"{url}/bench-agency", {}),
                "plain folder": (f"{url}/bench-folder", {}),
            },
            "list 1,000 children (REST @search)": {
                "agency": listing("/qlvb/bench-agency"),
                "plain folder": listing("/qlvb/bench-folder"),
            },
        }
        print(f"bench_agency: {ROUNDS} rounds each, one client, FileStorage, one waitress process")
        for case, targets in cases.items():
            results = {}
            for target, kw in targets.values():
                timed(s, target, **kw)  # warm up caches
            samples = {name: [] for name in targets}
            for _ in range(ROUNDS):
                for name, (target, kw) in targets.items():
                    elapsed, response = timed(s, target, **kw)
                    samples[name].append(elapsed)
                    if "json" in response.headers.get("content-type", ""):
                        assert response.json()["items_total"] == 1000
            for name, values in samples.items():
                results[name] = summary(values)
            a, b = results["agency"], results["plain folder"]
            print(f"\n{case}")
            for name, r in results.items():
                print(f"  {name:13s} p50 {r['p50']:8.1f} ms   p95 {r['p95']:8.1f} ms   "
                      f"mean {r['mean']:8.1f} ms")
            print(f"  ratio agency/plain (p50): {a['p50'] / b['p50']:.2f}")


if __name__ == "__main__":
    main()
