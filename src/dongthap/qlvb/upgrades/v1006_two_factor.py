"""1005 → 1006 (account security): two-factor login per agency.

The site-wide switch ``dongthap.qlvb.accounts.two_factor_roles`` (yes/no: leaders and administrators
must use two-factor login) becomes the default mode ``two_factor_default`` ("off", "optional",
"leaders", "everyone") that each agency may override (``accounts.api.set_agency_two_factor``):
yes → "leaders", no → "optional"."""

from plone.registry.interfaces import IRegistry
from zope.component import getUtility

OLD = "dongthap.qlvb.accounts.two_factor_roles"
NEW = "dongthap.qlvb.accounts.two_factor_default"


def two_factor_per_agency(context):
    from dongthap.qlvb.accounts.settings import IAccountSettings, PREFIX

    registry = getUtility(IRegistry)
    old = registry.records.get(OLD)
    before = bool(old.value) if old is not None else False
    registry.registerInterface(IAccountSettings, prefix=PREFIX)  # adds two_factor_default, keeps the others
    if old is not None:
        registry[NEW] = "leaders" if before else "optional"
        del registry.records[OLD]
