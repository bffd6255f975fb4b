"""Fixtures over the shared demo site, for the folders that test our API in it (incoming, outgoing,
copies, search, notifications, delegations, tasks…).

A folder's ``conftest.py`` takes the ones it needs by importing them by name::

    from tests.demo_fixtures import _no_clamd_needed  # noqa: F401 - autouse fixture
    from tests.demo_fixtures import portal  # noqa: F401 - fixture

and where its tests start with empty notification boxes, it says so (the default, False, is in
``tests/conftest.py``)::

    @pytest.fixture
    def empty_notification_boxes():
        return True
"""

from dongthap.qlvb.numbering import retry

import pytest


@pytest.fixture
def portal(demo, empty_notification_boxes):
    """The demo site; our API works in savepoints (integration tests never commit). With
    ``empty_notification_boxes`` the boxes the demo data filled are emptied first."""
    if empty_notification_boxes:
        from dongthap.qlvb.notifications import store

        store.boxes(demo, create=True).clear()
    with retry.savepoints_only():
        yield demo


@pytest.fixture(autouse=True)
def _no_clamd_needed(monkeypatch):
    """Without a configured clamd, scanning is off for these tests (they test our API, not clamd)."""
    import os

    if not os.environ.get("QLVB_CLAMD"):
        monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")


@pytest.fixture
def frozen(monkeypatch):
    """A frozen clock: ``frozen(datetime)`` sets "now" (Vietnam time) for the whole system."""
    from dongthap.qlvb.delegation import api as D
    from dongthap.qlvb.numbering import counter

    def freeze(when):
        if when.tzinfo is None:
            when = when.replace(tzinfo=counter.VIETNAM_OFFSET)
        monkeypatch.setattr(counter, "vietnam_now", lambda: when)
        D.forget_cached_roles()  # a new day in the same test request: roles are asked again
        return when

    return freeze
