"""Sample dossiers for the archive tests and the export benchmark (Plone-free)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from dongthap.qlvb.archive.package import ExportDocument, ExportFile

NOTO_SERIF = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
AGENCY = "Ủy ban nhân dân tỉnh Đồng Tháp"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

DOSSIER = {
    "FileCode": "000.00.00.H20.2025.01.TCCB",
    "OrganId": "000.00.00.H20",
    "FileCatalog": 2025,
    "FileNotation": "01.TCCB",
    "Title": "Hồ sơ về việc tuyển dụng công chức năm 2025",
    "Maintenance": "10 năm",
    "Rights": "Công khai",
    "Creator": "Trần Thị Lưu Trữ",
    "Language": "Tiếng Việt",
    "Description": "Ủy ban nhân dân tỉnh Đồng Tháp — hồ sơ mẫu",
}


def make_pdf(pages: int = 1, text: str = "Văn bản", *, invariant: bool = True) -> bytes:
    """A small Vietnamese PDF whose every page shows ``<text> — trang <n>``."""
    if "NotoSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSerif", NOTO_SERIF))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=invariant)
    for n in range(pages):
        c.setFont("NotoSerif", 13)
        c.drawString(72, 780, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP")
        c.drawString(72, 740, f"{text} — trang {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_heavy_pdf(size: int = 300_000, text: str = "Bản quét") -> bytes:
    """A one-page PDF carrying a noise image of about *size* bytes (like a scanned page)."""
    import os

    from PIL import Image
    from reportlab.lib.utils import ImageReader

    side = int((size / 3) ** 0.5)
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    png = io.BytesIO()
    image.save(png, "PNG", compress_level=1)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 72, 300, 400, 400)
    c.drawString(72, 780, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def memory_file(data: bytes):
    return lambda: io.BytesIO(data)


def path_file(path: Path):
    return lambda: open(path, "rb")  # noqa: SIM115 - the package closes it


def document(ordinal: int, issued: dt.date, files: list[ExportFile], **fields) -> ExportDocument:
    values = {
        "DocOrdinal": ordinal,
        "TypeName": "Công văn",
        "CodeNumber": f"{ordinal:02d}",
        "CodeNotation": "UBND-VP",
        "IssuedDate": issued,
        "OrganName": AGENCY,
        "Subject": f"Về việc tuyển dụng, đợt {ordinal}",
        "Language": "Tiếng Việt",
        "Mode": "Công khai",
        "ConfidenceLevel": "Bản chính",
        "Format": "Tốt",
    }
    values.update(fields)
    return ExportDocument(values, files, {"Uid": f"uid-{ordinal:04d}", "Kind": "outgoing"})


def sample_documents() -> list[ExportDocument]:
    """Four documents filed out of date order: two PDFs, one with a Word attachment, one Word only."""
    return [
        document(
            1,
            dt.date(2025, 3, 10),
            [ExportFile("quyet-dinh.pdf", memory_file(make_pdf(2, "Quyết định 01")), PDF)],
        ),
        document(
            2,
            dt.date(2025, 1, 5),
            [
                ExportFile("ke-hoach.pdf", memory_file(make_pdf(3, "Kế hoạch 02")), PDF),
                ExportFile("phụ lục 1.pdf", memory_file(make_pdf(1, "Phụ lục của 02")), PDF, "attachment"),
                ExportFile(
                    "bảng tính.docx", memory_file(b"PK\x03\x04 not really a docx"), DOCX, "attachment"
                ),
            ],
            TypeName="Kế hoạch",
            CodeNotation="KH-UBND",
        ),
        document(
            3,
            dt.date(2025, 2, 1),
            [ExportFile("bien-ban.docx", memory_file(b"docx body"), DOCX)],
            TypeName="Biên bản",
            CodeNotation="BB-UBND",
            PageAmount=4,
        ),
        document(
            4,
            dt.date(2025, 2, 20),
            [ExportFile("to-trinh.pdf", memory_file(make_pdf(1, "Tờ trình 04")), PDF)],
            TypeName="Tờ trình",
            CodeNotation="TTr-UBND",
        ),
    ]


def bulk_documents(directory: Path, count: int, *, pages: int = 2) -> list[ExportDocument]:
    """*count* documents, each a PDF file on disk in *directory* (written once, read by path)."""
    docs = []
    start = dt.date(2025, 1, 1)
    for n in range(1, count + 1):
        path = directory / f"vb-{n:05d}.pdf"
        if not path.exists():
            path.write_bytes(make_pdf(pages, f"Văn bản số {n}", invariant=False))
        docs.append(
            document(n, start + dt.timedelta(days=n % 360), [ExportFile(path.name, path_file(path), PDF)])
        )
    return docs
