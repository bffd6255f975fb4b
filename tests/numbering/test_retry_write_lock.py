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
