"""Small transactions of one process never conflict with each other (numbering/retry.py).

Two threads update the same persistent object through ``run_in_transaction``,
each holding the object a while inside its unit of work - the shape of two
clerks writing documents (which all touch the same catalog indexes) at once.
Without the process-wide write lock the second commit conflicts and the work
runs again; with it every unit runs exactly once.
"""

from dongthap.qlvb.numbering import retry
from persistent.mapping import PersistentMapping
from ZODB import DB
from ZODB.MappingStorage import MappingStorage

import threading
import time
import transaction


def test_threads_of_one_process_do_not_conflict():
    db = DB(MappingStorage())
    conn = db.open()
    conn.root()["shared"] = PersistentMapping(count=0)
    transaction.commit()
    conn.close()

    units, runs = 8, []
    errors = []

    def worker():
        conn = db.open()
        try:
            for _ in range(units // 2):
                def work():
                    runs.append(1)
                    shared = conn.root()["shared"]
                    value = shared["count"]
                    time.sleep(0.02)  # the window in which another thread's commit conflicts
                    shared["count"] = value + 1

                retry.run_in_transaction(work, note="test")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            transaction.abort()
            conn.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    conn = db.open()
    assert conn.root()["shared"]["count"] == units  # nothing lost
    assert len(runs) == units  # and no unit had to run again after a conflict
    conn.close()
    db.close()


def test_in_batch_no_savepoint_and_a_failed_unit_dooms_the_batch():
    """The data generator's mode: units join the batch without a savepoint; a failure dooms it."""
    import pytest

    db = DB(MappingStorage())
    conn = db.open()
    try:
        transaction.begin()
        root = conn.root()
        root["made"] = PersistentMapping(count=0)
        savepoints = []
        original = transaction.savepoint
        transaction.savepoint = lambda *a, **k: savepoints.append(1) or original(*a, **k)
        try:
            with retry.in_batch():
                assert not retry.COMMIT and not retry.SAVEPOINTS
                retry.run_in_transaction(lambda: root["made"].update(count=1))
                assert savepoints == [] and not transaction.get().isDoomed()

                def half_done():
                    root["made"]["count"] = 2
                    raise ValueError("refused")

                assert savepoints == [] and not transaction.get().isDoomed()
                retry.unit_savepoint().rollback()  # a workflow transition's failed steps
                assert savepoints == [] and transaction.get().isDoomed()
                transaction.abort()
                transaction.begin()
                root["made"] = PersistentMapping(count=0)
                with pytest.raises(ValueError):
                    retry.run_in_transaction(half_done)
                assert transaction.get().isDoomed()  # the batch can no longer be committed
        finally:
            transaction.savepoint = original
        assert retry.COMMIT and retry.SAVEPOINTS  # restored
        with pytest.raises(transaction.interfaces.DoomedTransaction):
            transaction.commit()
        transaction.abort()
        assert "made" not in conn.root()  # nothing of the batch was written
        with retry.savepoints_only():  # the integration tests' mode still rolls a failed unit back
            assert retry.SAVEPOINTS
            assert not isinstance(retry.unit_savepoint(), retry._Doom)
    finally:
        transaction.abort()
        conn.close()
        db.close()
