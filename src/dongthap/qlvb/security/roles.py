"""The roles of the system and the permissions of the add-on.

Roles are granted to staff **only as local roles on their agency folder**,
through the agency's groups (see :mod:`dongthap.qlvb.agencies.api`); no member
of staff gets a global role. The provincial administrator role is the only
global one: it belongs to the people of Sở TT&TT who run the system.
"""

from dongthap.qlvb.i18n import _

CLERK = "QlvbClerk"
LEADER = "QlvbLeader"
DEPARTMENT_HEAD = "QlvbDepartmentHead"
SPECIALIST = "QlvbSpecialist"
RECORDS_MANAGER = "QlvbRecordsManager"
AGENCY_ADMIN = "QlvbAgencyAdmin"
SECURITY_OFFICER = "QlvbSecurityOfficer"
PROVINCE_ADMIN = "QlvbProvinceAdmin"

#: Roles held inside one agency, in the order the staff view shows them.
AGENCY_ROLES = (
    LEADER,
    DEPARTMENT_HEAD,
    CLERK,
    SPECIALIST,
    RECORDS_MANAGER,
    AGENCY_ADMIN,
    SECURITY_OFFICER,
)

#: Short, stable keys used in group ids and in the REST API.
ROLE_KEYS = {
    CLERK: "clerk",
    LEADER: "leader",
    DEPARTMENT_HEAD: "department_head",
    SPECIALIST: "specialist",
    RECORDS_MANAGER: "records_manager",
    AGENCY_ADMIN: "agency_admin",
    SECURITY_OFFICER: "security_officer",
}
ROLES_BY_KEY = {key: role for role, key in ROLE_KEYS.items()}

ROLE_TITLES = {
    CLERK: _("role_clerk", default="Clerk (Văn thư)"),
    LEADER: _("role_leader", default="Leader (Lãnh đạo)"),
    DEPARTMENT_HEAD: _("role_department_head", default="Department head (Lãnh đạo phòng)"),
    SPECIALIST: _("role_specialist", default="Specialist (Chuyên viên)"),
    RECORDS_MANAGER: _("role_records_manager", default="Records manager (Lưu trữ viên)"),
    AGENCY_ADMIN: _("role_agency_admin", default="Agency administrator (Quản trị đơn vị)"),
    SECURITY_OFFICER: _(
        "role_security_officer", default="Information security officer (Cán bộ an toàn thông tin)"
    ),
    PROVINCE_ADMIN: _("role_province_admin", default="Provincial administrator (Sở TT&TT)"),
}

#: Group that holds the provincial administrators (global role).
PROVINCE_ADMIN_GROUP = "qlvb-province-admins"

# Permissions of the add-on (titles as registered in permissions.zcml).
ADD_AGENCY = "dongthap.qlvb: Add Agency"
ADD_DEPARTMENT = "dongthap.qlvb: Add Department"
MANAGE_STAFF = "dongthap.qlvb: Manage staff"
VIEW_STAFF = "dongthap.qlvb: View staff"
