"""Re-verification of every document after a trust-store change: queued, then checked in batches."""

from __future__ import annotations

import transaction
from plone import api
from plone_helpers import make_doc
from test_plone_api import as_manager, sign_both

from dongthap.qlvb.signing import reverify
from dongthap.qlvb.signing import settings as cfg


def _three_signed(stttt, pdf_bytes):
    docs = []
    for i in range(3):
        doc = make_doc(stttt, pdf_bytes, f"vb-kiem-tra-lai-{i}")
        sign_both(doc)
        assert doc.legal_validity == "legal"
        docs.append(doc)
    return docs


def _untrust_demo_root(demo_pki):
    assert cfg.remove_trusted(cfg.fingerprint(demo_pki.root.certificate()))


def test_batches_until_done(stttt, pdf_bytes, demo_pki):
    docs = _three_signed(stttt, pdf_bytes)
    _untrust_demo_root(demo_pki)
    assert all(d.legal_validity == "legal" for d in docs)  # nothing changes by itself
    job = reverify.request(userid="qtht")
    total = job["total"]
    assert total >= 3 and job["done"] == 0 and job["remaining"] == total
    assert reverify.run_batch(limit=2) == 2
    job = reverify.status()
    assert (job["done"], job["remaining"], job["finished_at"]) == (2, total - 2, None)
    while reverify.run_batch(limit=2):
        pass
    job = reverify.status()
    assert job["done"] == total and job["remaining"] == 0 and job["finished_at"]
    assert job["failed"] == 0
    for doc in docs:
        assert doc.legal_validity == "reference"
        codes = {p["code"] for s in doc.signature_report["signatures"] for p in s["problems"]}
        assert "untrusted" in codes
    assert reverify.run_batch() == 0  # finished: nothing more to do


def test_deleted_document_is_skipped(stttt, pdf_bytes, demo_pki):
    docs = _three_signed(stttt, pdf_bytes)
    total = reverify.request()["total"]
    with api.env.adopt_roles(["Manager"]):
        api.content.delete(obj=docs[0])
    while reverify.run_batch(limit=10):
        pass
    job = reverify.status()
    assert job["finished_at"] and job["total"] == total - 1 and job["done"] == total - 1


def test_the_worker_round_runs_a_batch(stttt, pdf_bytes, demo_pki, monkeypatch):
    """No exchange configured: the worker round still checks a batch and commits it."""
    from dongthap.qlvb.exchange import worker

    monkeypatch.setattr(transaction, "commit", lambda: transaction.savepoint(optimistic=True))
    docs = _three_signed(stttt, pdf_bytes)
    _untrust_demo_root(demo_pki)
    reverify.request()
    result = worker.run_once(api.portal.get())
    assert result["configured"] is False and result["reverified"] > 0
    while worker.run_once(api.portal.get())["reverified"]:
        pass
    assert all(d.legal_validity == "reference" for d in docs)


def test_control_panel_queues_and_shows_progress(sdemo, stttt, pdf_bytes, demo_pki):
    from plone.protect import createToken

    docs = _three_signed(stttt, pdf_bytes)
    _untrust_demo_root(demo_pki)
    as_manager(sdemo)
    request = sdemo.REQUEST
    request.method = "POST"
    request.form.update({"action": "reverify", "_authenticator": createToken()})
    html = sdemo.restrictedTraverse("@@qlvb-chu-ky-so")()
    job = reverify.status()
    # the demo site has fewer signed documents than one batch: done at once
    assert job["total"] < reverify.BATCH and job["done"] == job["total"] and job["finished_at"]
    assert f"{job['total']} văn bản sẽ được kiểm tra lại chữ ký số: đã kiểm tra {job['done']}" in html
    assert "Lần kiểm tra lại toàn bộ gần nhất" in html
    assert all(d.legal_validity == "reference" for d in docs)
    # a bigger site: the page says the rest runs in the background
    reverify.request()
    reverify.run_batch(limit=1)
    request.method = "GET"
    html = sdemo.restrictedTraverse("@@qlvb-chu-ky-so")()
    assert f"đã kiểm tra 1/{job['total']} văn bản, phần còn lại đang được kiểm tra trong nền" in html
