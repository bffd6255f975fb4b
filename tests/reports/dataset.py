"""A known dataset for the reports: documents of Sở TT&TT and Sở Nội vụ with chosen arrival,
issue and completion days, channels, signatures, deadlines and states — some of which changed
state after the period (completed in April, reopened) — and the exact numbers they give.

The documents are made by the factories (as the demo clerks and specialist); their dates and
states are then set as the workflow would have left them on those days (history entries with
those times), and the document is reindexed: the reports read only the catalog.
"""

from DateTime import DateTime
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.numbering import retry
from plone import api

import datetime

TZ = datetime.timezone(datetime.timedelta(hours=7))
Q1 = (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
DAY = datetime.date


def _when(day, hour=9):
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=TZ)


def _history(doc, steps):
    """Replace the workflow history with ``steps``: (action, state, day)."""
    wf = "qlvb_incoming_workflow" if doc.portal_type == "IncomingDocument" else "qlvb_outgoing_workflow"
    entries = [{"action": action, "review_state": state, "actor": "admin", "comments": "",
                "time": DateTime(_when(day).isoformat())} for action, state, day in steps]
    doc.workflow_history[wf] = tuple(entries)
    api.portal.get_tool("portal_workflow").getWorkflowById(wf).updateRoleMappingsFor(doc)
    doc.reindexObjectSecurity()


def incoming_doc(portal, path, key, *, source, validity, doc_type="cong_van", urgency="thuong", arrival,
                 steps=(), deadline=None, department=None, user="stttt.chuyenvien", ended=None):
    agency = portal.unrestrictedTraverse(path)
    from tests.incoming.helpers import TINY_PDF

    values = incoming.clean({"file": (TINY_PDF, "vb.pdf"),
        "title": f"Văn bản báo cáo {key}", "document_type": doc_type, "code_number": key[1:],
        "code_notation": "UBND-VP", "issuing_agency_name": "UBND tỉnh Đồng Tháp", "urgency": urgency,
        "source": source, "issued_date": (arrival - datetime.timedelta(days=1)).isoformat()})
    with api.env.adopt_user(username="stttt.vanthu" if path == "so-tttt" else "snv.vanthu"):
        result = incoming.build_document(agency, values)
    doc = portal.unrestrictedTraverse(result["path"])
    doc.register_date = _when(arrival, 8)
    doc.register_year = arrival.year
    doc.legal_validity = validity
    if deadline:
        doc.qlvb_assignment = [{"id": f"e{key}", "kind": "lead", "user": user, "department": department,
                                "deadline": deadline.isoformat(), "assigned_by": "admin",
                                "assigned_at": _when(arrival).isoformat(), "parent": None,
                                "active": ended is None,
                                "ended_at": _when(ended, 10).isoformat() if ended else None,
                                "ended_by": "admin" if ended else None}]
    _history(doc, [(None, "received", arrival), *steps])
    doc.reindexObject()
    return doc


def outgoing_doc(portal, key, *, created, issued=None, internal=(), external=(), validity="legal",
                 doc_type="cong_van", urgency="thuong", reply_to=None):
    from dongthap.qlvb.content.outgoing import OutgoingDocument  # noqa: F401
    from tests.outgoing.helpers import draft

    doc = draft(portal, title=f"Văn bản đi báo cáo {key}", document_type=doc_type, urgency=urgency,
                recipients=())
    doc.internal_recipients = [api.content.get_uuid(portal.unrestrictedTraverse(p)) for p in internal]
    doc.external_recipients = [{"code": c, "name": c} for c in external]
    doc.legal_validity = validity
    doc.in_reply_to = [api.content.get_uuid(reply_to)] if reply_to is not None else []
    doc.creation_date = DateTime(_when(created).isoformat())
    steps = [(None, "draft", created)]
    if issued:
        doc.register_date = _when(issued, 15)
        doc.register_year = issued.year
        steps.append(("issue", "issued", issued))
    _history(doc, steps)
    doc.reindexObject()
    return doc


def build(portal):
    """The dataset; returns the documents by key."""
    d = {}
    with retry.savepoints_only(), api.env.adopt_roles(["Manager"]):
        done = lambda day: [("register", "registered", day), ("assign", "assigned", day),  # noqa: E731
                            ("complete", "completed", day)]
        d["I1"] = incoming_doc(portal, "so-tttt", "I1", source="axis", validity="legal",
                               arrival=DAY(2026, 1, 5),
                               steps=done(DAY(2026, 1, 10)), deadline=DAY(2026, 1, 15), department="vp",
                               ended=DAY(2026, 1, 10))
        d["I2"] = incoming_doc(portal, "so-tttt", "I2", source="internal", validity="reference",
                               doc_type="quyet_dinh", urgency="khan", arrival=DAY(2026, 2, 10),
                               steps=done(DAY(2026, 2, 20)), deadline=DAY(2026, 2, 15), department="vp",
                               ended=DAY(2026, 2, 20))
        d["I3"] = incoming_doc(portal, "so-tttt", "I3", source="paper", validity="unsigned",
                               urgency="hoa_toc",
                               arrival=DAY(2026, 3, 1),
                               steps=[("register", "registered", DAY(2026, 3, 1)),
                                      ("assign", "assigned", DAY(2026, 3, 2)),
                                      ("start", "in_progress", DAY(2026, 3, 3))],
                               deadline=DAY(2026, 3, 20), department="vp")
        d["I4"] = incoming_doc(portal, "so-tttt", "I4", source="axis", validity="legal", doc_type="ke_hoach",
                               arrival=DAY(2026, 3, 15),
                               steps=[("register", "registered", DAY(2026, 3, 15)),
                                      ("assign", "assigned", DAY(2026, 3, 16))],
                               deadline=DAY(2026, 4, 10), department="cntt", user="stttt.truongphong")
        # completed after the period: open (and overdue) on 31/03
        d["I5"] = incoming_doc(portal, "so-tttt", "I5", source="email", validity="unsigned",
                               arrival=DAY(2026, 3, 20), steps=done(DAY(2026, 4, 5)),
                               deadline=DAY(2026, 3, 25), department="cntt", user="stttt.truongphong",
                               ended=DAY(2026, 4, 5))
        # before the period, refused: not counted
        d["I6"] = incoming_doc(portal, "so-tttt", "I6", source="axis", validity="legal",
                               arrival=DAY(2025, 12, 28))
        d["I7"] = incoming_doc(portal, "so-tttt", "I7", source="axis", validity="legal",
                               arrival=DAY(2026, 1, 3),
                               steps=[("refuse", "refused", DAY(2026, 1, 3))])
        # completed, then reopened: in progress again
        d["I8"] = incoming_doc(portal, "so-tttt", "I8", source="internal", validity="legal",
                               arrival=DAY(2026, 1, 12),
                               steps=[*done(DAY(2026, 1, 20)), ("reopen", "in_progress", DAY(2026, 1, 25))],
                               deadline=DAY(2026, 4, 1), department="cntt", user="stttt.truongphong")
        d["J1"] = incoming_doc(portal, "so-noi-vu", "J1", source="axis", validity="legal",
                               arrival=DAY(2026, 1, 20), steps=[("register", "registered", DAY(2026, 1, 20))])
        # a reply is due by the deadline of what it answers
        d["O1"] = outgoing_doc(portal, "O1", created=DAY(2026, 1, 7), issued=DAY(2026, 1, 12),
                               internal=("so-noi-vu",), external=("000.00.00.G22",), reply_to=d["I1"])
        d["O2"] = outgoing_doc(portal, "O2", created=DAY(2026, 2, 10), issued=DAY(2026, 2, 15),
                               internal=("so-noi-vu",), validity="reference", doc_type="to_trinh",
                               urgency="khan", reply_to=d["I1"])
        d["O3"] = outgoing_doc(portal, "O3", created=DAY(2026, 3, 15), issued=DAY(2026, 3, 20),
                               doc_type="bao_cao", reply_to=d["I3"])
        d["O4"] = outgoing_doc(portal, "O4", created=DAY(2026, 3, 25), reply_to=d["I3"])
        d["O5"] = outgoing_doc(portal, "O5", created=DAY(2026, 3, 28), issued=DAY(2026, 4, 2),
                               internal=("so-noi-vu",))
    return d


ZERO = {"total": 0, "electronic": 0, "legal": 0, "reference": 0, "paper": 0, "axis": 0, "internal": 0,
        "email": 0}
#: the QĐ 595 rows of Q1 2026
EXPECTED_EDOC = {
    "so-tttt": {
        "received": {"total": 6, "electronic": 5, "legal": 3, "reference": 2, "paper": 1, "axis": 2,
                     "internal": 2, "email": 1},
        "sent": {"total": 3, "electronic": 2, "legal": 1, "reference": 1, "paper": 1, "axis": 1,
                 "internal": 2, "email": 0},
    },
    "so-noi-vu": {
        "received": {"total": 1, "electronic": 1, "legal": 1, "reference": 0, "paper": 0, "axis": 1,
                     "internal": 0, "email": 0},
        "sent": dict(ZERO),
    },
}
EXPECTED_TYPES_RECEIVED = {"cong_van": 4, "quyet_dinh": 1, "ke_hoach": 1}
EXPECTED_URGENCY_RECEIVED = {"thuong": 4, "khan": 1, "hoa_toc": 1}
#: tình hình giải quyết văn bản đến of Sở TT&TT, Q1 2026 (as of 31/03/2026)
EXPECTED_PROCESSING = {"total": 6, "on_time": 1, "late": 1, "overdue": 2, "in_progress": 2}
EXPECTED_BUCKET_DOCS = {"on_time": {"I1"}, "late": {"I2"}, "overdue": {"I3", "I5"},
                        "in_progress": {"I4", "I8"}}
#: tình hình giải quyết văn bản đi of Sở TT&TT, Q1 2026: drafts begun in the period
EXPECTED_OUTGOING = {"total": 5, "on_time": 2, "late": 1, "overdue": 1, "in_progress": 1}
EXPECTED_OUTGOING_DOCS = {"on_time": {"O1", "O3"}, "late": {"O2"}, "overdue": {"O4"}, "in_progress": {"O5"}}
EXPECTED_PROCESSING_VP = {"total": 3, "on_time": 1, "late": 1, "overdue": 1, "in_progress": 0}
