"""Demo incoming documents: a handful per agency, with small Vietnamese PDFs.

``install()`` is idempotent (it adds nothing to an agency that already has
incoming documents) and is called at the end of :func:`dongthap.qlvb.demo.data.install`.
"""

from dongthap.qlvb.incoming import api as incoming
from plone import api

import datetime
import io
import logging

logger = logging.getLogger("dongthap.qlvb.demo")
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
_font_name = None

#: (agency path, subject, type, số, ký hiệu, issuer, urgency, days ago issued, due in days, register?)
DOCUMENTS = (
    ("so-tttt", "Về việc triển khai chuyển đổi số năm 2026", "cong_van", "125", "UBND-VP",
     "UBND tỉnh Đồng Tháp", "khan", 3, 10, True),
    ("so-tttt", "Kế hoạch bảo đảm an toàn thông tin mạng", "ke_hoach", "48", "KH-UBND",
     "UBND tỉnh Đồng Tháp", "thuong", 5, 20, True),
    ("so-tttt", "Mời họp giao ban công tác thông tin truyền thông", "giay_moi", "12", "GM-SNV",
     "Sở Nội vụ", "hoa_toc", 0, 1, False),
    ("so-noi-vu", "Hướng dẫn công tác văn thư, lưu trữ năm 2026", "huong_dan", "07", "HD-SNV",
     "Bộ Nội vụ", "thuong", 7, 30, True),
    ("ubnd-tinh", "Báo cáo tình hình kinh tế - xã hội quý I", "bao_cao", "31", "BC-STC",
     "Sở Tài chính", "thuong_khan", 2, 5, False),
)


def _font():
    global _font_name
    if _font_name is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        pdfmetrics.registerFont(TTFont("NotoSans", FONT))
        _font_name = "NotoSans"
    return _font_name


def make_pdf(lines, pages=1):
    """A small PDF with Vietnamese text (reportlab + Noto Sans)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4)
    for page in range(pages):
        pdf.setFont(_font(), 12)
        y = 780
        for line in lines:
            pdf.drawString(60, y, line)
            y -= 20
        pdf.drawString(60, 60, f"Trang {page + 1}/{pages}")
        pdf.showPage()
    pdf.save()
    return buf.getvalue()


def _clerks():
    from dongthap.qlvb.demo.data import AGENCIES

    return {path: f"{prefix}.vanthu" for path, *_rest, prefix in AGENCIES}


CLERKS = _clerks()


def install(context=None):
    portal = api.portal.get()
    today = incoming.now().date()
    with api.env.adopt_roles(["Manager"]):
        for path, subject, doc_type, number, notation, issuer, urgency, ago, due, register in DOCUMENTS:
            try:
                agency = portal.unrestrictedTraverse(path)
            except (KeyError, AttributeError):
                continue
            root = incoming.incoming_root(agency)
            existing = api.content.find(context=root, portal_type="IncomingDocument",
                                        unrestricted=True) if root is not None else []
            if any(b.Title == subject for b in existing):
                continue
            pdf = make_pdf([issuer.upper(), f"Số: {number}/{notation}", subject], pages=2)
            values = incoming.clean({
                "title": subject, "document_type": doc_type, "code_number": number,
                "code_notation": notation, "issuing_agency_name": issuer, "urgency": urgency,
                "issued_date": (today - datetime.timedelta(days=ago)).isoformat(),
                "due_date": (today + datetime.timedelta(days=due)).isoformat(),
                "source": "paper", "file": (pdf, f"{notation}-{number}.pdf"),
            })
            clerk = CLERKS.get(path)
            try:
                if clerk:  # registering is the clerk's act (the workflow allows nobody else)
                    with api.env.adopt_user(username=clerk):
                        incoming.create(agency, values, register=register)
                else:
                    incoming.create(agency, values, register=False)
            except incoming.IncomingError as problem:  # e.g. no antivirus service reachable
                logger.warning("demo incoming document %r not created: %s", subject, problem.message)
    logger.info("demo incoming documents in place")
