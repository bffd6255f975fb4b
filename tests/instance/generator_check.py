"""``zconsole run`` script of ``test_instance``: after ``generate_data.py --processes 2``.

Continues both workers in this process up to ``argv[-2]`` steps (then once more: nothing
left), and writes what the site holds to the JSON file ``argv[-1]``: steps made per run,
the progress, each step made once (``tests.demo.generated.steps_check``), registers
that are not 1…n.
"""

from AccessControl.SecurityManagement import newSecurityManager
from dongthap.qlvb.demo import generator
from dongthap.qlvb.utils.deployment import SETTINGS
from tests.demo import generated
from zope.component.hooks import setSite

import json
import sys

steps, target = int(sys.argv[-2]), sys.argv[-1]
site = app[SETTINGS.value("QLVB_SITE_ID")]  # noqa: F821 - ``app`` is given by zconsole
admin = app.acl_users.getUserById(SETTINGS.value("QLVB_ADMIN_USER"))  # noqa: F821
newSecurityManager(None, admin.__of__(app.acl_users))  # noqa: F821
setSite(site)
state = generator.progress(site)
agencies = state["parallel"]["agencies"]
runs = [[generator.generate_share(site, documents=steps, agencies=agencies, workers=2, worker=k, batch=3,
                                  log=print)["run_steps"] for k in (0, 1)] for _again in range(2)]
with open(target, "w", encoding="utf-8") as out:
    json.dump({"runs": runs, "progress": generator.summary(generator.progress(site)),
               "steps": generated.steps_check(site, steps, agencies),
               "gaps": generated.gaps(site, state["agency_paths"])}, out, default=str)
