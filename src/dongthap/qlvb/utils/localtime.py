"""The process runs in the time zone its configuration names (zope.conf: ``TZ Asia/Ho_Chi_Minh``).

Zope applies the ``<environment>`` section of zope.conf after ``DateTime`` and ``time`` have
read the zone of the process, so Plone's own dates (toolbar, search results, folder contents:
``DateTime()``, ``toLocalizedTime``) stayed in UTC. ``apply_process_timezone`` makes the
process follow ``TZ`` again; the package calls it when it is loaded (issue 15, item 7).
"""

import os
import sys
import time


def apply_process_timezone():
    """Re-read ``TZ`` for ``time`` and ``DateTime``; returns the zone name now in force."""
    zone = os.environ.get("TZ")
    if not zone:
        return None
    time.tzset()
    import DateTime  # noqa: F401 (loads the module DateTime.DateTime)

    module = sys.modules["DateTime.DateTime"]
    for name in ("daylight", "tzname", "timezone", "altzone"):  # copied by ``from time import``
        setattr(module, name, getattr(time, name))

    module._localzone0 = module._findLocalTimeZoneName(0)
    module._localzone1 = module._findLocalTimeZoneName(1)
    module._multipleZones = module._localzone0 != module._localzone1
    return zone
