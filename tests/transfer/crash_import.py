"""zconsole helper of the resumable import test: an import that fails in the middle of a batch.

    crash_import.py SITE DIRECTORY BATCH CRASH_AT

Imports DIRECTORY into SITE (created when missing) with batches of BATCH items and raises
an exception while importing the content item number CRASH_AT of this run (1-based), as
a bug or a bad item would: the batch being imported is not committed, the process exits
with a traceback (status 1).
"""

from pathlib import Path

import sys

from AccessControl.SecurityManagement import newSecurityManager

sys.path.insert(0, str(Path(sys.argv[3]).resolve().parents[2] / "scripts"))  # argv[3]: this file
from transfer import _site  # noqa: E402 - the site as scripts/transfer.py makes it

app = app  # noqa: F821 - ``app`` is given by zconsole
site_id, directory, batch, crash_at = sys.argv[4], sys.argv[5], int(sys.argv[6]), int(sys.argv[7])
admin = app.acl_users.getUserById("admin")
newSecurityManager(None, admin.__of__(app.acl_users))
site = _site(app, site_id, create=True)

from dongthap.qlvb.transfer import api  # noqa: E402
from dongthap.qlvb.transfer import hooks  # noqa: E402

seen = []
hook = hooks.QlvbImportContent.global_dict_hook


def failing_hook(self, item):
    seen.append(item["@id"])
    if len(seen) == crash_at:
        print(f"failing at {item['@id']}", flush=True)
        raise RuntimeError("simulated failure in the middle of a batch")
    return hook(self, item)


hooks.QlvbImportContent.global_dict_hook = failing_hook
api.import_site(site, directory, batch=batch)
