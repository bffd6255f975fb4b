"""Benchmark: the desk and the incoming work lists of a leader and a clerk, paged (today) against
the whole unpaged list (``b_size=500``: the rows the old pages rendered, cut at LIST_LIMIT).

Run: ``.venv/bin/python bench/bench_desk.py [--count 10000] [--requests 20]``

Starts its own Zope (FileStorage, demo data, scanning off), stores ``--count`` incoming documents in
Sở TT&TT (bench/setup_desk.py), then times each page ``--requests`` times (one client) and prints
p50/p95 in ms and the size of the HTML.
"""

from pathlib import Path

import argparse
import os
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _server  # noqa: E402
import requests  # noqa: E402

PW = "Demo@2026"


def measure(session, url, n):
    times, size = [], 0
    session.get(url)  # warm up
    for _ in range(n):
        start = time.perf_counter()
        r = session.get(url)
        times.append(time.perf_counter() - start)
        r.raise_for_status()
        size = len(r.content)
    return _server.summary(times), size


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args(argv)
    env = {"QLVB_CLAMD_ENABLED": "0", "QLVB_DESK_COUNT": str(args.count), "QLVB_ROOT": str(_server.ROOT)}
    os.environ.update(env)
    with _server.instance(Path(__file__).with_name("setup_desk.py"), demo=True, env=env) as url:
        agency = f"{url}/so-tttt"
        pages = [
            # baseline of the same run: a Plone page of the agency without any work list
            ("stttt.lanhdao", "baseline: agency page (no list)", f"{agency}/@@co-quan"),
            ("stttt.lanhdao", "desk (leader)", f"{url}/"),
            ("stttt.lanhdao", "van-ban-den, paged (leader)", f"{agency}/@@van-ban-den"),
            ("stttt.lanhdao", "chờ phân công, a middle page",
             f"{agency}/@@van-ban-den?list=waiting_assignment&b_start={args.count // 3}"),
            ("stttt.lanhdao", "chờ phân công by deadline",
             f"{agency}/@@van-ban-den?list=waiting_assignment&sort_on=due_date"),
            ("stttt.lanhdao", "van-ban-den, 500 rows per list (old)", f"{agency}/@@van-ban-den?b_size=500"),
            ("stttt.vanthu", "desk (clerk)", f"{url}/"),
            ("stttt.vanthu", "van-ban-den, paged (clerk)", f"{agency}/@@van-ban-den"),
            ("stttt.vanthu", "van-ban-den, 500 rows per list (old)", f"{agency}/@@van-ban-den?b_size=500"),
            ("stttt.lanhdao", "REST @incoming (100 rows)", f"{agency}/@incoming"),
            ("stttt.lanhdao", "van-ban-di, paged (leader)", f"{agency}/@@van-ban-di"),
        ]
        print(f"{args.count} incoming documents in the agency; {args.requests} requests per page")
        print(f"{'page':<42} {'p50 ms':>8} {'p95 ms':>8} {'KB':>8}")
        for user, name, address in pages:
            session = requests.Session()
            session.auth = (user, PW)
            if "/@" in address and "/@@" not in address:  # a REST service
                session.headers["Accept"] = "application/json"
            stats, size = measure(session, address, args.requests)
            print(f"{name:<42} {stats['p50']:>8.0f} {stats['p95']:>8.0f} {size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
