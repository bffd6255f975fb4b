"""Visible signature appearances (NĐ 30/2020/NĐ-CP, Phụ lục I).

One pyHanko stamp style, :class:`BlockStampStyle`, draws centred (or
left-aligned) text lines above and below an optional image that fills the
remaining height.  It serves the three layouts:

* person: authority prefix + position above, signature image, name below;
* agency: the seal image only (the field overlaps the person's box);
* attachment: two lines of 10 pt serif text, no image.

Text is shaped with HarfBuzz and embedded as a subset of a Noto font
(Debian ``fonts-noto-core``), which renders Vietnamese correctly.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError
from pyhanko.pdf_utils import content, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.images import pil_image
from pyhanko.stamp.base import BaseStamp, BaseStampStyle

from . import errors

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
SANS = NOTO_DIR / "NotoSans-Regular.ttf"
SANS_BOLD = NOTO_DIR / "NotoSans-Bold.ttf"
SERIF = NOTO_DIR / "NotoSerif-Regular.ttf"
SERIF_BOLD = NOTO_DIR / "NotoSerif-Bold.ttf"


def load_png(data: bytes | None) -> Image.Image | None:
    """Open a PNG (transparency kept) or raise :class:`~.errors.ImageError`."""
    if data is None:
        return None
    try:
        img = Image.open(io.BytesIO(data))
        if img.format != "PNG":
            raise errors.ImageError(img.format or "unknown format")
        img.load()
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise errors.ImageError(str(exc)) from exc
    return img.convert("RGBA")


@dataclass(frozen=True)
class BlockStampStyle(BaseStampStyle):
    """Text above, image in the middle, text below, inside the field box."""

    lines_above: tuple[str, ...] = ()
    lines_below: tuple[str, ...] = ()
    image: Image.Image | None = field(default=None, compare=False)
    font_file: str = str(SERIF)
    bold_font_file: str | None = None
    bold_below: bool = True
    font_size: float = 11
    align: str = "center"
    text_color: tuple[float, float, float] = (0, 0, 0)
    border_width: int = 0
    background_opacity: float = 1.0

    def create_stamp(self, writer, box: layout.BoxConstraints, text_params: dict):
        """Called by pyHanko with the field's box."""
        return BlockStamp(writer=writer, style=self, box=box)


class _Font:
    """One embedded font subset used for several lines."""

    def __init__(self, stamp: BaseStamp, path: str, size: float, name: str):
        self.engine = GlyphAccumulatorFactory(path).create_font_engine(stamp.writer)
        self.engine.font_size = size
        self.size = size
        self.name = name
        self.stamp = stamp

    def line(self, text: str, y: float, width: float, align: str) -> bytes:
        shaped = self.engine.shape(unicodedata.normalize("NFC", text))
        advance = shaped.x_advance * self.size
        x = 2.0 if align == "left" else max((width - advance) / 2, 0)
        return b"BT /%s %.3f Tf %.3f %.3f Td %s ET" % (
            self.name.encode(), self.size, x, y, shaped.graphics_ops)

    def register(self):
        self.stamp.set_resource(content.ResourceType.FONT, pdf_name("/" + self.name),
                                self.engine.as_resource())


class BlockStamp(BaseStamp):
    """Renders a :class:`BlockStampStyle`."""

    def _render_inner_content(self):
        style: BlockStampStyle = self.style
        w, h = self.box.width, self.box.height
        lead = style.font_size * 1.3
        ops = [b"q %.3f %.3f %.3f rg" % style.text_color]
        fonts = []
        regular = bold = None
        if style.lines_above or style.lines_below:
            regular = _Font(self, style.font_file, style.font_size, "F1")
            fonts.append(regular)
            if style.bold_font_file and style.lines_below and style.bold_below:
                bold = _Font(self, style.bold_font_file, style.font_size, "F2")
                fonts.append(bold)
        y = h - lead
        for text in style.lines_above:
            ops.append(regular.line(text, y + (lead - style.font_size) / 2, w, style.align))
            y -= lead
        top_of_image = h - lead * len(style.lines_above)
        y = lead * (len(style.lines_below) - 1)
        for text in style.lines_below:
            font = bold or regular
            ops.append(font.line(text, y + (lead - style.font_size) / 2, w, style.align))
            y -= lead
        bottom_of_image = lead * len(style.lines_below)
        for font in fonts:
            font.register()
        ops.append(b"Q")
        if style.image is not None:
            ops.append(self._image(style.image, w, bottom_of_image, top_of_image))
        return ops

    def _image(self, img: Image.Image, w: float, bottom: float, top: float) -> bytes:
        avail_h = max(top - bottom, 1)
        scale = min(w / img.width, avail_h / img.height)
        iw, ih = img.width * scale, img.height * scale
        x = (w - iw) / 2
        y = bottom + (avail_h - ih) / 2
        ref = pil_image(img, self.writer)
        self.set_resource(content.ResourceType.XOBJECT, pdf_name("/Im1"), ref)
        return b"q %.3f 0 0 %.3f %.3f %.3f cm /Im1 Do Q" % (iw, ih, x, y)


def seal_with_name(agency_name: str, size: int = 360) -> Image.Image:
    """A red round seal carrying the agency's name, for agencies without a seal image of their
    own (``<keys>/<code>/seal.png``): the seal on an issued document always names its agency."""
    from PIL import ImageDraw, ImageFont

    red = (200, 16, 46, 255)
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, size - 5, size - 5), outline=red, width=10)
    draw.ellipse((30, 30, size - 31, size - 31), outline=red, width=3)
    words = unicodedata.normalize("NFC", agency_name or "").upper().split()
    font_size = 40
    while font_size > 12:
        font = ImageFont.truetype(str(SANS_BOLD), font_size)
        lines, line = [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if draw.textlength(trial, font=font) <= size * 0.66 or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        if line:
            lines.append(line)
        lead = font_size * 1.2
        widest = max((draw.textlength(text, font=font) for text in lines), default=0)
        if lead * len(lines) <= size * 0.6 and widest <= size * 0.72:
            break
        font_size -= 2
    y = (size - lead * len(lines)) / 2
    for text in lines:
        draw.text((size / 2, y + lead / 2), text, font=font, fill=red, anchor="mm")
        y += lead
    return img
