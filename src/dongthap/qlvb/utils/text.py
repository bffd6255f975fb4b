"""The one normalisation of every text the system compares.

Vietnamese text reaches us in two Unicode forms: precomposed (NFC, "ậ" is
one code point) and decomposed (NFD, "a" + U+0302 + U+0323), which Unikey's
"Unicode tổ hợp" and some PDF/Word exports produce.  Both look the same on
screen but compare different, so a secrecy marking typed in NFD slipped
through, duplicates were missed and names sorted apart.  Every comparison
(secrecy markings, duplicate detection of số / ký hiệu / issuing agency,
agency names, search filters, sorting) goes through these two functions:

* :func:`normalize_text` — NFC, whitespace runs collapsed to one space,
  stripped: the same text, in its canonical form (case kept);
* :func:`fold` — :func:`normalize_text`, then case-folded (and NFC again,
  since case folding may decompose): the key two texts are equal under.
"""

from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")


def normalize_text(text) -> str:
    """``text`` in NFC with its whitespace collapsed ("" for None)."""
    if not text:
        return ""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", str(text))).strip()


def fold(text) -> str:
    """The comparison key of ``text``: :func:`normalize_text` and case-folded."""
    return unicodedata.normalize("NFC", normalize_text(text).casefold())


def plain(text) -> str:
    """:func:`fold` without diacritics (đ → d): "Ủy ban" and "UY BAN" give the same key."""
    decomposed = unicodedata.normalize("NFD", fold(text).replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
