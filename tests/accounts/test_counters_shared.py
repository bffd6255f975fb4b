"""Login failure counters shared by every process of a site with PostgreSQL: two processes (two
connections, two counter objects) count into one table, so failures spread over processes lock the
account; without a database each process counts in memory."""

from dongthap.qlvb.accounts import throttle
from dongthap.qlvb.demo.data import DEMO_PASSWORD
from tests.conftest import require
from tests.incoming.relstorage_pair import _pg_available
from tests.incoming.relstorage_pair import PG

import pytest
import requests
import secrets
import subprocess

USER = "stttt.chuyenvien"
WRONG = "Sai-Mat-Khau@"


@pytest.fixture(scope="module")
def pg_dsn():
    require(_pg_available(), "PostgreSQL on 127.0.0.1:5432 with createdb and psycopg2")
    dbname = f"qlvb_counters_test_{secrets.token_hex(4)}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
    try:
        yield f"dbname={dbname} {PG}"
    finally:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", dbname], check=False)


@pytest.fixture
def two_processes(pg_dsn):
    first, second = throttle.PgCounters(pg_dsn), throttle.PgCounters(pg_dsn)
    first.reset_all()
    yield first, second
    throttle.use(None)
    first.reset_all()
    first.close()
    second.close()


def test_two_counter_objects_share_the_counts(two_processes):
    first, second = two_processes
    assert first.failure("a", "10.0.0.1", 100.0, 3, 900, "d1") == (1, True)
    assert second.failure("a", "10.0.0.1", 101.0, 3, 900, "d2") == (2, True)
    assert second.failure("a", "10.0.0.1", 102.0, 3, 900, "d2") == (2, False)  # the same again
    assert not first.address_blocked("10.0.0.1", 103.0)
    assert first.failure("b", "10.0.0.1", 104.0, 3, 900, "d3") == (1, True)  # 3rd of the address
    assert second.address_blocked("10.0.0.1", 105.0)
    assert not second.address_blocked("10.0.0.1", 100.0 + 900 + 105)  # the block ends
    first.lock_unknown("ghost", 106.0)
    assert second.unknown_locked("ghost")
    second.success("a")
    assert first.failure("a", "", 107.0, 3, 900, "d1") == (1, True)
    first.forget("ghost")
    assert not second.unknown_locked("ghost")


def test_failures_spread_over_two_processes_lock_the_account(url, two_processes):
    first, second = two_processes

    def basic(password):
        return requests.get(f"{url}/so-tttt", auth=(USER, password), headers={"Accept": "application/json"})

    throttle.use(first)
    for n in range(3):
        assert basic(f"{WRONG}{n}").status_code == 401
    throttle.use(second)  # another process: its memory knows nothing, the table does
    assert basic(DEMO_PASSWORD).status_code == 200  # a success resets
    for n in range(3):
        assert basic(f"{WRONG}{n}").status_code == 401
    throttle.use(first)
    assert basic(f"{WRONG}7").status_code == 401
    throttle.use(second)
    assert basic(f"{WRONG}8").status_code == 401  # the 5th in a row, counted by the other process
    assert basic(DEMO_PASSWORD).status_code == 401  # locked (the lock itself is in the ZODB)
    throttle.use(first)
    assert basic(DEMO_PASSWORD).status_code == 401


def test_without_a_database_the_counters_are_in_memory(monkeypatch):
    monkeypatch.delenv("QLVB_AUDIT_DSN", raising=False)
    monkeypatch.delenv("QLVB_RELSTORAGE_DSN", raising=False)
    throttle.use(None)
    assert throttle.counters().kind == "memory"
    monkeypatch.setenv("QLVB_AUDIT_DSN", "dbname=nowhere host=127.0.0.1 port=1")
    assert throttle.counters().kind == "postgresql"
    # an unreachable database does not open or close every account: memory for that call
    throttle.reset_all()
    counted = throttle.failure("x", "", max_failures=5, address_max=20, block_minutes=15, digest="d")
    assert counted == (1, True)
    assert throttle._memory._by_login["x"] == 1
    throttle._memory.reset_all()
