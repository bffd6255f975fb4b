"""Outgoing numbers across two Zope processes sharing one RelStorage (PostgreSQL) database.

Reuses the two-process fixture of the incoming tests, with the test-only numbering view
switched on (``QLVB_TEST_VIEWS=1``): 8 clients split over both processes take 250 numbers
each from Sở Tài chính's outgoing register; the numbers must be exactly 1..n (8 × 100 = 800 by
default, ``QLVB_NUMBERS_PER_CLIENT``).
"""

from concurrent.futures import ThreadPoolExecutor
from tests.incoming.test_relstorage import two_instances  # noqa: F401 - fixture

import os
import pytest
import requests

from tests.outgoing.test_rest import NUMBERS_PER_CLIENT

pytestmark = pytest.mark.stress  # two processes / thousands of requests: run with --stress


@pytest.fixture(scope="module")
def test_views_on():
    old = os.environ.get("QLVB_TEST_VIEWS")
    os.environ["QLVB_TEST_VIEWS"] = "1"  # read by the instances the next fixture starts
    yield
    if old is None:
        os.environ.pop("QLVB_TEST_VIEWS", None)
    else:
        os.environ["QLVB_TEST_VIEWS"] = old


def test_two_processes_take_outgoing_numbers_without_gap_or_duplicate(test_views_on, two_instances):  # noqa: F811
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
