"""Shared helpers of the signing tests (imported by conftest and tests)."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

NOTO_SERIF = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"
ISSUED_AT = dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))


def make_pdf(pages: int = 2, **canvas_kwargs) -> bytes:
    """A Vietnamese test document made with reportlab and Noto Serif."""
    if "NotoSerif" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("NotoSerif", NOTO_SERIF))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, **canvas_kwargs)
    for n in range(pages):
        c.setFont("NotoSerif", 13)
        c.drawString(72, 780, "ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP")
        c.drawString(72, 740, f"QUYẾT ĐỊNH về việc ở, ễ, Ủ — trang {n + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()



def codes(report):
    """All problem and reason codes of a report."""
    found = {r.code for r in report.reasons}
    for sig in report.signatures:
        found |= {p.code for p in sig.problems}
    return found
