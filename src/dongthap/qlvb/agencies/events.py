"""Event handlers for agencies."""

from dongthap.qlvb.agencies.api import ensure_groups


def agency_added(agency, event):
    """A new agency gets its groups and local roles at once."""
    ensure_groups(agency)
