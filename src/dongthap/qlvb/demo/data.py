"""Demo data: the agencies of Đồng Tháp and one demo account per role per agency.

Installed with the ``dongthap.qlvb:demo`` profile (``make start`` and the
``QLVB_DEMO`` test fixture). **Seeded once per site**: the site remembers the
version of the demo data it got (:data:`SEED_ATTR`), and installing again adds
only the steps of a newer :data:`DEMO_VERSION` — what an administrator deleted
(an account, ``qtht`` included, a role) never comes back. **The passwords are
demo passwords** and must never be used on a real deployment.

The agency codes of UBND tỉnh (000.00.00.H20) and Sở TT&TT (000.00.14.H20) are
the real ones; the others are made up for the demo (real sub-unit numbers come
from the national axis directory).
"""

from dongthap.qlvb.agencies import api as agencies
from dongthap.qlvb.security import roles as R
from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.demo")

DEMO_PASSWORD = "Demo@2026"
PROVINCE_ADMIN = {"username": "qtht", "fullname": "Quản trị hệ thống Sở TT&TT"}

#: (path, title, code, abbreviation, level, departments, login prefix)
AGENCIES = (
    ("ubnd-tinh", "UBND tỉnh Đồng Tháp", "000.00.00.H20", "UBND", "province",
     (("Ban Tiếp công dân", "BTCD"),), "ubnd"),
    ("ubnd-tinh/van-phong-ubnd-tinh", "Văn phòng UBND tỉnh", "000.00.01.H20", "VP", "unit",
     (("Phòng Hành chính - Tổ chức", "HCTC"), ("Phòng Kinh tế", "KT"), ("Phòng Tổng hợp", "TH")),
     "vpubnd"),
    ("so-tttt", "Sở Thông tin và Truyền thông", "000.00.14.H20", "STTTT", "department",
     (("Văn phòng", "VP"), ("Phòng Công nghệ thông tin", "CNTT"),
      ("Phòng Bưu chính - Viễn thông", "BCVT")), "stttt"),
    ("so-noi-vu", "Sở Nội vụ", "000.00.09.H20", "SNV", "department",
     (("Văn phòng", "VP"), ("Phòng Tổ chức - Biên chế", "TCBC"),
      ("Chi cục Văn thư - Lưu trữ", "VTLT")), "snv"),
    ("so-tai-chinh", "Sở Tài chính", "000.00.06.H20", "STC", "department",
     (("Văn phòng", "VP"), ("Phòng Ngân sách", "NS")), "stc"),
    ("xa-my-tho", "UBND xã Mỹ Thọ", "000.31.10.H20", "UBND", "commune",
     (("Văn phòng HĐND và UBND", "VP"),), "mytho"),
    ("phuong-cao-lanh", "UBND phường Cao Lãnh", "000.31.11.H20", "UBND", "commune",
     (("Văn phòng HĐND và UBND", "VP"), ("Phòng Kinh tế", "KT")), "caolanh"),
)

#: role → (login suffix, Vietnamese job title used in the demo full name)
LOGINS = {
    R.CLERK: ("vanthu", "Văn thư"),
    R.LEADER: ("lanhdao", "Lãnh đạo"),
    R.DEPARTMENT_HEAD: ("truongphong", "Trưởng phòng"),
    R.SPECIALIST: ("chuyenvien", "Chuyên viên"),
    R.RECORDS_MANAGER: ("luutru", "Lưu trữ"),
    R.AGENCY_ADMIN: ("quantri", "Quản trị"),
    R.SECURITY_OFFICER: ("antt", "An toàn thông tin"),
}

_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng")
_GIVEN = ("Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thị Hạnh", "Hữu Lộc", "Thanh Tâm")


def _fullname(agency_index, role_index):
    family = _FAMILY[(agency_index + role_index) % len(_FAMILY)]
    given = _GIVEN[role_index % len(_GIVEN)]
    return f"{family} {given}"


def demo_logins():
    """[(username, fullname, agency title, role)] of every demo account."""
    result = []
    for a_index, (_path, title, _code, _abbr, _level, _depts, prefix) in enumerate(AGENCIES):
        for r_index, role in enumerate(R.AGENCY_ROLES):
            suffix, _job = LOGINS[role]
            result.append((f"{prefix}.{suffix}", _fullname(a_index, r_index), title, role))
    return result


def _ensure_agency(portal, path, title, code, abbreviation, level):
    parent_path, _, agency_id = path.rpartition("/")
    parent = portal.unrestrictedTraverse(parent_path) if parent_path else portal
    if agency_id in parent.objectIds():
        return parent[agency_id]
    return api.content.create(
        container=parent,
        type="Agency",
        id=agency_id,
        title=title,
        agency_code=code,
        abbreviation=abbreviation,
        level=level,
        status="active",
        safe_id=False,
    )


def _ensure_user(username, fullname, email):
    if api.user.get(username=username) is None:
        api.user.create(
            username=username,
            email=email,
            password=DEMO_PASSWORD,
            properties={"fullname": fullname, "language": "vi"},
        )


#: The version of the demo data. A release that adds demo content appends a step
#: ``(version, function)`` to :data:`SEED_STEPS` and raises this; each site gets
#: every step once.
DEMO_VERSION = 4

#: Attribute of the portal: the version of the demo data this site was seeded with.
SEED_ATTR = "_qlvb_demo_seeded"


def seeded_version(portal=None):
    """The demo data version the site was seeded with (0: never)."""
    from Acquisition import aq_base

    portal = portal if portal is not None else api.portal.get()
    return int(getattr(aq_base(portal), SEED_ATTR, 0) or 0)


def install(context=None):
    """Seed the demo data steps this site has not had yet; never again what it had."""
    portal = api.portal.get()
    done = seeded_version(portal)
    if done >= DEMO_VERSION:
        logger.info("demo data already seeded (version %d): nothing added again", done)
        return False
    for version, step in SEED_STEPS:
        if version > done:
            step()
            # each step once, even when a later step fails
            setattr(portal, SEED_ATTR, version)
    logger.info("demo data seeded (version %d)", DEMO_VERSION)
    return True


def mark_existing_site(portal=None):
    """Mark a site that got the demo data before the marker existed as seeded (version 1)."""
    portal = portal if portal is not None else api.portal.get()
    if seeded_version(portal):
        return
    setup = api.portal.get_tool("portal_setup")
    applied = setup.getLastVersionForProfile("dongthap.qlvb:demo") != "unknown"
    if applied or api.user.get(username=PROVINCE_ADMIN["username"]) is not None:
        setattr(portal, SEED_ATTR, 1)
        logger.info("existing demo data marked as seeded")


def _seed_v1():
    """The demo agencies, departments, accounts, keys and documents of the first release."""
    portal = api.portal.get()
    with api.env.adopt_roles(["Manager"]):
        _ensure_user(PROVINCE_ADMIN["username"], PROVINCE_ADMIN["fullname"], "qtht@example.invalid")
        api.group.add_user(groupname=R.PROVINCE_ADMIN_GROUP, username=PROVINCE_ADMIN["username"])
        logins = {(u, role): name for u, name, _t, role in demo_logins()}
        for path, title, code, abbreviation, level, departments, prefix in AGENCIES:
            agency = _ensure_agency(portal, path, title, code, abbreviation, level)
            for dept_title, dept_abbr in departments:
                dept_id = dept_abbr.lower()
                if dept_id not in agency.objectIds():
                    api.content.create(
                        container=agency, type="Department", id=dept_id,
                        title=dept_title, abbreviation=dept_abbr, safe_id=False,
                    )
            dept_ids = [abbr.lower() for _t, abbr in departments]
            for role in R.AGENCY_ROLES:
                username = f"{prefix}.{LOGINS[role][0]}"
                _ensure_user(username, logins[(username, role)], f"{username}@example.invalid")
                # The one demo head and specialist of an agency work in all its departments.
                in_depts = dept_ids if role in (R.DEPARTMENT_HEAD, R.SPECIALIST) else None
                agencies.assign(agency=agency, username=username, roles=[role], departments=in_depts)
        # test keys and trusted test root: the demo's only use of the testing package
        from dongthap.qlvb_testing import signing_demo
        signing_demo.install()
    logger.info("demo data in place: %d agencies", len(AGENCIES))
    from dongthap.qlvb.demo import incoming as demo_incoming

    demo_incoming.install()
    from dongthap.qlvb.demo import outgoing as demo_outgoing

    demo_outgoing.install()


def _seed_v2_dossiers():
    """The records schedule of Sở TT&TT and two of its dossiers (issue 14)."""
    from dongthap.qlvb.demo import dossiers as demo_dossiers

    demo_dossiers.install()


def _seed_v3_tasks():
    """Two tasks of Sở Nội vụ (issue 17, item 3)."""
    from dongthap.qlvb.demo import tasks as demo_tasks

    demo_tasks.install()


def _seed_v4_calendar():
    """The work calendar of Sở TT&TT: this week published, next Monday awaiting approval (issue 17)."""
    from dongthap.qlvb.demo import calendar as demo_calendar

    demo_calendar.install()


SEED_STEPS = ((1, _seed_v1), (2, _seed_v2_dossiers), (3, _seed_v3_tasks), (4, _seed_v4_calendar))
