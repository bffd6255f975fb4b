"""Signing with person + agency signatures and the legal-validity verdict."""

from __future__ import annotations

import io
import json

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject
from pyhanko.sign.fields import enumerate_sig_fields
from signing_helpers import ISSUED_AT, codes

from dongthap.qlvb.signing.pdfsign import sign_agency, sign_attachment, sign_person
from dongthap.qlvb.signing.report import LEGAL, REFERENCE
from dongthap.qlvb.signing.signers import KeySigner


def test_person_and_agency_is_legal(fully_signed, verify):
    report = verify(fully_signed)
    assert report.legal_validity == LEGAL, report.to_dict()
    kinds = sorted(s.kind for s in report.signatures)
    assert kinds == ["agency", "person"]
    for sig in report.signatures:
        assert sig.ok and sig.intact and sig.trusted
        assert sig.revocation == "good"  # CRL served by the local HTTP server
    agency = next(s for s in report.signatures if s.kind == "agency")
    assert agency.covers_whole_document
    assert agency.reason == "Số: 15/QĐ-UBND; Ban hành: 2025-07-01T09:30:00+07:00"
    assert agency.location == "UBND TỈNH ĐỒNG THÁP"
    json.dumps(report.to_dict())
    text = report.summary_text()
    assert "giá trị pháp lý" in text and "Nguyễn Văn An" in text


def test_seal_overlaps_left_third_of_person_box(fully_signed):
    reader = PdfFileReader(io.BytesIO(fully_signed))
    rects = {}
    for name, _value, ref in enumerate_sig_fields(reader):
        rects[name.split("_")[1]] = [float(v) for v in ref.get_object()["/Rect"]]
    px1, py1, px2, py2 = rects["CaNhan"]
    sx1, sy1, sx2, sy2 = rects["CoQuan"]
    assert abs(sx2 - (px1 + (px2 - px1) / 3)) < 1.5
    assert sx1 < px1 and py1 < (sy1 + sy2) / 2 < py2


def test_person_only_is_reference(person_signed, verify):
    report = verify(person_signed)
    assert report.legal_validity == REFERENCE
    assert "no_valid_agency_signature" in codes(report)
    assert "no_valid_person_signature" not in codes(report)


def test_attachment_agency_only_is_reference(pdf_bytes, agency, verify):
    signed = sign_attachment(pdf_bytes, agency, "15/QĐ-UBND")
    report = verify(signed)
    assert report.legal_validity == REFERENCE
    assert "no_valid_person_signature" in codes(report)
    assert report.signatures[0].kind == "agency" and report.signatures[0].ok


def test_two_person_signatures_are_not_legal(person_signed, leader, verify):
    twice = sign_person(person_signed, leader, "Nguyễn Văn An", "CHỦ TỊCH",
                        box=(330, 250, 540, 380))
    assert verify(twice).legal_validity == REFERENCE


def test_tamper_one_byte_is_reference(fully_signed, verify):
    pos = fully_signed.index(b"ReportLab")
    tampered = fully_signed[:pos] + b"X" + fully_signed[pos + 1:]
    report = verify(tampered)
    assert report.legal_validity == REFERENCE
    assert "signature_invalid" in codes(report)
    assert not any(s.ok for s in report.signatures)


def test_every_single_byte_flip_in_signed_content_never_legal(fully_signed, verify):
    for pos in range(400, len(fully_signed), len(fully_signed) // 9):
        flipped = bytes([fully_signed[pos] ^ 0x01])
        tampered = fully_signed[:pos] + flipped + fully_signed[pos + 1:]
        assert verify(tampered, check_revocation=False).legal_validity == REFERENCE, pos


def _add_page(data: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 700 Td (added later) Tj ET")
    writer.insert_page(PageObject(contents=writer.add_object(stream),
                                  media_box=(0, 0, 595, 842)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_page_added_after_signing_is_detected(fully_signed, verify):
    report = verify(_add_page(fully_signed))
    assert report.legal_validity == REFERENCE
    assert "modified_after_signing" in codes(report)
    assert "no_valid_agency_signature" in codes(report)


def test_page_added_between_person_and_agency(person_signed, agency, verify):
    modified = _add_page(person_signed)
    signed = sign_agency(modified, agency, "UBND TỈNH ĐỒNG THÁP", code_number=1,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    report = verify(signed)
    assert report.legal_validity == REFERENCE
    person = next(s for s in report.signatures if s.kind == "person")
    assert person.modified_after_signing


def test_untrusted_root_is_reference(pdf_bytes, pki, verify):
    fake_person = KeySigner(pki.untrusted_signer.private_key(), pki.untrusted_signer.certificate())
    signed = sign_person(pdf_bytes, fake_person, "Nguyễn Văn An", "CHỦ TỊCH")
    report = verify(signed)
    assert report.legal_validity == REFERENCE
    assert "untrusted" in codes(report)
    assert not report.signatures[0].trusted


def test_untrusted_person_with_trusted_agency_is_reference(pdf_bytes, pki, agency, verify):
    fake_person = KeySigner(pki.untrusted_signer.private_key(), pki.untrusted_signer.certificate())
    signed = sign_person(pdf_bytes, fake_person, "Nguyễn Văn An", "CHỦ TỊCH")
    signed = sign_agency(signed, agency, "UBND TỈNH ĐỒNG THÁP", code_number=2,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT)
    assert verify(signed).legal_validity == REFERENCE


def test_custom_classifier(fully_signed, verify):
    report = verify(fully_signed, classify=lambda cert: "person")
    assert report.legal_validity == REFERENCE
    assert "no_valid_agency_signature" in codes(report)


def test_no_signatures(pdf_bytes, verify):
    report = verify(pdf_bytes)
    assert report.legal_validity == REFERENCE
    assert codes(report) == {"no_signatures"}


def test_input_unchanged(pdf_bytes, leader):
    before = bytes(pdf_bytes)
    sign_person(pdf_bytes, leader, "Nguyễn Văn An", "CHỦ TỊCH")
    assert pdf_bytes == before


def test_attachment_rule_needs_the_agency_signature_alone(pdf_bytes, agency, person_signed, verify):
    """NĐ 30 Phụ lục I: a separate attachment carries only the agency signature."""
    import pytest

    from dongthap.qlvb.signing.verify import ATTACHMENT

    sealed = sign_attachment(pdf_bytes, agency, "15/QĐ-UBND")
    assert verify(sealed, rule=ATTACHMENT).legal_validity == LEGAL
    as_document = verify(sealed)  # as a document it still needs the competent person
    assert as_document.legal_validity == REFERENCE
    assert "no_valid_person_signature" in codes(as_document)
    person_only = verify(person_signed, rule=ATTACHMENT)
    assert person_only.legal_validity == REFERENCE
    assert codes(person_only) >= {"no_valid_agency_signature"}
    assert "no_valid_person_signature" not in codes(person_only)
    with pytest.raises(ValueError):
        verify(sealed, rule="anything")


def test_number_and_date_of_issue_are_printed_and_every_signature_stays_valid(fully_signed, verify):
    """Issue 15: the number and the date of issue are visible on the issued PDF (read back by
    poppler, an independent reader), added with the agency signature and so after the person's
    signature, which stays valid: the document keeps its legal validity."""
    import subprocess

    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", "-", "-"],
                          input=fully_signed, capture_output=True, check=True).stdout.decode()
    assert "Số: 15/QĐ-UBND" in text
    assert "Đồng Tháp, ngày 01 tháng 07 năm 2025" in text
    report = verify(fully_signed)
    assert report.legal_validity == LEGAL, report.to_dict()
    assert all(sig.ok and sig.intact for sig in report.signatures)
    person = next(s for s in report.signatures if s.kind == "person")
    assert person.modification_level == "form_filling"


def test_without_the_stamp_nothing_is_printed(person_signed, agency, seal_png):
    import subprocess

    signed = sign_agency(person_signed, agency, "UBND TỈNH ĐỒNG THÁP", seal_png, code_number=15,
                         code_notation="QĐ-UBND", issued_at=ISSUED_AT, stamp_number=False)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=signed,
                          capture_output=True, check=True).stdout.decode()
    assert "Số: 15/QĐ-UBND" not in text

