"""Fixtures of the audit tests: a file store in a temporary folder, a throw-away PostgreSQL database."""

from tests.conftest import require
from tests.incoming.relstorage_pair import _pg_available
from tests.incoming.relstorage_pair import PG

import pytest
import secrets
import subprocess


@pytest.fixture(scope="session")
def audit_pg_dsn():
    """A PostgreSQL database of its own for this test session (dropped at the end)."""
    require(_pg_available(), "PostgreSQL on 127.0.0.1:5432 with createdb, relstorage and psycopg2")
    dbname = f"qlvb_audit_test_{secrets.token_hex(4)}"
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], check=True)
    try:
        yield f"dbname={dbname} {PG}"
    finally:
        from dongthap.qlvb.audit import store

        for cached in list(store._stores.values()):
            if isinstance(cached, store.PgStore):
                cached.close()
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--force", dbname], check=False)


@pytest.fixture
def pg_store(audit_pg_dsn):
    """An empty audit table in the session's database."""
    import psycopg2

    from dongthap.qlvb.audit.store import PgStore

    with psycopg2.connect(audit_pg_dsn) as conn, conn.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS qlvb_audit, qlvb_audit_head")
    conn.close()
    pg = PgStore(audit_pg_dsn)
    yield pg
    pg.close()


@pytest.fixture
def file_store(tmp_path):
    from dongthap.qlvb.audit.store import FileStore

    return FileStore(tmp_path / "audit")


@pytest.fixture(params=["file", "postgresql"])
def any_store(request):
    return request.getfixturevalue("file_store" if request.param == "file" else "pg_store")
