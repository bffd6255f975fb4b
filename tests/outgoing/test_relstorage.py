"""Outgoing numbers across two Zope processes sharing one RelStorage (PostgreSQL) database.

Reuses the two processes of the incoming race (``two_instances``, session-scoped in
``tests/incoming/relstorage_pair.py``), whose test-only numbering view is switched on
(``QLVB_TEST_VIEWS=1``): 8 clients split over both processes take 250 numbers each from
Sở Tài chính's outgoing register; the numbers must be exactly 1..n (8 × 100 = 800 by
default, ``QLVB_NUMBERS_PER_CLIENT``).
"""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.outgoing.test_rest import NUMBERS_PER_CLIENT

pytestmark = pytest.mark.stress  # two processes / thousands of requests: run with --stress


def test_two_processes_take_outgoing_numbers_without_gap_or_duplicate(two_instances):
    def client(index):
        s = requests.Session()
        s.auth = ("admin", "admin")
        target = f"{two_instances[index % 2]}/so-tai-chinh/@@qlvb-test-outgoing-number"
        numbers = []
        for _i in range(NUMBERS_PER_CLIENT):
            r = s.post(target, data={"document_type": "quyet_dinh"}, timeout=120)
            assert r.status_code == 200, r.text[:300]
            numbers.append(int(r.json()["number"]))
        return numbers

    with ThreadPoolExecutor(8) as pool:
        taken = [n for numbers in pool.map(client, range(8)) for n in numbers]
    assert sorted(taken) == list(range(1, 8 * NUMBERS_PER_CLIENT + 1))
