"""The workflow history of an outgoing document stays flat (and 1003 flattens old ones)."""

from plone import api

from .helpers import chain
from .helpers import draft

WORKFLOW = "qlvb_outgoing_workflow"


def test_history_entries_do_not_embed_the_history(portal):
    doc = chain(draft(portal), until="issued")
    entries = doc.workflow_history[WORKFLOW]
    assert [e["action"] for e in entries] == [None, "submit", "forward", "approve", "sign", "issue"]
    assert not any("review_history" in e for e in entries)
    # still readable as a workflow variable (computed on access)
    with api.env.adopt_roles(["Manager"]):
        history = api.portal.get_tool("portal_workflow").getInfoFor(doc, "review_history")
    assert [e["action"] for e in history] == [None, "submit", "forward", "approve", "sign", "issue"]


def test_upgrade_1003_flattens_old_histories(portal):
    from dongthap.qlvb.upgrades import v1003

    doc = chain(draft(portal), until="approved")
    entries = doc.workflow_history[WORKFLOW]
    nested = []
    for entry in entries:  # as version 1002 stored them
        nested.append(dict(entry, review_history=list(nested)))
    doc.workflow_history[WORKFLOW] = tuple(nested)
    wftool = api.portal.get_tool("portal_workflow")
    wftool[WORKFLOW].variables["review_history"].for_status = True  # the old definition
    with api.env.adopt_roles(["Manager"]):
        v1003.reimport_workflows(None)
        v1003.strip_nested_history(None)
    assert not wftool[WORKFLOW].variables["review_history"].for_status
    flat = doc.workflow_history[WORKFLOW]
    assert [e["action"] for e in flat] == [e["action"] for e in entries]
    assert not any("review_history" in e for e in flat)
    assert api.content.get_state(doc) == "approved"
