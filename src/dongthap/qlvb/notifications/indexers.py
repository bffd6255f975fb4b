"""Catalog metadata read by the reminder job (so it never wakes a document)."""

from dongthap.qlvb.content.incoming import IIncomingDocument
from dongthap.qlvb.incoming import assignment as A
from plone.indexer import indexer

COLUMN = "qlvb_open_assignments"


def open_assignments(obj):
    """``((entry id, kind, user, department, deadline ISO, assigned by, leader), …)``.

    The active lead and coordination entries with a deadline of a document in handling
    (``assigned``, ``in_progress``); ``leader`` is whoever wrote the top-level entry the
    entry descends from (the leader who assigned the document). Empty otherwise.
    """
    wf = getattr(obj, "workflow_history", {}).get("qlvb_incoming_workflow") or ()
    state = wf[-1].get("review_state") if wf else None
    if state not in A.OPEN_STATES:
        return ()
    entries = A.entries(obj)
    by_id = {e.get("id"): e for e in entries}
    rows = []
    for entry in entries:
        if not entry.get("active") or entry.get("kind") not in ("lead", "coordinator") \
                or not entry.get("deadline"):
            continue
        top, seen = entry, set()
        while top.get("parent") in by_id and top["parent"] not in seen:
            seen.add(top["parent"])
            top = by_id[top["parent"]]
        rows.append((entry["id"], entry["kind"], entry["user"], entry.get("department") or "",
                     entry["deadline"], entry.get("assigned_by") or "", top.get("assigned_by") or ""))
    return tuple(rows)


@indexer(IIncomingDocument)
def qlvb_open_assignments(obj):
    return open_assignments(obj)
