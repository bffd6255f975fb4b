"""1006 → 1007 (issue 17, item 3): tasks (giao việc).

The portal tab "Công việc" (actions), the types ``Task`` and ``TaskFolder`` (and ``Agency``,
which may hold the task folder),
``qlvb_task_workflow`` and the bindings, the roles ``QlvbTask*`` and the permissions "Add task"
and "View tasks" with their default roles (rolemap), the catalog indexes ``qlvb_task_people``,
``qlvb_task_assigner``, ``qlvb_task_deadline``, ``qlvb_task_parent`` and their columns.
No task exists before 1007: nothing to fill. The step may run again.

Second step (:func:`report_indexes`): the indexes and columns ``qlvb_task_completed_on`` and
``qlvb_task_late``, so the reports count on-time and late tasks from the catalog; the tasks that
already exist (a site that ran the first step only) are reindexed, only them. May run again.
"""

from plone import api

import logging

logger = logging.getLogger("dongthap.qlvb.upgrades")

INDEXES = {"qlvb_task_people": "KeywordIndex", "qlvb_task_assigner": "FieldIndex",
           "qlvb_task_deadline": "FieldIndex", "qlvb_task_parent": "FieldIndex"}
COLUMNS = ("qlvb_task_people", "qlvb_task_assigner", "qlvb_task_deadline")


def tasks(context=None):
    setup = api.portal.get_tool("portal_setup")
    for step in ("typeinfo", "workflow", "rolemap", "actions"):
        setup.runImportStepFromProfile("profile-dongthap.qlvb:default", step, run_dependencies=False)
    catalog = api.portal.get_tool("portal_catalog")
    for name, meta_type in INDEXES.items():
        if name not in catalog.indexes():
            catalog.addIndex(name, meta_type)
    for name in COLUMNS:
        if name not in catalog.schema():
            catalog.addColumn(name)
    chain = api.portal.get_tool("portal_workflow").getChainForPortalType("Task")
    logger.info("tasks: Task bound to %s", chain)


REPORT_INDEXES = {"qlvb_task_completed_on": "FieldIndex", "qlvb_task_late": "FieldIndex"}


def report_indexes(context=None):
    catalog = api.portal.get_tool("portal_catalog")
    added = [name for name, meta_type in REPORT_INDEXES.items() if name not in catalog.indexes()]
    for name in added:
        catalog.addIndex(name, REPORT_INDEXES[name])
    new_columns = [name for name in REPORT_INDEXES if name not in catalog.schema()]
    for name in new_columns:
        catalog.addColumn(name)
    count = 0
    if added or new_columns:
        for brain in catalog.unrestrictedSearchResults(portal_type="Task"):
            brain._unrestrictedGetObject().reindexObject(idxs=list(REPORT_INDEXES))
            count += 1
    logger.info("tasks: report indexes %s added, %d task(s) reindexed", added, count)
