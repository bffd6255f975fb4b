"""Fast greedy line wrapping for table cells.

ReportLab ``Paragraph`` objects are flexible but slow (tens of thousands of
cells in a yearly register); cells here hold plain text, so we break lines
ourselves with the font's advance widths and hand the table multi-line
strings.  Words wider than the column are broken between characters.
"""

from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth


class Wrapper:
    """Wraps text for one font and size, caching word widths."""

    def __init__(self, font_name: str, font_size: float):
        self.font_name = font_name
        self.font_size = font_size
        self._widths: dict[str, float] = {}
        self.space = self.width(" ")

    def width(self, text: str) -> float:
        """Advance width of *text* in points (cached)."""
        w = self._widths.get(text)
        if w is None:
            w = stringWidth(text, self.font_name, self.font_size)
            if len(self._widths) < 200_000:
                self._widths[text] = w
        return w

    def wrap(self, text: str, max_width: float) -> list[str]:
        """The lines of *text* (``\\n`` kept as hard breaks) fitting *max_width*."""
        if "\n" not in text and self.width(text) <= max_width:
            return [text]
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines.extend(self._wrap_paragraph(paragraph, max_width))
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        return lines

    def _wrap_paragraph(self, paragraph: str, max_width: float) -> list[str]:
        lines: list[str] = []
        line: list[str] = []
        line_width = 0.0
        for word in paragraph.split():
            w = self.width(word)
            if line and line_width + self.space + w <= max_width:
                line.append(word)
                line_width += self.space + w
                continue
            if line:
                lines.append(" ".join(line))
            if w > max_width:
                pieces = self._break_word(word, max_width)
                lines.extend(pieces[:-1])
                word = pieces[-1]
                w = self.width(word)
            line, line_width = [word], w
        lines.append(" ".join(line))
        return lines

    def _break_word(self, word: str, max_width: float) -> list[str]:
        pieces: list[str] = []
        start = 0
        while start < len(word):
            end = start + 1
            width = self.width(word[start])
            while end < len(word):
                w = stringWidth(word[end], self.font_name, self.font_size)
                if width + w > max_width:
                    break
                width += w
                end += 1
            pieces.append(word[start:end])
            start = end
        return pieces
