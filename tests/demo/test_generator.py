"""The data generator (issue #21): a tiny run through the real factories, resumable.

Two agencies and 18 documents in the integration layer (rolled back afterwards):
the counts it reports are the counts in the catalog, every register is numbered
1…n without a gap, and running it again with the same targets adds nothing, while
a larger target continues where the first run stopped. Then two parallel workers
(``generate_share``) in turn continue it, each step made once, and the one-process run
takes over when both have finished. The worker processes on RelStorage: tests/instance.
"""

from dongthap.qlvb.demo import generator
from plone import api
from tests.demo import generated as generated_data

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


def test_tiny_run_counts_numbering_resume_and_two_workers(portal):
    # the layer's site may already hold agencies and documents of other tests: count what is added
    def count(**query):
        return len(api.content.find(unrestricted=True, **query))

    before = {"agencies": count(portal_type="Agency"),
              "documents": count(portal_type=["IncomingDocument", "OutgoingDocument"]),
              "issued": count(portal_type="OutgoingDocument", review_state="issued"),
              "clerks": len([u for u in api.user.get_users() if u.getId().endswith(".vanthu")])}
    from Products.PluggableAuthService.PluggableAuthService import PluggableAuthService

    find_user = PluggableAuthService._findUser
    lines = []
    state = generator.generate(portal, documents=12, agencies=2, batch=5, commit=False,
                               log=lines.append)
    assert PluggableAuthService._findUser is find_user  # users remembered only while documents are made
    assert state["agencies"] == 2 and state["steps"] == 12
    root = "/".join(portal.getPhysicalPath())
    generated = {f"{root}/{path}" for path in generator.progress(portal)["agency_paths"]}
    agencies = [b for b in api.content.find(portal_type="Agency", unrestricted=True)
                if b.getPath() in generated]
    assert len(agencies) == 2 and count(portal_type="Agency") == before["agencies"] + 2
    assert {b.Title for b in agencies} <= {p["title"] for p in generator.plan_agencies(2)}
    users = [u for u in api.user.get_users() if u.getId().endswith(".vanthu")]
    assert len(users) == before["clerks"] + 2
    # generated accounts (@example.invalid): in-app notifications, no e-mail queued
    from dongthap.qlvb.notifications import api as notifications
    from dongthap.qlvb.notifications import store

    clerk = generator._username(generator.plan_agencies(1)[0], "vanthu")
    assert notifications.prefs(clerk)["email"] is False
    assert any(len(store.box(portal, generator._username(plan, suffix)).items)
               for plan in generator.plan_agencies(2) for suffix, _r, _j in generator.STAFF
               if store.box(portal, generator._username(plan, suffix)) is not None)
    assert any("CPU by kind of step" in line for line in lines)

    added = count(portal_type=["IncomingDocument", "OutgoingDocument"]) - before["documents"]
    # every step made one document, except a registration of a copy delivered before
    assert added == state["documents"] + state["copies"]
    assert state["issued"] >= 1 and state["copies"] >= 1
    issued = [b for b in api.content.find(portal_type="OutgoingDocument", review_state="issued",
                                          unrestricted=True)
              if any(b.getPath().startswith(p + "/") for p in generated)]
    assert len(issued) == state["issued"]
    assert any(b.getObject().legal_validity for b in issued)
    assert any("docs/s" in line for line in lines)

    # gap-free: each register of each agency holds 1…n
    assert generated_data.gaps(portal, generator.progress(portal)["agency_paths"]) == {}

    # resumable: the same targets again add nothing; a larger target continues
    again = generator.generate(portal, documents=12, agencies=2, batch=5, commit=False, log=lines.append)
    assert again["steps"] == 12 and again["documents"] == state["documents"]
    assert count(portal_type="Agency") == before["agencies"] + 2
    more = generator.generate(portal, documents=18, agencies=2, batch=5, commit=False, log=lines.append)
    assert more["steps"] == 18 and more["documents"] > state["documents"]
    added = count(portal_type=["IncomingDocument", "OutgoingDocument"]) - before["documents"]
    assert added == more["documents"] + more["copies"]
    generated_data.assert_steps_made_once(portal, 18, 2)
    assert generated_data.gaps(portal, generator.progress(portal)["agency_paths"]) == {}


    _two_workers_then_one_process(portal, 18, before["documents"])

def test_plan_is_the_province():
    plans = generator.plan_agencies(1000)
    assert len(plans) == 1000
    assert len({p["code"] for p in plans}) == 1000
    assert sum(p["level"] == "commune" for p in plans) == 102
    assert plans[0]["title"] == "UBND tỉnh Đồng Tháp" and plans[3]["title"] == "Sở Nội vụ"
    assert os.path.commonprefix([p["code"][-3:] for p in plans]) == "H20"


def test_parallel_mode_refuses_a_single_process_storage(tmp_path):
    from ZODB.blob import BlobStorage
    from ZODB.FileStorage import FileStorage

    storage = BlobStorage(str(tmp_path / "blobs"), FileStorage(str(tmp_path / "Data.fs")))  # as zope.conf
    try:
        generator.refuse_single_process_storage(storage, 1)
        with pytest.raises(generator.PlanMismatch, match="là FileStorage.*needs RelStorage"):
            generator.refuse_single_process_storage(storage, 3)
    finally:
        storage.close()


def test_agency_owners_share_the_steps_evenly():
    for count, workers in ((4, 2), (40, 2), (250, 3), (1000, 8)):
        owners = generator.agency_owners(count, workers)
        assert owners == generator.agency_owners(count, workers)  # deterministic: resumable
        assert set(owners) == set(range(workers))
        weights = generator.agency_weights(count)
        assert abs(sum(weights) - 1) < 1e-9
        loads = [0.0] * workers
        for weight, owner in zip(weights, owners, strict=True):
            loads[owner] += weight
        if count >= 40:
            assert max(loads) - min(loads) < 0.1 / workers, loads
    # the expected shares are what pick_agency draws
    import random

    rng, drawn = random.Random(1), [0] * 40
    for _i in range(20000):
        drawn[generator.pick_agency(rng, 40)] += 1
    for a, weight in enumerate(generator.agency_weights(40)):
        assert abs(drawn[a] / 20000 - weight) < 0.01, a


def _two_workers_then_one_process(portal, first, before):
    """Workers 0 and 1 in turn after ``first`` one-process steps (in one process: the conflicts
    are the RelStorage test's, tests/instance), then the one-process run takes over once both
    have finished."""
    def count(**query):
        return len(api.content.find(unrestricted=True, **query))

    lines = []
    share = {"agencies": 2, "workers": 2, "batch": 3, "commit": False, "log": lines.append}
    runs = [generator.generate_share(portal, documents=first + 10, worker=k, **share) for k in (0, 1)]
    state = runs[1]
    assert state["steps"] == first + 10 and state["workers"] == 2 and state["agencies"] == 2
    assert sum(run["run_steps"] for run in runs) == 10 and all(run["run_steps"] for run in runs)
    par = generator.progress(portal)["parallel"]
    assert [r["next"] for r in par["records"]] == [first + 10, first + 10]
    assert any(line.startswith("[worker 1/2] done: ") for line in lines)

    # every step made once: incoming steps carry their index in the notation, outgoing ones are counted
    generated_data.assert_steps_made_once(portal, first + 10, 2)
    added = count(portal_type=["IncomingDocument", "OutgoingDocument"]) - before
    assert added == state["documents"] + state["copies"]
    assert generated_data.gaps(portal, generator.progress(portal)["agency_paths"]) == {}

    # run again: nothing to do; another number of workers is refused while they have not all finished
    again = generator.generate_share(portal, documents=first + 10, worker=1, **share)
    assert again["run_steps"] == 0 and again["steps"] == first + 10
    generator.generate_share(portal, documents=first + 12, worker=0, **share)
    with pytest.raises(generator.PlanMismatch, match="--processes 2 --agencies 2"):
        generator.generate(portal, documents=first + 14, agencies=2, commit=False, log=lines.append)
    generator.generate_share(portal, documents=first + 12, worker=1, **share)
    # both at step first + 12: the one-process run adds them up and continues
    more = generator.generate(portal, documents=first + 14, agencies=2, batch=3, commit=False,
                              log=lines.append)
    assert more["steps"] == first + 14 and "parallel" not in generator.progress(portal)
    added = count(portal_type=["IncomingDocument", "OutgoingDocument"]) - before
    assert added == more["documents"] + more["copies"]
    generated_data.assert_steps_made_once(portal, first + 14, 2)
