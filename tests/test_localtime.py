"""Plone's own dates follow the zone zope.conf names (issue 15, item 7: the toolbar and search showed UTC)."""

import os
import subprocess
import sys

PROBE = """
import time
from DateTime import DateTime  # read the zone before TZ is set, as Zope does
import os
os.environ["TZ"] = "Asia/Ho_Chi_Minh"   # what zope.conf's <environment> does afterwards
import dongthap.qlvb  # noqa: F401
moment = DateTime("2026/12/20 01:30:00 UTC").toZone(DateTime().timezone())
print(DateTime().timezone(), time.strftime("%z"), moment.strftime("%d/%m/%Y %H:%M"))
"""


def run_probe(env):
    answer = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True,
                            check=True)
    return answer.stdout.split()


def test_dates_follow_the_zone_of_zope_conf():
    env = {k: v for k, v in os.environ.items() if k != "TZ"}
    zone, offset, day, hour = run_probe(env)
    assert (zone, offset) == ("GMT+7", "+0700")
    assert (day, hour) == ("20/12/2026", "08:30")


UNSET_PROBE = """
from DateTime import DateTime
import dongthap.qlvb  # noqa: F401
moment = DateTime("2026/12/20 01:30:00 UTC").toZone(DateTime().timezone())
print(DateTime().timezone(), moment.strftime("%d/%m/%Y %H:%M"))
"""


def test_vietnam_time_whatever_zone_the_process_started_in():
    """TZ unset (the test layers) or UTC (a container): Plone's dates still read as Vietnam time."""
    for tz in (None, "UTC", "Europe/Paris"):
        env = {k: v for k, v in os.environ.items() if k != "TZ"}
        if tz:
            env["TZ"] = tz
        answer = subprocess.run([sys.executable, "-c", UNSET_PROBE], env=env, capture_output=True,
                                text=True, check=True).stdout.split()
        assert answer == ["GMT+7", "20/12/2026", "08:30"], tz
