"""Helpers shared by the test folders (fixtures shared by several folders: :mod:`tests.demo_fixtures`)."""

from dongthap.qlvb.demo.data import DEMO_PASSWORD

import requests


def session(user, password=DEMO_PASSWORD):
    """A ``requests`` session logged in as the demo account ``user`` (``None``: anonymous) that
    asks for JSON, for the REST tests against ``demo_server``."""
    s = requests.Session()
    if user:
        s.auth = (user, password)
    s.headers["Accept"] = "application/json"
    return s
