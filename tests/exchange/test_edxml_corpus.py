"""Packages imitating other vendors' quirks: be tolerant, report what is odd."""

from __future__ import annotations

import datetime

import pytest
from exchange_samples import FINANCE, PROVINCE, SENDER, VPCP

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.edxml.constants import VN_TZ


def load(corpus_dir, name, **kw):
    return edxml.parse((corpus_dir / name).read_bytes(), **kw)


def codes(pkg):
    return [w.code for w in pkg.warnings]


def test_cid_prefix_matched_with_and_without(corpus_dir):
    pkg = load(corpus_dir, "vendor_cid_prefix.xml")
    assert [a.content_id for a in pkg.attachments] == [
        "5b3f0c2e-aaaa-4bbb-8ccc-0123456789ab", "PHULUC-01"]
    main, annex = pkg.attachments
    assert main.data.startswith(b"%PDF-1.4") and main.detected_type == "application/pdf"
    assert not main.type_mismatch
    # "<cid:PHULUC-01>" matches the manifest's "cid:phuluc-01": name taken from the manifest
    assert annex.attachment_name == "phu_luc_01.pdf"
    assert pkg.warnings == []
    assert pkg.message_header.other_info.priority == 1
    assert pkg.message_header.from_.organ_id == VPCP
    assert annex.data == main.data


def test_business_spelling_and_organ_in_charge(corpus_dir):
    pkg = load(corpus_dir, "vendor_business_spelling.xml")
    b = pkg.trace_header_list.bussiness
    assert b is not None
    assert b.bussiness_doc_type == edxml.DOCTYPE_REVOKE
    assert b.bussiness_doc_reason == "Ban hành nhầm đối tượng"
    assert b.document_id == f"{SENDER},2024/06/01,87/STTTT-VP"
    assert b.staff_info == edxml.StaffInfo("Văn phòng", "Nguyễn Thị Lan", "0912345678",
                                           "lan@dongthap.gov.vn")
    assert pkg.message_header.from_.organization_in_charge == "UBND tỉnh Đồng Tháp"
    assert pkg.message_header.to[0].organization_in_charge == "UBND tỉnh Đồng Tháp"
    assert pkg.warnings == []


def test_reordered_elements(corpus_dir):
    pkg = load(corpus_dir, "vendor_reordered.xml")
    mh = pkg.message_header
    assert mh.from_.organ_id == "000.00.31.H20"
    assert [o.organ_id for o in mh.to] == ["000.00.03.H20", SENDER]
    assert mh.code == edxml.Code("215", "KH-UBND")
    assert mh.promulgation_info == edxml.PromulgationInfo("Cao Lãnh", datetime.date(2024, 6, 28))
    assert mh.other_info.priority == 2 and mh.other_info.page_amount == 12
    assert mh.other_info.appendixes == ["Phụ lục I", "Phụ lục II"]
    assert mh.response_for[0].code == "10/SNV-VP"
    assert mh.due_date == datetime.date(2024, 7, 15)
    hops = pkg.trace_header_list.trace_headers
    assert [h.organ_id for h in hops] == ["000.00.31.H20", PROVINCE]
    assert pkg.trace_header_list.bussiness.paper == 1
    assert edxml.validate(pkg, today=datetime.date(2024, 7, 1)) == []


def test_dd_mm_yyyy_dates(corpus_dir):
    pkg = load(corpus_dir, "vendor_ddmmyyyy.xml")
    mh = pkg.message_header
    assert mh.promulgation_info.promulgation_date == datetime.date(2024, 2, 9)
    assert mh.due_date == datetime.date(2024, 2, 29)
    assert pkg.trace_header_list.trace_headers[0].timestamp == datetime.datetime(
        2024, 2, 9, 16, 45, 30, tzinfo=VN_TZ)
    # the impossible date is reported, not fatal
    assert mh.response_for[0].promulgation_date is None
    [warning] = pkg.warnings
    assert warning.code == "invalid-date"
    assert warning.path == "MessageHeader/ResponseFor[1]/PromulgationDate"
    assert "31/13/2024" in warning.message_vi and "31/13/2024" in warning.message_en


def test_zip_attachment_with_wrong_declared_type(corpus_dir):
    pkg = load(corpus_dir, "vendor_zip_wrong_type.xml")
    [att] = pkg.attachments
    assert att.content_type == "application/pdf"  # what was declared stays visible
    assert att.detected_type == "application/zip"  # what it really is
    assert att.type_mismatch
    assert att.data.startswith(b"PK\x03\x04")
    [warning] = pkg.warnings
    assert warning.code == "attachment-type-mismatch" and warning.severity == "warning"
    assert warning.path == "AttachmentEncoded/Attachment[1]"


def test_unprefixed_signature_is_kept(corpus_dir):
    pkg = load(corpus_dir, "vendor_unprefixed_signature.xml")
    assert pkg.signature_xml is not None
    assert b"SignatureValue" in pkg.signature_xml
    assert b"ZmFrZS1zaWduYXR1cmU=" in pkg.signature_xml
    assert pkg.message_header.code.code_notation == "QĐ-UBND"
    assert pkg.warnings == []


def test_short_agency_ids_warn(corpus_dir):
    pkg = load(corpus_dir, "vendor_short_agency_id.xml")
    assert pkg.message_header.from_.organ_id == "H20.31"
    assert [(w.code, w.path) for w in pkg.warnings] == [
        ("organ-id-format", "MessageHeader/From/OrganId"),
        ("organ-id-format", "MessageHeader/To[2]/OrganId"),
    ]
    problems = edxml.validate(pkg, today=datetime.date(2024, 3, 1))
    assert all(p.severity == "warning" for p in problems)
    assert len(problems) == 2


def test_not_well_formed_raises_cleanly(corpus_dir):
    with pytest.raises(edxml.ParseError, match="not well-formed"):
        load(corpus_dir, "vendor_not_well_formed.xml")


def test_not_well_formed_can_be_recovered(corpus_dir):
    pkg = load(corpus_dir, "vendor_not_well_formed.xml", recover=True)
    assert pkg.message_header.code == edxml.Code("9", "STTTT-BCVT")
    assert pkg.message_header.to[0].organ_id == PROVINCE
    assert codes(pkg)[0] == "xml-recovered"
    assert pkg.warnings[0].severity == "error"


def test_no_namespace_and_bad_number(corpus_dir):
    pkg = load(corpus_dir, "vendor_no_namespace.xml")
    assert isinstance(pkg, edxml.DocumentPackage)
    assert pkg.message_header.promulgation_info.promulgation_date == datetime.date(2023, 12, 30)
    assert pkg.message_header.other_info.priority is None
    assert [(w.code, w.path) for w in pkg.warnings] == [
        ("invalid-number", "MessageHeader/OtherInfo/Priority")]


def test_status_with_reordered_fields_and_short_code(corpus_dir):
    pkg = load(corpus_dir, "vendor_status_ddmmyyyy.xml")
    assert isinstance(pkg, edxml.StatusPackage)
    mh = pkg.message_header
    assert mh.status_code == "03"
    assert mh.timestamp == datetime.datetime(2024, 3, 21, 7, 5, 9, tzinfo=VN_TZ)
    assert mh.response_for.promulgation_date == datetime.date(2024, 3, 20)
    assert mh.response_for.organ_id == VPCP
    assert mh.from_.organization_in_charge == "UBND tỉnh Đồng Tháp"
    assert mh.staff_info.department == "Văn thư"
    assert edxml.validate(pkg) == []


def test_undecodable_attachment_reported(corpus_dir):
    pkg = load(corpus_dir, "vendor_bad_base64.xml")
    [att] = pkg.attachments
    assert att.data == b""
    assert codes(pkg) == ["attachment-decode"]


@pytest.mark.parametrize("name", [
    "vendor_cid_prefix.xml", "vendor_business_spelling.xml", "vendor_reordered.xml",
    "vendor_ddmmyyyy.xml", "vendor_zip_wrong_type.xml", "vendor_unprefixed_signature.xml",
    "vendor_short_agency_id.xml", "vendor_no_namespace.xml", "vendor_status_ddmmyyyy.xml",
    "vendor_bad_base64.xml",
])
def test_corpus_normalises_to_strict_output(corpus_dir, name):
    """Whatever we accepted, we can re-emit strictly and read back the same."""
    pkg = load(corpus_dir, name)
    kw = {} if pkg.kind == "status" else {"today": datetime.date(2030, 1, 1)}
    errors = [p for p in edxml.validate(pkg, **kw) if p.is_error]
    if errors:  # strict in what we send: refused, with every reason
        with pytest.raises(edxml.InvalidPackageError) as info:
            edxml.build(pkg, **kw)
        assert info.value.problems == errors
        return
    again = edxml.parse(edxml.build(pkg, **kw))
    assert again == pkg


def test_every_corpus_file_is_tested(corpus_dir):
    names = {p.name for p in corpus_dir.glob("*.xml")}
    assert len(names) == 11
    assert FINANCE  # sample constants importable


def test_manifest_and_attachments_disagree():
    from exchange_samples import make_document

    data = edxml.build_document(make_document(), today=datetime.date(2024, 3, 10))
    # drop the second attachment's body, and make the first one unknown to the manifest
    start = data.index(b"<Attachment><ContentId>a2</ContentId>")
    end = data.index(b"</Attachment>", start) + len(b"</Attachment>")
    data = data[:start] + data[end:]
    data = data.replace(b"<Attachment><ContentId>a1</ContentId>", b"<Attachment><ContentId>zz</ContentId>")
    pkg = edxml.parse(data)
    assert [a.content_id for a in pkg.attachments] == ["zz"]
    assert [(w.code, w.path) for w in pkg.warnings] == [
        ("attachment-unreferenced", "AttachmentEncoded/Attachment[1]"),
        ("attachment-missing", "edXMLBody/edXMLManifest/Reference[1]"),
        ("attachment-missing", "edXMLBody/edXMLManifest/Reference[2]"),
    ]
