"""Generate a large realistic data set in a site (issue #21): agencies, staff, documents.

    QLVB_CLAMD_ENABLED=0 .venv/bin/zconsole run var/instance/etc/zope.conf \
        scripts/generate_data.py --documents 100000 --agencies 1000 [--batch 50] [--minutes M]

Works on whatever storage the instance's zope.conf names (FileStorage, or RelStorage
with ``QLVB_RELSTORAGE_DSN``). Resumable: the progress is committed with every batch,
so running the same command again continues where it stopped (Ctrl-C loses at most
one batch); ``--minutes`` stops on its own after that long. Prints progress and
documents/s. What is made and what is reused for speed: ``dongthap.qlvb.demo.generator``
and docs/capacity.md ("Dữ liệu lớn / Large data").

Parallel mode, RelStorage only (FileStorage has one process):

* ``--processes N``: this process makes the agencies, then starts N ``zconsole`` workers on
  the same zope.conf, waits for them and prints each worker's and the total documents/s;
* ``--workers N --worker K``: one worker (start the N of them yourself, e.g. on several
  machines); worker 0 makes the agencies, the others wait for them.

Each worker makes the documents of its own agencies (``generator.agency_owners``) and keeps
its own progress record; running the same command again continues each worker.
"""

from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.utils.deployment import SETTINGS
from Testing.makerequest import makerequest
from zope.component.hooks import setSite

import argparse
import os
import subprocess
import sys
import time
import transaction

parser = argparse.ArgumentParser(prog="generate_data.py")
parser.add_argument("--documents", type=int, default=1000)
parser.add_argument("--agencies", type=int, default=20)
parser.add_argument("--batch", type=int, default=None,
                    help="documents per transaction (50; 20 per worker in parallel mode)")
parser.add_argument("--seed", type=int, default=2026)
parser.add_argument("--minutes", type=float, default=None, help="stop after that long (resume later)")
parser.add_argument("--processes", type=int, default=None,
                    help="parallel mode (RelStorage): start that many worker processes")
parser.add_argument("--workers", type=int, default=None, help="parallel mode: number of workers")
parser.add_argument("--worker", type=int, default=None, help="parallel mode: this worker (0…workers-1)")
parser.add_argument("--profile", default=None,
                    help="write a cProfile of this process's run to that file (python -m pstats FILE)")
# zconsole's argv ends with: … <zope.conf> <script> args…
script_at = max(i for i, a in enumerate(sys.argv) if a.endswith("generate_data.py"))
args = parser.parse_args(sys.argv[script_at + 1:])
if (args.workers is None) != (args.worker is None) or (
        args.workers is not None and not 0 <= args.worker < args.workers):
    parser.error("--workers N and --worker K (0 ≤ K < N) go together")
if args.processes is not None and (args.workers is not None or args.processes < 1):
    parser.error("--processes N (N ≥ 1) starts the workers itself: without --workers/--worker")
parallel = args.processes or args.workers
batch = args.batch or (20 if parallel else 50)

if os.environ.get("QLVB_CLAMD_ENABLED", "0") != "0":
    print("note: antivirus scanning is on (QLVB_CLAMD_ENABLED): every file is scanned")
os.environ.setdefault("QLVB_CLAMD_ENABLED", "0")

app = makerequest(app)  # noqa: F821 - ``app`` is given by zconsole
site = app[SETTINGS.value("QLVB_SITE_ID")]
admin = app.acl_users.getUserById(SETTINGS.value("QLVB_ADMIN_USER"))
newSecurityManager(None, admin.__of__(app.acl_users))
setSite(site)

from dongthap.qlvb.demo import generator  # noqa: E402

try:  # the launcher and its workers: N + 1 processes
    generator.refuse_single_process_storage(app._p_jar.db().storage,
                                            args.processes + 1 if args.processes else args.workers or 1)
except generator.PlanMismatch as problem:
    sys.exit(str(problem))


def log(line):
    print(line, flush=True)


def show(state):
    return ", ".join(f"{k}={v}" for k, v in sorted(state.items())
                     if k not in ("agency_paths", "elapsed_before") and not isinstance(v, dict))


profiler = None
if args.profile:
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
started = time.monotonic()
common = {"documents": args.documents, "agencies": args.agencies, "batch": batch, "seed": args.seed,
          "log": log, "stop_after": args.minutes * 60 if args.minutes else None}
try:
    if args.workers is not None:
        state = generator.generate_share(site, workers=args.workers, worker=args.worker, **common)
    elif args.processes is not None:
        par = generator.prepare_parallel(site, agencies=args.agencies, workers=args.processes,
                                         seed=args.seed, log=log, stop_after=common["stop_after"])
        if par is None:
            sys.exit("stopped while making agencies (--minutes); run the same command again")
        before = [(r["steps"], r["elapsed"]) for r in par["records"]]
        count = par["agencies"]
        transaction.commit()
        left = None if args.minutes is None else max(args.minutes - (time.monotonic() - started) / 60, 0.1)
        spawned = time.monotonic()
        procs = [subprocess.Popen([sys.argv[0], "run", sys.argv[script_at - 1], sys.argv[script_at],
                                   "--documents", str(args.documents), "--agencies", str(count),
                                   "--batch", str(batch), "--seed", str(args.seed),
                                   "--workers", str(args.processes), "--worker", str(k)]
                                  + (["--minutes", f"{left:.3f}"] if left is not None else []))
                 for k in range(args.processes)]
        codes = [proc.wait() for proc in procs]
        wall = time.monotonic() - spawned
        transaction.abort()  # see what the workers committed
        state = generator.summary(generator.progress(site))
        par = generator.progress(site)["parallel"]
        total = 0
        for k, (record, (steps, elapsed)) in enumerate(zip(par["records"], before, strict=True)):
            made, seconds = record["steps"] - steps, record["elapsed"] - elapsed
            total += made
            log(f"worker {k}: {made} steps in {seconds:.0f} s of generating "
                f"({made / max(seconds, 1e-9):.2f} docs/s), {record['conflicts']} conflicts so far, "
                f"exit code {codes[k]}")
        log(f"all {args.processes} workers: {total} steps in {wall:.0f} s wall, process starts included "
            f"({total / max(wall, 1e-9):.2f} docs/s)")
        if any(codes):
            sys.exit(f"a worker failed (exit codes {codes})")
    else:
        state = generator.generate(site, **common)
except generator.PlanMismatch as problem:
    sys.exit(str(problem))
finally:
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(args.profile)
log(f"done in {time.monotonic() - started:.0f} s: " + show(state))
