"""Packages in the shapes deployed Vietnamese systems send (issue 12, items 1-7), through the inbox.

Every package is written by these tests (``exchange_samples.shape_*``); no third-party file.
"""

from __future__ import annotations

import pytest
from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.inbox import process_package
from dongthap.qlvb.exchange.queue import KIND_STATUS
from dongthap.qlvb.exchange.storage import get_store
from dongthap.qlvb.exchange.worker import system_user
from exchange_samples import (
    ACCEPTED_SHAPES,
    shape_docx_only,
    shape_foreign_recipient,
    shape_pdf_in_zip,
    shape_sdk_replace,
    shape_sdk_revoke,
)
from plone import api
from plone_support import EXTERNAL, STTTT, external_package, pdf


def run(portal, data, **kw):
    with system_user(portal):
        return process_package(portal, data, source_id=kw.pop("source_id", "ax1"), **kw)


def queued_statuses(portal, recipient=EXTERNAL):
    store = get_store(portal)
    out = []
    for entry_id in store.pending:
        entry = store.entries[entry_id]
        if entry.kind == KIND_STATUS and entry.recipient == recipient:
            pkg = edxml.parse(entry.package)
            out.append((pkg.message_header.from_.organ_id, pkg.message_header.status_code,
                        pkg.message_header.description))
    return out


def doc_of(portal, outcome):
    [path] = outcome.documents
    return portal.unrestrictedTraverse(path)


def test_trace_hop_without_organ_id_is_received_with_a_warning(portal):
    outcome = run(portal, ACCEPTED_SHAPES["trace-hop-without-organ"](external_package()))
    assert outcome.result == "created", outcome.reason
    doc = doc_of(portal, outcome)
    hop = [w for w in outcome.warnings if "TraceHeader[2]" in w]
    assert hop and hop == [w for w in doc.qlvb_exchange["warnings"] if "TraceHeader[2]" in w]


def test_sdk_revoke_without_bussiness_document_id_recalls(portal):
    pkg = external_package()
    path = run(portal, edxml.build_document(pkg)).documents[0]
    outcome = run(portal, shape_sdk_revoke(pkg), source_id="ax2")
    assert outcome.result == "recalled", outcome.reason
    assert portal.unrestrictedTraverse(path, None) is None
    assert sorted(c for _f, c, _d in queued_statuses(portal)) == ["01", "15"]  # pending order is by id


def test_sdk_replace_under_the_replaced_id_freezes_and_links(portal):
    old_pkg = external_package(number="10")
    old = doc_of(portal, run(portal, edxml.build_document(old_pkg)))
    data = shape_sdk_replace(external_package(number="11"), old_pkg.message_header.document_id)
    outcome = run(portal, data, source_id="ax2")
    assert outcome.result == "created", outcome.reason
    new = doc_of(portal, outcome)
    assert new is not old and new.code_number == "11"
    assert new.qlvb_exchange["replaces"] == [api.content.get_uuid(old)]
    assert old.qlvb_recalled["replaced_by"] == api.content.get_uuid(new)
    # the same replacement delivered again is a duplicate
    assert run(portal, data, source_id="ax3").result == "duplicate"


def test_attachment_data_form_keeps_the_bytes(portal):
    outcome = run(portal, ACCEPTED_SHAPES["attachment-data"](external_package()))
    assert outcome.result == "created", outcome.reason
    doc = doc_of(portal, outcome)
    assert bytes(doc.file.data) == pdf()
    assert [f["name"] for f in doc.qlvb_exchange["other_files"]] == ["phuluc.zip"]


def test_word_only_document_is_received_as_sent_for_the_clerk(portal):
    outcome = run(portal, shape_docx_only(external_package()))
    assert outcome.result == "created", outcome.reason
    doc = doc_of(portal, outcome)
    assert api.content.get_state(doc) == "received"
    assert doc.file.filename == "cong_van.docx"
    assert doc.file.contentType.endswith("wordprocessingml.document")
    assert bytes(doc.file.data).startswith(b"PK")
    assert doc.qlvb_exchange["legal_validity"] == "reference" and doc.legal_validity == "reference"
    assert doc.qlvb_exchange["received_as"] == "as-sent"
    assert any("cong_van.docx" in w for w in outcome.warnings)
    assert [c for _f, c, _d in queued_statuses(portal)] == ["01"]
    # the clerk opens it like any received document
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides
    from dongthap.qlvb.interfaces import IQlvbLayer

    request = portal.REQUEST
    alsoProvides(request, IQlvbLayer)
    with api.env.adopt_user(username="stttt.vanthu"):
        html = getMultiAdapter((doc, request), name="xem-van-ban-den")()
    assert doc.title in html


def test_pdf_inside_a_zip_is_taken_out(portal):
    outcome = run(portal, shape_pdf_in_zip(external_package(), pdf()))
    assert outcome.result == "created", outcome.reason
    doc = doc_of(portal, outcome)
    assert doc.file.filename == "van_ban_ky_so.pdf" and bytes(doc.file.data) == pdf()
    assert [f["name"] for f in doc.qlvb_exchange["other_files"]] == ["van_ban.zip"]  # stored as sent
    assert doc.qlvb_exchange["legal_validity"] == "reference"
    assert doc.qlvb_exchange["received_as"] == "zip-pdf"


@pytest.mark.parametrize("code", ["vxp.saas.03", "G12", "28.22.H17"])
def test_foreign_recipient_is_answered_02_from_our_agency_and_listed(portal, code):
    pkg = external_package(number="77")
    outcome = run(portal, shape_foreign_recipient(pkg, code), source_id="ax-foreign")
    assert outcome.result == "refused" and "Không có cơ quan nhận" in outcome.reason
    [(sender, status, reason)] = queued_statuses(portal)
    assert status == "02" and code in reason
    agencies = {b.qlvb_agency_code for b in api.content.find(portal_type="Agency", unrestricted=True)}
    assert sender in agencies  # answered in the name of this site, never of the foreign code
    from dongthap.qlvb.exchange.refusals import list_problems

    [item] = [i for i in list_problems() if i["source_id"] == "ax-foreign"]
    assert item["reason"] == outcome.reason and item["addressed"] == [code]
    assert item["sender"] == EXTERNAL and item["code"] == "77/VPCP-KGVX" and item["answered"]
    assert item["date"][2] == "/" and item["date"][5] == "/"  # dd/mm/yyyy
    # posted to the wrong place: every agency's clerk sees it
    assert any(i["source_id"] == "ax-foreign" for i in list_problems(STTTT))


def test_import_refusal_is_listed_for_the_importing_agency_only(portal):
    from dongthap.qlvb.exchange.refusals import list_problems

    with system_user(portal):
        outcome = process_package(portal, shape_foreign_recipient(external_package(), "G12"),
                                  source="import", agency=portal["so-tttt"])
    assert outcome.result == "refused"
    [item] = [i for i in list_problems(STTTT) if i["reason"] == outcome.reason]
    assert item["agency"] == STTTT and item["answered_by"] == STTTT
    assert not any(i["reason"] == outcome.reason for i in list_problems("000.00.09.H20"))


@pytest.mark.parametrize("shape", ["undeclared-xlink", "leading-bytes"])
def test_namespace_slips_are_repaired_and_noted(portal, shape):
    outcome = run(portal, ACCEPTED_SHAPES[shape](external_package()))
    assert outcome.result == "created", outcome.reason
    doc = doc_of(portal, outcome)
    assert outcome.warnings and doc.qlvb_exchange["warnings"][0] == outcome.warnings[0]
    assert "XML" in outcome.warnings[0]


def test_package_over_the_limit_is_refused_naming_the_limit(portal, monkeypatch):
    monkeypatch.setenv("QLVB_EXCHANGE_MAX_PACKAGE_MB", "1")
    pkg = external_package()
    pkg.attachments.append(edxml.Attachment("big", "phuluc2.pdf", "", "application/pdf",
                                            b"%PDF-1.4\n" + b"1" * (1024 * 1024)))
    outcome = run(portal, edxml.build_document(pkg), sender_hint=EXTERNAL)
    assert outcome.result == "refused"
    assert "1 MiB" in outcome.reason and "định dạng" not in outcome.reason
    assert "bytes" not in outcome.reason
    monkeypatch.setenv("QLVB_EXCHANGE_MAX_PACKAGE_MB", "3")
    assert run(portal, edxml.build_document(pkg), source_id="ax2").result == "created"


def test_import_success_rate_over_our_shapes(portal):
    """Every shape of our corpus, each as its own document: all must be received."""
    shapes = dict(ACCEPTED_SHAPES)
    shapes["docx-only"] = shape_docx_only
    shapes["pdf-in-zip"] = lambda p: shape_pdf_in_zip(p, pdf())
    shapes["hop-without-organ+attachment-data"] = lambda p: ACCEPTED_SHAPES["attachment-data"](p).replace(
        b"</edXML:TraceHeader>", b"</edXML:TraceHeader><edXML:TraceHeader><edXML:Timestamp>"
        b"2024/03/05 09:01:02</edXML:Timestamp></edXML:TraceHeader>", 1)
    results = {}
    for i, (name, build) in enumerate(shapes.items(), 1):
        outcome = run(portal, build(external_package(number=str(300 + i))), source_id=f"shape{i}")
        results[name] = (outcome.result, outcome.reason)
    original = external_package(number="400")
    run(portal, edxml.build_document(original), source_id="orig400")
    results["sdk-revoke"] = (run(portal, shape_sdk_revoke(original), source_id="rev400").result, "")
    old = external_package(number="401")
    run(portal, edxml.build_document(old), source_id="orig401")
    replace = shape_sdk_replace(external_package(number="402"), old.message_header.document_id)
    results["sdk-replace"] = (run(portal, replace, source_id="rep402").result, "")
    accepted = [n for n, (result, _r) in results.items() if result in ("created", "recalled")]
    print(f"\nimport success rate over our shapes: {len(accepted)}/{len(results)} "
          f"({100 * len(accepted) // len(results)} %)")
    for name, (result, reason) in results.items():
        print(f"  {name:32} {result} {reason}")
    assert accepted == list(results), results
