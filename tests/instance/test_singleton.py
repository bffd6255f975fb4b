"""Background rounds run once across the processes of a cluster (PostgreSQL advisory lock).

``make start-cluster`` runs several Zope instances on one RelStorage database; a worker
round (exchange, reminders, exports, full-text) reaching two of them at once, or two
workers started at once, must not run one job twice (dongthap.qlvb.utils.singleton).
"""

from dongthap.qlvb.utils import singleton
from tests.conftest import require
from tests.incoming.relstorage_pair import _pg_available

import json
import pytest
import subprocess
import sys
import threading
import time

DSN = "dbname=postgres host=127.0.0.1 port=5432 user=postgres password=postgres"

# One "worker" process: waits for the common start time, then tries the job; the job lasts
# long enough for the other process to try it meanwhile.
WORKER = """
import json, sys, time
from dongthap.qlvb.utils.singleton import exclusive
start, dsn, job = float(sys.argv[1]), sys.argv[2], sys.argv[3]
time.sleep(max(0.0, start - time.time()))
with exclusive(job, dsn=dsn) as mine:
    if mine:
        time.sleep(1.5)
print(json.dumps({"ran": bool(mine)}))
"""


@pytest.fixture
def pg():
    require(_pg_available(), "PostgreSQL on 127.0.0.1:5432 with psycopg2")
    return DSN


class Holder:
    """Another process's database session holding the advisory lock of ``job``."""

    def __init__(self, dsn, job):
        import psycopg2

        self.conn = psycopg2.connect(dsn)
        self.conn.autocommit = True
        with self.conn.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_lock(%s)", (singleton.lock_key(job),))
            assert cur.fetchone()[0]

    def release(self):
        self.conn.close()


def test_two_workers_started_at_once_run_the_job_once(pg):
    job = f"test-job-{time.time_ns()}"
    start = f"{time.time() + 1.5:.3f}"
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, start, pg, job], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for _ in range(2)]
    answers = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        answers.append(json.loads(out.strip().splitlines()[-1])["ran"])
    assert sorted(answers) == [False, True]
    # the lock went with the process: the next round runs again
    with singleton.exclusive(job, dsn=pg) as mine:
        assert mine


def test_the_lock_is_released_after_the_round_and_when_the_body_fails(pg):
    job = f"test-job-{time.time_ns()}"
    with pytest.raises(RuntimeError), singleton.exclusive(job, dsn=pg) as mine:
        assert mine
        raise RuntimeError("the round failed")
    with singleton.exclusive(job, dsn=pg) as mine:
        assert mine


def test_without_postgresql_threads_of_one_process_still_exclude_each_other():
    job = f"test-job-{time.time_ns()}"
    inside, leave, seen = threading.Event(), threading.Event(), []

    def first():
        with singleton.exclusive(job, dsn="") as mine:
            seen.append(mine)
            inside.set()
            leave.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    assert inside.wait(10)
    with singleton.exclusive(job, dsn="") as mine:
        seen.append(mine)
    leave.set()
    thread.join()
    assert seen == [True, False]


def test_unreachable_database_skips_the_round_never_runs_it_unguarded():
    down = "host=127.0.0.1 port=1 dbname=x user=x connect_timeout=2"
    with singleton.exclusive("test-job-down", dsn=down) as mine:
        assert mine is False


def test_worker_and_fulltext_rounds_are_busy_while_another_process_runs_them(site, pg, monkeypatch):
    """The rounds of the site's workers (as the tick views call them) answer busy while another
    process of the cluster holds them, and run again once it let go."""
    import transaction
    from dongthap.qlvb.exchange import worker
    from dongthap.qlvb.search import fulltext
    from plone import api

    monkeypatch.setenv("QLVB_RELSTORAGE_DSN", pg)
    monkeypatch.setattr(transaction, "commit", lambda: transaction.savepoint(optimistic=True))
    holders = [Holder(pg, "worker-round"), Holder(pg, "fulltext-round")]
    try:
        assert worker.run_once(api.portal.get()) == {"busy": True}
        assert fulltext.process_pending(5) == {"busy": True}
    finally:
        for holder in holders:
            holder.release()
    result = worker.run_once(api.portal.get())
    assert "busy" not in result and result["configured"] is False
    assert "busy" not in fulltext.process_pending(5)
