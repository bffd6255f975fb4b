"""The data generator (issue #21): a tiny run through the real factories, resumable.

Two agencies and 18 documents in the integration layer (rolled back afterwards):
the counts it reports are the counts in the catalog, every register is numbered
1…n without a gap, and running it again with the same targets adds nothing, while
a larger target continues where the first run stopped.
"""

from dongthap.qlvb.demo import generator
from plone import api

import os
import pytest


@pytest.fixture
def portal(integration, monkeypatch):
    import hashlib

    from dongthap.qlvb.demo.incoming import make_pdf

    monkeypatch.setenv("QLVB_CLAMD_ENABLED", "0")
    # the pre-signed PDF costs a test PKI and two pyHanko signatures: not what is tested here
    pdf = make_pdf(["VĂN BẢN MẪU"])
    monkeypatch.setattr(generator, "presigned_pdf", lambda: (pdf, {
        "legal_validity": "reference", "sha256": hashlib.sha256(pdf).hexdigest(), "signatures": []}))
    return integration["portal"]


def _numbers(portal, portal_type, attr):
    by_register = {}
    for brain in api.content.find(portal_type=portal_type, unrestricted=True):
        doc = brain._unrestrictedGetObject()
        number = getattr(doc, attr, None)
        if number:
            agency = "/".join(doc.getPhysicalPath()[:3])
            series = getattr(doc, "register_series", None) or "incoming"
            by_register.setdefault((agency, series), []).append(int(number))
    return by_register


def test_tiny_run_counts_numbering_and_resume(portal):
    lines = []
    state = generator.generate(portal, documents=12, agencies=2, batch=5, commit=False,
                               log=lines.append)
    assert state["agencies"] == 2 and state["steps"] == 12
    agencies = api.content.find(portal_type="Agency", unrestricted=True)
    assert len(agencies) == 2
    assert {b.Title for b in agencies} <= {p["title"] for p in generator.plan_agencies(2)}
    users = [u for u in api.user.get_users() if u.getId().endswith(".vanthu")]
    assert len(users) == 2

    incoming = len(api.content.find(portal_type="IncomingDocument", unrestricted=True))
    outgoing = len(api.content.find(portal_type="OutgoingDocument", unrestricted=True))
    # every step made one document, except a registration of a copy delivered before
    assert incoming + outgoing == state["documents"] + state["copies"]
    assert state["issued"] >= 1 and state["copies"] >= 1
    issued = api.content.find(portal_type="OutgoingDocument", review_state="issued", unrestricted=True)
    assert len(issued) == state["issued"]
    assert any(b.getObject().legal_validity for b in issued)
    assert any("docs/s" in line for line in lines)

    # gap-free: each register of each agency holds 1…n
    for attr, portal_type in (("arrival_number", "IncomingDocument"),
                              ("code_number", "OutgoingDocument")):
        for key, numbers in _numbers(portal, portal_type, attr).items():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), (key, numbers)

    # resumable: the same targets again add nothing; a larger target continues
    again = generator.generate(portal, documents=12, agencies=2, batch=5, commit=False, log=lines.append)
    assert again["steps"] == 12 and again["documents"] == state["documents"]
    assert len(api.content.find(portal_type="Agency", unrestricted=True)) == 2
    more = generator.generate(portal, documents=18, agencies=2, batch=5, commit=False, log=lines.append)
    assert more["steps"] == 18 and more["documents"] > state["documents"]
    total = len(api.content.find(portal_type=["IncomingDocument", "OutgoingDocument"], unrestricted=True))
    assert total == more["documents"] + more["copies"]
    for attr, portal_type in (("arrival_number", "IncomingDocument"),
                              ("code_number", "OutgoingDocument")):
        for key, numbers in _numbers(portal, portal_type, attr).items():
            assert sorted(numbers) == list(range(1, len(numbers) + 1)), (key, numbers)


def test_plan_is_the_province():
    plans = generator.plan_agencies(1000)
    assert len(plans) == 1000
    assert len({p["code"] for p in plans}) == 1000
    assert sum(p["level"] == "commune" for p in plans) == 102
    assert plans[0]["title"] == "UBND tỉnh Đồng Tháp" and plans[3]["title"] == "Sở Nội vụ"
    assert os.path.commonprefix([p["code"][-3:] for p in plans]) == "H20"
