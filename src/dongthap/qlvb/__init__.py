"""dongthap.qlvb: document management and executive direction for Đồng Tháp.

One sub-package per capability: ``content`` (types), ``security`` (roles and
permissions), ``agencies`` (agency groups and staff), ``browser`` (Classic UI
views), ``restapi`` (services), ``demo`` (demo data), ``upgrades``.
"""

from dongthap.qlvb.i18n import _  # noqa: F401
from dongthap.qlvb.utils.localtime import apply_process_timezone

# Vietnam time whatever TZ the process got (and zope.conf sets TZ after DateTime read it).
apply_process_timezone()

PACKAGE_NAME = "dongthap.qlvb"
PROFILE_ID = "dongthap.qlvb:default"
