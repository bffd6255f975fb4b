"""Pack the database of an instance, keeping N days of history.

    zconsole run <zope.conf> scripts/pack_site.py 90


Called by ``scripts/backup.py pack`` (docs/backup.md: the pack policy). Works for
FileStorage and for a history-preserving RelStorage alike (``DB.pack(days=…)``).
"""

import sys
import time

days = float(sys.argv[4]) if len(sys.argv) > 4 else 90.0
started = time.monotonic()
app._p_jar.db().pack(days=days)  # noqa: F821 - ``app`` is given by zconsole
print(f"packed (history older than {days:g} days removed) in {time.monotonic() - started:.1f} s")
