"""A generated first page laid out by NĐ 30 (Phụ lục I): agency lines top left, motto and
place-date top right, "Số:" and "V/v" (công văn) or the type's name and title (other types);
as a text PDF (reportlab) and as a scan of that page (an image only, at a given dpi)."""

from dongthap.qlvb.demo.incoming import _font

import io
import os
import subprocess
import tempfile

CONG_VAN = {
    "left": ["UBND TỈNH ĐỒNG THÁP", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "", "Số: 125/STTTT-BCVT",
             "V/v triển khai ứng dụng chữ ký số", "trong cơ quan nhà nước năm 2027"],
    "right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
              "Đồng Tháp, ngày 05 tháng 12 năm 2026"],
    "middle": [],
    "body": ["Kính gửi: Ủy ban nhân dân các huyện, thành phố.",
             "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về chuyển đổi số, Sở Thông tin",
             "và Truyền thông đề nghị các đơn vị triển khai chữ ký số chuyên dùng."],
}

QUYET_DINH = {
    "left": ["ỦY BAN NHÂN DÂN", "HUYỆN LAI VUNG", "", "Số: 08/QĐ-UBND"],
    "right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "",
              "Lai Vung, ngày 17 tháng 11 năm 2026"],
    "middle": ["QUYẾT ĐỊNH", "Về việc thành lập Tổ công tác chuyển đổi số huyện"],
    "body": ["CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN LAI VUNG", "Căn cứ Luật Tổ chức chính quyền địa phương;"],
}


def text_pdf(page):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    font = _font()
    y = 790
    for line in page["left"]:
        pdf.setFont(font, 12)
        pdf.drawCentredString(150, y, line)
        y -= 18
    y_left = y
    y = 790
    for line in page["right"]:
        pdf.setFont(font, 12)
        pdf.drawCentredString(420, y, line)
        y -= 18
    y = min(y, y_left) - 30
    for line in page["middle"]:
        pdf.setFont(font, 13)
        pdf.drawCentredString(297, y, line)
        y -= 20
    y -= 20
    for line in page["body"]:
        pdf.setFont(font, 12)
        pdf.drawString(70, y, line)
        y -= 18
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def scan_of(pdf, dpi=200):
    """The page rendered to a grey image at ``dpi``, as a PDF without text (a scanner's output)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as workdir:
        path = os.path.join(workdir, "in.pdf")
        with open(path, "wb") as handle:
            handle.write(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", "-singlefile", path,
                        os.path.join(workdir, "page")], check=True, capture_output=True)
        image = Image.open(os.path.join(workdir, "page.png"))
        out = io.BytesIO()
        image.save(out, "PDF", resolution=dpi)
        return out.getvalue()
