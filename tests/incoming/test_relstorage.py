"""Numbering across two Zope processes sharing one RelStorage (PostgreSQL) database.

A throw-away database is created for the run and dropped afterwards. Two
``runwsgi`` processes serve the same site. CLIENTS × PER_CLIENT (8 × 25 = 200 by default,
``QLVB_RELSTORAGE_PER_CLIENT`` raises it) received documents are created first, in a few big
transactions (``zconsole run relstorage_bulk.py``); then 8 clients (split over both processes)
register PER_CLIENT of them each through ``@workflow/register``: the arrival numbers must be
exactly 1..200, one per document.
"""

from tests.incoming.test_rest import assert_numbered_once
from tests.incoming.test_rest import CLIENTS
from tests.incoming.test_rest import register_concurrently

import json
import os
import pytest

pytestmark = pytest.mark.stress  # two processes / thousands of requests: run with --stress

PER_CLIENT = int(os.environ.get("QLVB_RELSTORAGE_PER_CLIENT", "25"))


def test_two_processes_number_without_gap_or_duplicate(two_instances, tmp_path):
    total = CLIENTS * PER_CLIENT  # two processes racing: fewer documents than the one-process race
    listing = tmp_path / "paths.json"
    bulk = {"QLVB_BULK_AGENCY": "so-tai-chinh", "QLVB_BULK_CLERK": "stc.vanthu",
            "QLVB_BULK_FILE": str(listing)}
    two_instances.zconsole(QLVB_BULK="create", QLVB_BULK_COUNT=str(total), **bulk)
    paths = json.loads(listing.read_text())
    assert len(paths) == total
    numbers, failures = register_concurrently(two_instances, paths, "stc.vanthu")
    two_instances.zconsole(QLVB_BULK="dump", **bulk)
    stored = json.loads((tmp_path / "paths.json.out").read_text())
    assert_numbered_once(paths, numbers, failures, stored, 0)
    import requests

    for url in two_instances:  # both processes see the same register
        rows = requests.get(f"{url}/so-tai-chinh/@registers/incoming", auth=("stc.vanthu", "Demo@2026"),
                            headers={"Accept": "application/json"}).json()["register"]["rows"]
        assert sorted(r["arrival_number"] for r in rows) == list(range(1, total + 1))
