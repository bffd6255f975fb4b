"""Upgrade steps: the profile version and the steps match, and each step really upgrades."""

from dongthap.qlvb.agencies import departments as D
from plone import api
from Products.GenericSetup.upgrade import listUpgradeSteps

import pathlib
import re

PROFILE = "dongthap.qlvb:default"
METADATA = pathlib.Path(__file__).resolve().parents[1] / "src/dongthap/qlvb/profiles/default/metadata.xml"


def _steps(setup, source):
    return listUpgradeSteps(setup, PROFILE, source)


def test_metadata_version_is_reached_by_the_upgrade_steps(site):
    version = re.search(r"<version>(\d+)</version>", METADATA.read_text()).group(1)
    setup = api.portal.get_tool("portal_setup")
    assert setup.getLastVersionForProfile(PROFILE) == (version,)  # a fresh install is current
    current, chain = "1000", []
    while True:
        steps = _steps(setup, current)
        if not steps:
            break
        step = steps[0] if isinstance(steps[0], dict) else steps[0][0]
        chain.append(step["dest"])
        current = ".".join(step["dest"])
    assert current == version, f"the steps from 1000 end at {current}, metadata.xml says {version}"


def test_1001_gives_departments_groups_and_rebuilds_the_review_index(site):
    catalog = api.portal.get_tool("portal_catalog")
    setup = api.portal.get_tool("portal_setup")
    with api.env.adopt_roles(["Manager"]):
        agency = api.content.create(container=site, type="Agency", id="so-nang-cap", title="Sở Nâng Cấp",
                                    agency_code="000.00.98.H20", abbreviation="SNC", level="department")
        dept = api.content.create(container=agency, type="Department", id="vp", title="Văn phòng",
                                  abbreviation="VP", safe_id=False)
        # as a 1000 site was: no members group, a FieldIndex
        api.group.delete(groupname=D.members_group_id(dept))
        delattr(dept, D.MEMBERS_ATTR)
        catalog.delIndex("outgoing_review_role")
        catalog.addIndex("outgoing_review_role", "FieldIndex")
        setup.setLastVersionForProfile(PROFILE, "1000")
        setup.upgradeProfile(PROFILE)
    assert setup.getLastVersionForProfile(PROFILE) == ("1001",)
    assert D.members_group_id(dept) == "qlvb-000.00.98.H20-phong-vp"
    assert api.group.get(groupname=D.members_group_id(dept)) is not None
    assert catalog._catalog.getIndex("outgoing_review_role").meta_type == "KeywordIndex"
    # running it again changes nothing and breaks nothing
    with api.env.adopt_roles(["Manager"]):
        setup.setLastVersionForProfile(PROFILE, "1000")
        setup.upgradeProfile(PROFILE)
    assert D.members_group_id(dept) == "qlvb-000.00.98.H20-phong-vp"
