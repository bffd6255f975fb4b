"""Scanned-looking PDFs for tests and the demo: one image per page at a chosen resolution."""

from io import BytesIO


def make_scan(dpi=300, pages=1, lines=("BẢN QUÉT",), size=(595.0, 842.0)):
    """A PDF of ``pages`` A4 pages, each one greyscale image drawn over the page at ``dpi``."""
    from PIL import Image
    from PIL import ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    width_pt, height_pt = size
    px = (max(1, round(width_pt / 72 * dpi)), max(1, round(height_pt / 72 * dpi)))
    out = BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    for n in range(pages):
        image = Image.new("L", px, 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate((*lines, f"{n + 1}")):
            draw.text((px[0] // 10, px[1] // 10 + i * 20), line.encode("ascii", "replace").decode(),
                      fill=0)
        pdf.drawImage(ImageReader(image), 0, 0, width=width_pt, height=height_pt)
        pdf.showPage()
    pdf.save()
    return out.getvalue()
