"""validate() returns every problem with its path; build refuses invalid packages."""

from __future__ import annotations

import datetime

import pytest
from exchange_samples import FINANCE, PROVINCE, make_document, make_status

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.edxml.constants import VN_TZ
from dongthap.qlvb.exchange.edxml.dates import parse_date, parse_timestamp
from dongthap.qlvb.exchange.edxml.problems import MESSAGES

TODAY = datetime.date(2024, 3, 10)


def paths(problems, severity="error"):
    return [(p.path, p.code) for p in problems if p.severity == severity]


def test_valid_document_has_no_problem(document):
    assert edxml.validate(document, today=TODAY) == []


def test_every_problem_is_reported_with_its_path():
    pkg = make_document()
    mh = pkg.message_header
    mh.from_.organ_id = ""
    mh.to = [edxml.Organization(PROVINCE), edxml.Organization(""), edxml.Organization(PROVINCE)]
    mh.code = edxml.Code("", " ")
    mh.promulgation_info.promulgation_date = None
    mh.subject = ""
    mh.other_info.priority = 7
    problems = edxml.validate(pkg, today=TODAY)
    assert paths(problems) == [
        ("MessageHeader/From/OrganId", "required"),
        ("MessageHeader/To[2]/OrganId", "required"),
        ("MessageHeader/To[3]/OrganId", "duplicate-recipient"),
        ("MessageHeader/Code/CodeNumber", "required"),
        ("MessageHeader/Code/CodeNotation", "required"),
        ("MessageHeader/PromulgationInfo/PromulgationDate", "required"),
        ("MessageHeader/Subject", "required"),
        ("MessageHeader/OtherInfo/Priority", "invalid-priority"),
    ]


def test_no_recipient():
    pkg = make_document()
    pkg.message_header.to = []
    assert paths(edxml.validate(pkg, today=TODAY)) == [("MessageHeader/To", "required")]


def test_future_promulgation_date():
    pkg = make_document()
    pkg.message_header.promulgation_info.promulgation_date = TODAY + datetime.timedelta(days=1)
    [problem] = edxml.validate(pkg, today=TODAY)
    assert problem.code == "future-date"
    assert "11/03/2024" in problem.message_vi
    assert edxml.validate(make_document(), today=datetime.date(2024, 3, 5)) == []


@pytest.mark.parametrize("priority", [0, 1, 2, 3, 4])
def test_allowed_priorities(priority):
    pkg = make_document()
    pkg.message_header.other_info.priority = priority
    assert edxml.validate(pkg, today=TODAY) == []


@pytest.mark.parametrize("priority", [-1, 5])
def test_refused_priorities(priority):
    pkg = make_document()
    pkg.message_header.other_info.priority = priority
    assert paths(edxml.validate(pkg, today=TODAY)) == [
        ("MessageHeader/OtherInfo/Priority", "invalid-priority")]


def test_messages_are_bilingual():
    pkg = make_document()
    pkg.message_header.subject = ""
    [problem] = edxml.validate(pkg, today=TODAY)
    assert problem.message_vi == "Thiếu thông tin bắt buộc: MessageHeader/Subject."
    assert problem.message_en == "Required information is missing: MessageHeader/Subject."
    for vi, en in MESSAGES.values():
        assert vi != en and vi.strip() and en.strip()


def test_non_standard_agency_ids_are_warnings():
    pkg = make_document()
    pkg.message_header.to[1].organ_id = "H20.12"
    problems = edxml.validate(pkg, today=TODAY)
    assert paths(problems) == []
    assert paths(problems, "warning") == [("MessageHeader/To[2]/OrganId", "organ-id-format")]
    edxml.build_document(pkg, today=TODAY)  # warnings do not block


def test_business_block_rules():
    pkg = make_document()
    pkg.message_header.document_id = ""  # no target anywhere (see the fallback test below)
    pkg.trace_header_list.bussiness = edxml.Bussiness(
        document_id="", bussiness_doc_type=3, paper=2,
        document_info=edxml.BussinessDocumentInfo(receiver_list=[edxml.Receiver("", 5)]))
    assert paths(edxml.validate(pkg, today=TODAY)) == [
        ("TraceHeaderList/Bussiness/Paper", "invalid-flag"),
        ("TraceHeaderList/Bussiness/DocumentId", "required"),
        ("TraceHeaderList/Bussiness/BussinessDocumentInfo/ReceiverList/Receiver[1]/OrganId", "required"),
        ("TraceHeaderList/Bussiness/BussinessDocumentInfo/ReceiverList/Receiver[1]/ReceiverType",
         "invalid-flag"),
    ]
    pkg.trace_header_list.bussiness.bussiness_doc_type = 9
    assert ("TraceHeaderList/Bussiness/BussinessDocType", "invalid-business-type") in paths(
        edxml.validate(pkg, today=TODAY))


def test_attachment_rules():
    pkg = make_document()
    pkg.attachments.append(edxml.Attachment("cid:a1", "", "", "", b"x"))
    assert paths(edxml.validate(pkg, today=TODAY)) == [
        ("AttachmentEncoded/Attachment[3]/AttachmentName", "required"),
        ("AttachmentEncoded/Attachment[3]/ContentId", "duplicate-content-id"),
    ]


@pytest.mark.parametrize("code", ["00", "07", "1", "14", "99", "abc"])
def test_status_codes_outside_the_allowed_set(code):
    problems = edxml.validate(make_status(code))
    assert paths(problems) == [("MessageHeader/StatusCode", "invalid-status-code")]
    with pytest.raises(edxml.InvalidPackageError):
        edxml.build_status(make_status(code))


def test_status_problems_all_reported():
    pkg = make_status("13", description="", timestamp=None, status_code="13")
    pkg.message_header.from_.organ_id = ""
    pkg.message_header.response_for = edxml.ResponseFor()
    assert paths(edxml.validate(pkg)) == [
        ("MessageHeader/From/OrganId", "required"),
        ("MessageHeader/ResponseFor/OrganId", "required"),
        ("MessageHeader/ResponseFor/DocumentId", "required"),
        ("MessageHeader/Description", "required"),
        ("MessageHeader/Timestamp", "required"),
    ]


def test_build_refuses_and_lists_every_problem():
    pkg = make_document()
    pkg.message_header.subject = ""
    pkg.message_header.to.append(edxml.Organization(FINANCE))
    pkg.message_header.code.code_number = ""
    with pytest.raises(edxml.InvalidPackageError) as info:
        edxml.build_document(pkg, today=TODAY)
    assert [p.path for p in info.value.problems] == [
        "MessageHeader/To[3]/OrganId", "MessageHeader/Code/CodeNumber", "MessageHeader/Subject"]
    assert "MessageHeader/Subject" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_build_checks_the_package_kind():
    with pytest.raises(TypeError):
        edxml.build_document(make_status())
    with pytest.raises(TypeError):
        edxml.build_status(make_document())


@pytest.mark.parametrize(("text", "expected"), [
    ("2024/03/05", datetime.date(2024, 3, 5)),
    ("05/03/2024", datetime.date(2024, 3, 5)),
    ("2024-03-05", datetime.date(2024, 3, 5)),
    ("5/3/2024", datetime.date(2024, 3, 5)),
    ("2024/03/05 10:11:12", datetime.date(2024, 3, 5)),
])
def test_parse_date_formats(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "2024/13/01", "31/02/2024", "hôm nay", "2024/03"])
def test_parse_date_rejects(text):
    with pytest.raises(ValueError):
        parse_date(text)


@pytest.mark.parametrize("text", [
    "2024/03/05 10:11:12", "05/03/2024 10:11:12", "2024-03-05T10:11:12", "2024-03-05T10:11:12+07:00"])
def test_parse_timestamp_formats(text):
    assert parse_timestamp(text) == datetime.datetime(2024, 3, 5, 10, 11, 12, tzinfo=VN_TZ)


def test_filetype_sniffing():
    from dongthap.qlvb.exchange.edxml import filetypes
    assert filetypes.sniff(b"%PDF-1.7") == "application/pdf"
    assert filetypes.sniff(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...") == "application/x-ole-storage"
    assert filetypes.sniff(b"hello") is None
    assert not filetypes.mismatch(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", "a.doc")
    assert filetypes.mismatch(b"%PDF-1.7", "application/msword", "a.doc")
    assert filetypes.mismatch(b"%PDF-1.7", "application/pdf", "a.docx")
    assert not filetypes.mismatch(b"%PDF-1.7", "application/octet-stream", "")
    assert not filetypes.mismatch(b"unknown bytes", "application/pdf", "a.pdf")


def test_office_documents_are_told_apart_from_plain_zip():
    import io
    import zipfile

    from dongthap.qlvb.exchange.edxml import filetypes
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    docx = buf.getvalue()
    assert filetypes.sniff(docx).endswith("wordprocessingml.document")
    assert not filetypes.mismatch(docx, "", "bao_cao.docx")
    assert filetypes.mismatch(docx, "application/pdf", "bao_cao.pdf")
    assert filetypes.sniff(b"PK\x03\x04broken") == filetypes.ZIP
