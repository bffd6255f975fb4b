"""Workflow specifications (one module per workflow; format in :mod:`.spec`).

``SPECS`` lists the modules ``scripts/generate_workflows.py`` renders, in the
order of ``docs/workflows.md``. Each module has a ``WORKFLOW`` (a
:class:`.spec.Workflow`). A new type adds its module here (it may live in its
own package, e.g. ``dongthap.qlvb.dossiers.workflow``).
"""

SPECS = (
    "dongthap.qlvb.workflows.agency",
    "dongthap.qlvb.workflows.incoming",
    "dongthap.qlvb.workflows.outgoing",
    "dongthap.qlvb.dossiers.workflow",
    "dongthap.qlvb.copies.workflow",
    "dongthap.qlvb.tasks.workflow",
)


def specifications():
    """``(module name, Workflow)`` of every specification in ``SPECS``."""
    import importlib

    return [(name, importlib.import_module(name).WORKFLOW) for name in SPECS]
