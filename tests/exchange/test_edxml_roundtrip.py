"""build → parse → equal, and the strictness of what we build."""

from __future__ import annotations

import base64
import datetime

import pytest
from exchange_samples import FINANCE, PROVINCE, SENDER, VPCP, make_document, make_status
from lxml import etree

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.edxml.constants import NS, VN_TZ

E = f"{{{NS}}}"
STANDARD_ORDER = [
    "From", "To", "DocumentId", "Code", "PromulgationInfo", "DocumentType", "Subject",
    "Content", "SignerInfo", "DueDate", "OtherInfo", "ResponseFor", "SteeringType", "ToPlaces",
]


def roundtrip(pkg):
    data = edxml.build(pkg)
    back = edxml.parse(data)
    assert back.warnings == []
    return data, back


def test_new_document_roundtrip(document):
    _data, back = roundtrip(document)
    assert back == document
    assert back.attachments[0].data == document.attachments[0].data


def test_roundtrip_detects_a_difference(document):
    _data, back = roundtrip(document)
    back.message_header.to[1].organ_id = VPCP
    assert back != document


def test_revoke_roundtrip():
    pkg = make_document()
    pkg.trace_header_list.bussiness = edxml.Bussiness(
        document_id=f"{SENDER},2024/03/01,120/STTTT-VP", bussiness_doc_type=edxml.DOCTYPE_REVOKE,
        bussiness_doc_reason="Ban hành nhầm", paper=1,
        staff_info=edxml.StaffInfo("VP", "Lê Thị Văn Thư"))
    pkg.attachments = []
    _data, back = roundtrip(pkg)
    assert back == pkg
    assert back.business_doc_type == edxml.DOCTYPE_REVOKE


def test_update_roundtrip():
    pkg = make_document()
    pkg.trace_header_list.bussiness = edxml.Bussiness(
        document_id=pkg.message_header.document_id, bussiness_doc_type=edxml.DOCTYPE_UPDATE,
        bussiness_doc_reason="Bổ sung nơi nhận", paper=0,
        document_info=edxml.BussinessDocumentInfo("0", "1", [
            edxml.Receiver(VPCP, 1), edxml.Receiver(FINANCE, 0)]))
    _data, back = roundtrip(pkg)
    assert back == pkg
    assert back.trace_header_list.bussiness.document_info.receiver_list[1] == edxml.Receiver(FINANCE, 0)


def test_replace_roundtrip():
    pkg = make_document()
    pkg.trace_header_list.bussiness = edxml.Bussiness(
        document_id=pkg.message_header.document_id, bussiness_doc_type=edxml.DOCTYPE_REPLACE,
        bussiness_doc_reason="Thay thế văn bản sai sót",
        replacement_info_list=[
            edxml.ReplacementInfo(f"{SENDER},2024/03/01,120/STTTT-VP", [PROVINCE, FINANCE]),
            edxml.ReplacementInfo(f"{SENDER},2024/03/02,121/STTTT-VP", [PROVINCE]),
        ])
    _data, back = roundtrip(pkg)
    assert back == pkg
    assert back.trace_header_list.bussiness.replacement_info_list[0].organ_ids == [PROVINCE, FINANCE]


@pytest.mark.parametrize("code", sorted(edxml.STATUS_CODES))
def test_status_roundtrip(code):
    pkg = make_status(code)
    data, back = roundtrip(pkg)
    assert isinstance(back, edxml.StatusPackage)
    assert back == pkg
    assert back.message_header.status_code == code
    assert f"<edXML:StatusCode>{code}</edXML:StatusCode>".encode() in data
    assert code in edxml.STATUS_LABELS


def test_minimal_document_roundtrip():
    pkg = edxml.DocumentPackage(edxml.MessageHeader(
        from_=edxml.Organization(SENDER), to=[edxml.Organization(PROVINCE)],
        code=edxml.Code("1", "TB"), promulgation_info=edxml.PromulgationInfo(
            promulgation_date=datetime.date(2024, 1, 2)), subject="Thông báo"))
    _data, back = roundtrip(pkg)
    assert back == pkg
    assert back.attachments == [] and back.trace_header_list.bussiness is None


def test_large_attachment_roundtrip():
    blob = bytes(range(256)) * (2 * 1024 * 4)  # 2 MiB
    big = edxml.Attachment("big", "big.bin", "", "application/octet-stream", blob)
    pkg = make_document(attachments=[big])
    _data, back = roundtrip(pkg)
    assert back.attachments[0].data == blob


def test_aware_timestamp_written_in_vietnam_time():
    pkg = make_status("01", timestamp=datetime.datetime(2024, 3, 6, 1, 0, 0, tzinfo=datetime.UTC))
    data = edxml.build_status(pkg)
    assert b"<edXML:Timestamp>2024/03/06 08:00:00</edXML:Timestamp>" in data
    assert edxml.parse(data).message_header.timestamp == datetime.datetime(2024, 3, 6, 8, tzinfo=VN_TZ)


# -- strictness of the output ----------------------------------------------------
def _tree(data):
    return etree.fromstring(data)


def test_every_envelope_element_is_prefixed_and_namespaced(document):
    data = edxml.build_document(document)
    root = _tree(data)
    assert root.tag == f"{E}edXML"
    envelope = root[0]
    assert envelope.tag == f"{E}edXMLEnvelope" and envelope.prefix == "edXML"
    for el in envelope.iter(etree.Element):
        assert el.prefix == "edXML", el.tag
        assert el.tag.startswith(E), el.tag


def test_message_header_children_in_standard_order(document):
    root = _tree(edxml.build_document(document))
    header = root.find(f"{E}edXMLEnvelope/{E}edXMLHeader/{E}MessageHeader")
    names = [etree.QName(c).localname for c in header]
    order = list(dict.fromkeys(names))
    assert order == STANDARD_ORDER
    assert names.count("To") == 2
    # repeated elements are contiguous
    assert names.index("ResponseFor") == names.index("OtherInfo") + 1


def test_dates_and_timestamps_formats(document):
    data = edxml.build_document(document)
    assert b"<edXML:PromulgationDate>2024/03/05</edXML:PromulgationDate>" in data
    assert b"<edXML:DueDate>2024/03/20</edXML:DueDate>" in data
    assert b"<edXML:Timestamp>2024/03/05 08:30:15</edXML:Timestamp>" in data


def test_attachments_outside_envelope_without_prefix(document):
    data = edxml.build_document(document)
    root = _tree(data)
    encoded = root.find(f"{E}AttachmentEncoded")
    assert encoded is not None and encoded.prefix is None
    assert root.find(f"{E}edXMLEnvelope//{E}Attachment") is None
    atts = encoded.findall(f"{E}Attachment")
    assert len(atts) == 2
    for att, model in zip(atts, document.attachments, strict=True):
        assert att.prefix is None
        raw = att.findtext(f"{E}ContentTransferEncoded")
        assert base64.b64decode(raw, validate=True) == model.data


def test_manifest_references_every_attachment(document):
    root = _tree(edxml.build_document(document))
    refs = root.findall(f"{E}edXMLEnvelope/{E}edXMLBody/{E}edXMLManifest/{E}Reference")
    assert [r.findtext(f"{E}ContentId") for r in refs] == ["a1", "a2"]
    assert [r.get("{http://www.w3.org/1999/xlink}href") for r in refs] == ["cid:a1", "cid:a2"]
    assert [r.findtext(f"{E}AttachmentName") for r in refs] == ["125_STTTT-VP.pdf", "phu_luc.zip"]


def test_special_characters_escaped(document):
    document.message_header.subject = 'A & B <c> "d" \x01 ]]>'
    data = edxml.build_document(document)
    back = edxml.parse(data)
    assert back.message_header.subject == 'A & B <c> "d"  ]]>'


def test_document_id_helper():
    doc_id = edxml.make_document_id(SENDER, datetime.date(2024, 3, 5), "125", "STTTT-VP")
    assert doc_id == "000.00.14.H20,2024/03/05,125/STTTT-VP"
    assert edxml.split_document_id(doc_id) == (SENDER, datetime.date(2024, 3, 5), "125", "STTTT-VP")
    assert edxml.split_document_id("5b3f0c2e-aaaa-4bbb-8ccc-0123456789ab") is None
    assert edxml.split_document_id(f"{SENDER},05/03/2024,7/QĐ-UBND")[1] == datetime.date(2024, 3, 5)


def test_labels():
    assert edxml.PRIORITY_LABELS[3] == "Hỏa tốc"
    assert set(edxml.PRIORITY_LABELS) == {0, 1, 2, 3, 4}
    assert edxml.STATUS_CODES == {"01", "02", "03", "04", "05", "06", "13", "15", "16"}
    assert edxml.STATUS_LABELS["06"] == "Hoàn thành"
