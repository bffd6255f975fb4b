"""The process runs in the time zone its configuration names (zope.conf: ``TZ Asia/Ho_Chi_Minh``).

Zope applies the ``<environment>`` section of zope.conf after ``DateTime`` and ``time`` have
read the zone of the process, so Plone's own dates (toolbar, search results, folder contents:
``DateTime()``, ``toLocalizedTime``) stayed in UTC. ``apply_process_timezone`` makes the
process follow ``TZ`` again; the package calls it when it is loaded (issue 15, item 7).

Every user of the system is in Vietnam: the zone is ``Asia/Ho_Chi_Minh`` whatever ``TZ`` the
process was started with (unset in the test layers, ``UTC`` in many containers), so that Plone's
dates (toolbar, modification times, search) read as Vietnam time everywhere.
"""

import os
import sys
import time

VN_ZONE = "Asia/Ho_Chi_Minh"


def apply_process_timezone():
    """Put the process in Vietnam time for ``time`` and ``DateTime``; returns the zone name."""
    zone = os.environ["TZ"] = VN_ZONE
    time.tzset()
    import DateTime  # noqa: F401 (loads the module DateTime.DateTime)

    module = sys.modules["DateTime.DateTime"]
    for name in ("daylight", "tzname", "timezone", "altzone"):  # copied by ``from time import``
        setattr(module, name, getattr(time, name))

    module._localzone0 = module._findLocalTimeZoneName(0)
    module._localzone1 = module._findLocalTimeZoneName(1)
    module._multipleZones = module._localzone0 != module._localzone1
    return zone
