"""Builders of clean and infected test documents, all made in memory."""

from __future__ import annotations

import io
import zipfile
import zlib

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas


def clean_pdf(text: str = "UBND TINH DONG THAP - Cong van so 123/UBND-VP") -> bytes:
    """A small, clean, compressed one-page PDF made with reportlab."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    pdf.setTitle("Cong van")
    pdf.drawString(72, 770, text)
    pdf.drawString(72, 750, "V/v trien khai he thong quan ly van ban")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def reportlab_pdf_with_payload(payload: bytes) -> bytes:
    """A reportlab PDF whose (Flate-compressed) page stream carries *payload*.

    The payload goes into a PDF comment line of the content stream, so it
    appears only in decompressed form.
    """
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, pageCompression=1)
    pdf.drawString(72, 770, "Bao cao tong hop")
    pdf._code.append("%" + payload.decode("latin-1"))  # raw content-stream line
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def handmade_pdf_with_embedded_file(payload: bytes, name: str = "readme.txt") -> bytes:
    """A hand-written PDF with *payload* as a FlateDecode embedded file."""
    compressed = zlib.compress(payload, 9)
    content = zlib.compress(b"BT /F1 12 Tf 72 770 Td (To trinh) Tj ET", 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles 6 0 R >> >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>"
        ),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Names [(" + name.encode() + b") 7 0 R] >>",
        b"<< /Type /Filespec /F (" + name.encode() + b") /EF << /F 8 0 R >> >>",
        b"<< /Type /EmbeddedFile /Length %d /Filter /FlateDecode >>\nstream\n"
        % len(compressed)
        + compressed
        + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def docx(text: str = "Cong van so 45/SNV-VP") -> bytes:
    """A minimal but valid Word (OOXML) document."""
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.'
            "openxmlformats.org/officeDocument/2006/relationships/officeDocument"
            '" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/'
            'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>'
            + text
            + "</w:t></w:r></w:p></w:body></w:document>"
        ),
    }
    return zip_of(files)


def zip_of(files: dict, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A ZIP archive of ``{name: str|bytes}``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buf.getvalue()
