"""Benchmark: the desk and the work lists (incoming, outgoing, REST) of a leader, a clerk and a
specialist, paged, against the plain agency page (``@@co-quan``) measured in the same run, and the
whole unpaged list (``b_size=500``: the rows the old pages rendered, cut at LIST_LIMIT).

Run: ``.venv/bin/python bench/bench_desk.py [--count 10000] [--requests 20]``

Starts its own Zope (FileStorage, demo data, scanning off), stores ``--count`` incoming documents in
Sở TT&TT (bench/setup_desk.py), then times each page ``--requests`` times (one client) and prints
p50/p95 in ms and the size of the HTML. ``--keep DIR`` keeps the instance (built on the first run);
``--code DIR`` serves another checkout's ``src/`` on it (before/after on the same data); ``--add N``
grows a kept set by N documents (numbered on from the documents already there);
``--py-spy DIR`` samples the server per page (read with bench/spy_summary.py). See docs/desk.md.
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
    parser.add_argument("--keep", help="a directory that keeps the instance and its documents between "
                        "runs (built on the first run; later runs measure the code of this checkout "
                        "against the same data after running the pending upgrade steps)")
    parser.add_argument("--add", type=int, default=0, help="grow the kept data set (--keep) by this many "
                        "documents before measuring (the count so far is kept in DIR/desk-count; "
                        "without it, --count is taken as the count so far)")
    parser.add_argument("--build-only", action="store_true", help="build the data set (--keep) and stop")
    parser.add_argument("--only", help="measure only the pages whose name holds this text")
    parser.add_argument("--py-spy", dest="py_spy", help="a directory: the server is sampled by py-spy "
                        "(pip install py-spy) while each page is measured; collapsed stacks per page "
                        "land there (read them with bench/spy_summary.py)")
    parser.add_argument("--code", help="serve the code of another checkout (a directory with src/, e.g. "
                        "`git archive main src | tar -x -C DIR`): its src/ goes first on PYTHONPATH, so "
                        "the same data (--keep) is measured before and after a change in one session")
    args = parser.parse_args(argv)
    env = {"QLVB_CLAMD_ENABLED": "0", "QLVB_DESK_COUNT": str(args.count), "QLVB_ROOT": str(_server.ROOT)}
    if args.code:
        env["PYTHONPATH"] = str(Path(args.code).resolve() / "src")
    os.environ.update(env)
    setup = Path(__file__).with_name("setup_desk.py")
    counted = Path(args.keep) / "desk-count" if args.keep else None
    built = counted is not None and (Path(args.keep) / "bench-ready").exists()
    total = int(counted.read_text()) if built and counted.exists() else args.count
    grow = None
    if args.add:
        if not built:
            parser.error("--add grows a data set kept by an earlier run (--keep DIR)")
        grow = {"QLVB_DESK_OFFSET": str(total), "QLVB_DESK_COUNT": str(args.add)}
    with _server.instance(setup, demo=True, env=env, keep=args.keep, grow_env=grow) as url:
        total += args.add
        if counted is not None:
            counted.write_text(f"{total}\n")
        if args.build_only:
            return
        agency = f"{url}/so-tttt"
        pages = [
            # baseline of the same run: a Plone page of the agency without any work list
            ("stttt.lanhdao", "baseline: agency page (no list)", f"{agency}/@@co-quan"),
            ("stttt.lanhdao", "desk (leader)", f"{url}/"),
            ("stttt.vanthu", "desk (clerk)", f"{url}/"),
            ("stttt.chuyenvien", "desk (specialist)", f"{url}/"),
            ("stttt.lanhdao", "chờ phân công (leader)", f"{agency}/@@van-ban-den?list=waiting_assignment"),
            ("stttt.vanthu", "chờ vào sổ (clerk)", f"{agency}/@@van-ban-den?list=waiting_registration"),
            ("stttt.chuyenvien", "việc của tôi (specialist)", f"{agency}/@@van-ban-den?list=my_work"),
            ("stttt.lanhdao", "sắp đến hạn (leader)", f"{agency}/@@van-ban-den?list=due_soon"),
            ("stttt.lanhdao", "quá hạn (leader)", f"{agency}/@@van-ban-den?list=overdue"),
            ("stttt.chuyenvien", "sắp đến hạn (specialist)", f"{agency}/@@van-ban-den?list=due_soon"),
            ("stttt.lanhdao", "van-ban-den, paged (leader)", f"{agency}/@@van-ban-den"),
            ("stttt.lanhdao", "chờ phân công, a middle page",
             f"{agency}/@@van-ban-den?list=waiting_assignment&b_start={total // 3}"),
            ("stttt.lanhdao", "chờ phân công by deadline",
             f"{agency}/@@van-ban-den?list=waiting_assignment&sort_on=due_date"),
            ("stttt.lanhdao", "van-ban-den, 500 rows per list (old)", f"{agency}/@@van-ban-den?b_size=500"),
            ("stttt.vanthu", "van-ban-den, paged (clerk)", f"{agency}/@@van-ban-den"),
            ("stttt.vanthu", "van-ban-den, 500 rows per list (old)", f"{agency}/@@van-ban-den?b_size=500"),
            ("stttt.lanhdao", "REST @incoming (100 rows)", f"{agency}/@incoming"),
            ("stttt.lanhdao", "REST @outgoing (100 rows)", f"{agency}/@outgoing"),
            ("stttt.lanhdao", "van-ban-di, paged (leader)", f"{agency}/@@van-ban-di"),
            ("stttt.vanthu", "van-ban-di, paged (clerk)", f"{agency}/@@van-ban-di"),
        ]
        print(f"{total} incoming documents in the agency; {args.requests} requests per page; "
              f"code: {args.code or _server.ROOT}")
        print(f"{'page':<42} {'p50 ms':>8} {'p95 ms':>8} {'KB':>8}")
        for user, name, address in pages:
            if args.only and args.only not in name and not name.startswith("baseline"):
                continue
            session = requests.Session()
            session.auth = (user, PW)
            if "/@" in address and "/@@" not in address:  # a REST service
                session.headers["Accept"] = "application/json"
            spy = None
            if args.py_spy:
                import re
                import signal
                import subprocess

                Path(args.py_spy).mkdir(parents=True, exist_ok=True)
                out = Path(args.py_spy) / (re.sub(r"\W+", "-", name).strip("-") + ".txt")
                spy = subprocess.Popen([str(_server.BIN / "py-spy"), "record", "--pid",
                                        str(_server.SERVER_PID), "--format", "raw", "--rate", "250",
                                        "-o", str(out)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1)
            stats, size = measure(session, address, args.requests)
            if spy is not None:
                spy.send_signal(signal.SIGINT)
                spy.wait(timeout=60)
            print(f"{name:<42} {stats['p50']:>8.0f} {stats['p95']:>8.0f} {size / 1024:>8.0f}")


if __name__ == "__main__":
    main()
