"""A generated scan: a Vietnamese page rendered to an image at a given resolution, as a PDF
without any text layer (what a document scanner produces)."""

from PIL import Image
from PIL import ImageDraw
from PIL import ImageFont

import io

FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"

PAGE = """ỦY BAN NHÂN DÂN TỈNH ĐỒNG THÁP
Số: 125/UBND-KT
V/v triển khai ứng dụng chữ ký số trong cơ quan nhà nước
Kính gửi: Các sở, ban, ngành tỉnh và Ủy ban nhân dân các huyện, thành phố.
Thực hiện chỉ đạo của Thủ tướng Chính phủ về chuyển đổi số quốc gia, Ủy ban nhân dân
tỉnh yêu cầu các cơ quan, đơn vị khẩn trương triển khai ứng dụng chữ ký số chuyên dùng
trong việc gửi, nhận văn bản điện tử; bảo đảm an toàn thông tin và giá trị pháp lý của
văn bản. Thủ trưởng các cơ quan chịu trách nhiệm trước Chủ tịch Ủy ban nhân dân tỉnh về
kết quả thực hiện; báo cáo tình hình thực hiện trước ngày 15 tháng 12 năm 2026.
Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, đề nghị phản ánh về Sở Thông tin
và Truyền thông để được hướng dẫn, giải quyết kịp thời.
Nơi nhận: Như trên; Lưu: VT, KT."""


def scan_pdf(text=PAGE, dpi=200, size_pt=12):
    """A one-page A4 PDF holding only an image of ``text`` scanned at ``dpi``."""
    width, height = int(8.27 * dpi), int(11.69 * dpi)
    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, int(size_pt * dpi / 72))
    y = int(0.8 * dpi)
    for line in text.splitlines():
        draw.text((int(0.8 * dpi), y), line, font=font, fill=0)
        y += int(size_pt * 1.6 * dpi / 72)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=dpi)
    return out.getvalue()
