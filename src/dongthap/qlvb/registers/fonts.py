"""Noto Serif for the PDF registers (Debian ``fonts-noto-core``).

Noto Serif has every precomposed Vietnamese letter, so ReportLab (which does
no shaping) renders NFC text correctly; DejaVu and Liberation do not look
right.  The fonts are embedded as subsets with a ToUnicode map, so the text
can be searched and extracted from the PDF.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

NOTO_DIR = Path("/usr/share/fonts/truetype/noto")
FAMILY = "QlvbNotoSerif"
FILES = {
    "regular": "NotoSerif-Regular.ttf",
    "bold": "NotoSerif-Bold.ttf",
    "italic": "NotoSerif-Italic.ttf",
    "bold_italic": "NotoSerif-BoldItalic.ttf",
}


@dataclass(frozen=True)
class Fonts:
    """ReportLab font names of the registered family."""

    regular: str
    bold: str
    italic: str
    bold_italic: str


@functools.cache
def register_fonts(font_dir: Path = NOTO_DIR) -> Fonts:
    """Register Noto Serif with ReportLab once; :class:`FileNotFoundError` if missing."""
    names = {}
    for style, filename in FILES.items():
        path = Path(font_dir) / filename
        if not path.is_file():
            raise FileNotFoundError(f"{path} is missing; install the Debian package fonts-noto-core")
        name = FAMILY if style == "regular" else f"{FAMILY}-{style}"
        pdfmetrics.registerFont(TTFont(name, str(path)))
        names[style] = name
    addMapping(FAMILY, 0, 0, names["regular"])
    addMapping(FAMILY, 1, 0, names["bold"])
    addMapping(FAMILY, 0, 1, names["italic"])
    addMapping(FAMILY, 1, 1, names["bold_italic"])
    return Fonts(**names)
