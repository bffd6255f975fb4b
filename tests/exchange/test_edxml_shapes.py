"""Shapes deployed senders use (issue 12, items 1-4, 6), read by the library; packages we write."""

from __future__ import annotations

import datetime
import zipfile

import pytest
from exchange_samples import (
    ACCEPTED_SHAPES,
    docx_bytes,
    make_document,
    shape_attachment_data,
    shape_leading_bytes,
    shape_sdk_replace,
    shape_sdk_revoke,
    shape_trace_hop_without_organ,
    shape_undeclared_xlink,
    zip_of,
)

from dongthap.qlvb.exchange import edxml
from dongthap.qlvb.exchange.acceptance import read_package
from dongthap.qlvb.exchange.edxml import mainfile
from dongthap.qlvb.exchange.edxml.rules import errors, replaced_document_ids, target_document_id

TODAY = datetime.date(2024, 4, 1)
PDF = b"%PDF-1.7\n" + b"0" * 2000


def test_trace_hop_without_organ_id_is_a_warning_and_kept():
    pkg = edxml.parse(shape_trace_hop_without_organ(make_document()))
    hops = pkg.trace_header_list.trace_headers
    assert [h.organ_id for h in hops] == ["000.00.14.H20", ""]
    assert hops[1].timestamp is not None  # what is there is kept
    problems = edxml.validate(pkg, today=TODAY)
    assert errors(problems) == []
    [warning] = [p for p in problems if p.code == "trace-hop-incomplete"]
    assert warning.path == "TraceHeaderList/TraceHeader[2]/OrganId" and not warning.is_error


def test_sdk_revoke_without_bussiness_document_id_targets_the_header_id():
    original = make_document()
    pkg = edxml.parse(shape_sdk_revoke(original))
    assert pkg.trace_header_list.bussiness.document_id == ""
    assert errors(edxml.validate(pkg, today=TODAY)) == []
    assert target_document_id(pkg) == original.message_header.document_id


def test_sdk_replace_without_ids_replaces_the_header_id():
    pkg = edxml.parse(shape_sdk_replace(make_document(), "000.00.00.G22,2024/03/01,9/VPCP"))
    assert pkg.business_doc_type == edxml.DOCTYPE_REPLACE
    assert errors(edxml.validate(pkg, today=TODAY)) == []
    assert replaced_document_ids(pkg) == ["000.00.00.G22,2024/03/01,9/VPCP"]


def test_attachment_data_form_is_read():
    original = make_document()
    pkg = edxml.parse(shape_attachment_data(original))
    assert [(a.attachment_name, a.data) for a in pkg.attachments] == [
        (a.attachment_name, a.data) for a in original.attachments]
    assert pkg.attachments[0].detected_type == "application/pdf"
    assert [a.content_id for a in pkg.attachments] == ["attachment-1", "attachment-2"]
    assert pkg.warnings == []


def test_attachment_data_as_own_text_with_attributes():
    data = edxml.build_document(make_document())
    block = (b'<edXMLAttachments><AttachmentData ContentId="cid:a1" AttachmentName="vb.pdf" '
             b'ContentType="application/pdf">' + __import__("base64").b64encode(PDF)
             + b"</AttachmentData></edXMLAttachments>")
    start, end = data.index(b"<AttachmentEncoded>"), data.index(b"</AttachmentEncoded>")
    data = data[:start] + block + data[end + len(b"</AttachmentEncoded>"):]
    pkg = edxml.parse(data)
    assert [(a.content_id, a.attachment_name, a.data) for a in pkg.attachments] == [("a1", "vb.pdf", PDF)]
    # the manifest's second reference has no file: reported, as for the other form
    assert [w.code for w in pkg.warnings] == ["attachment-missing"]


@pytest.mark.parametrize("shape", [shape_undeclared_xlink, shape_leading_bytes])
def test_namespace_slips_are_read_in_tolerant_mode_with_the_repair_noted(shape):
    data = shape(make_document())
    with pytest.raises(edxml.ParseError):
        edxml.parse(data)  # strict: refused
    pkg = read_package(data)
    assert len(pkg.attachments) == 2 and pkg.message_header.code.code_number == "125"
    [warning] = pkg.warnings
    assert warning.code == "xml-repaired" and not warning.is_error
    assert "sửa tự động" in warning.message_vi


def test_unsafe_xml_is_never_read_tolerantly():
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><edXML>&a;</edXML>'
    with pytest.raises(edxml.UnsafeXMLError):
        read_package(b"junk" + bomb)


def test_size_limit_is_the_given_one():
    data = edxml.build_document(make_document())
    with pytest.raises(edxml.PackageTooLargeError):
        read_package(data, max_size=len(data) - 1)
    assert read_package(data, max_size=len(data)).message_header.code.code_number == "125"


# -- which file is the document ---------------------------------------------------------------
def att(name, data, ctype=""):
    return edxml.Attachment(name, name, "", ctype, data)


def test_bare_pdf_is_the_document():
    choice = mainfile.choose([att("a.zip", zip_of({"x.pdf": PDF})), att("b.pdf", PDF), att("c.pdf", PDF)])
    assert choice.mode == "pdf" and choice.verifiable and choice.main_name == "b.pdf"
    assert [a.attachment_name for a in choice.pdf_attachments] == ["c.pdf"]
    assert [a.attachment_name for a in choice.kept] == ["a.zip"]


def test_the_only_pdf_of_a_zip_is_taken_out_and_the_zip_kept():
    choice = mainfile.choose([att("vb.zip", zip_of({"dir/ky_so.pdf": PDF, "readme.txt": b"x"}))])
    assert choice.mode == "zip-pdf" and not choice.verifiable
    assert (choice.main_name, choice.main_data, choice.main_type) == ("ky_so.pdf", PDF, "application/pdf")
    assert [a.attachment_name for a in choice.kept] == ["vb.zip"]


def test_zip_with_two_pdfs_is_kept_as_sent():
    choice = mainfile.choose([att("vb.zip", zip_of({"a.pdf": PDF, "b.pdf": PDF}))])
    assert choice.mode == "as-sent" and choice.main_name == "vb.zip" and choice.kept == []


def test_word_file_is_the_document_as_sent():
    docx = docx_bytes()
    choice = mainfile.choose([att("ghi-chu.txt", b"hello"), att("cv.docx", docx)])
    assert choice.mode == "as-sent" and choice.main_data == docx
    assert choice.main_type.endswith("wordprocessingml.document")
    assert [a.attachment_name for a in choice.kept] == ["ghi-chu.txt"]


def test_zip_bomb_is_not_extracted():
    bomb = zip_of({"bomb.pdf": b"%PDF-" + b"\0" * (3 * 1024 * 1024)})  # compresses ~1000:1
    assert mainfile.pdf_in_zip(bomb) is None  # ratio
    assert mainfile.pdf_in_zip(zip_of({"a.pdf": PDF}), max_member=100) is None  # size cap
    many = zip_of({f"f{i}.txt": b"" for i in range(mainfile.MAX_ZIP_MEMBERS + 1)} | {"a.pdf": PDF})
    assert mainfile.pdf_in_zip(many) is None
    assert mainfile.pdf_in_zip(zip_of({"a.pdf": b"not a pdf"})) is None
    assert mainfile.pdf_in_zip(b"PK\x03\x04 broken") is None


def test_no_file_at_all():
    assert mainfile.choose([]).main is None


def test_every_accepted_shape_reads_as_a_valid_document():
    for name, build in ACCEPTED_SHAPES.items():
        pkg = read_package(build(make_document()))
        assert errors(edxml.validate(pkg, today=TODAY)) == [], name
        assert any(a.detected_type == "application/pdf" for a in pkg.attachments), name


def test_zip_extraction_reads_only_the_pdf_member(monkeypatch):
    data = zip_of({"a.pdf": PDF, "virus.exe": b"MZ" + b"\0" * 100})
    opened = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *args, **kw):
        opened.append(getattr(name, "filename", name))
        return real_open(self, name, *args, **kw)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    assert mainfile.pdf_in_zip(data) == ("a.pdf", PDF)
    assert opened == ["a.pdf"]


def test_axis_transport_can_fetch_a_package_of_the_one_limit(monkeypatch):
    from dongthap.qlvb.exchange import settings

    monkeypatch.setenv("QLVB_AXIS_SECRET", "s3cret")
    monkeypatch.setenv("QLVB_EXCHANGE_MAX_PACKAGE_MB", "60")
    config = {"transport": "axis", "axis_url": "https://axis.example", "axis_system_id": "sys",
              "axis_secret_env": "QLVB_AXIS_SECRET", "axis_secret_file": ""}
    transport = settings.get_transport(config)
    assert transport.max_response_size >= 60 * 1024 * 1024 * 4 // 3
    monkeypatch.setenv("QLVB_EXCHANGE_MAX_PACKAGE_MB", "not a number")
    assert settings.max_package_mb() == settings.DEFAULT_MAX_PACKAGE_MB
