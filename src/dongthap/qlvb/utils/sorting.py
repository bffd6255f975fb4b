"""Vietnamese collation.

Vietnamese alphabetical order is a, ă, â, b, c, d, đ, e, ê, g, h, i, k, l, m,
n, o, ô, ơ, p, q, r, s, t, u, ư, v, x, y; tones (không dấu, huyền, hỏi, ngã,
sắc, nặng) only break ties. Python's default ordering puts "Đ" after "Z" and
"Ủy" after "Uz"; this key sorts the way a Vietnamese reader expects.
"""

import unicodedata

from .text import fold, normalize_text

# Foreign letters f, j, w, z keep their Latin places.
_BASE_ORDER = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i for i, ch in enumerate(_BASE_ORDER)}
# Tone marks, in dictionary order: huyền, hỏi, ngã, sắc, nặng (none ranks 0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _split(char):
    """Return (base letter, tone rank) of one precomposed character."""
    decomposed = unicodedata.normalize("NFD", char)
    base = decomposed[0]
    tone = 0
    for mark in decomposed[1:]:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark == "\u0306":
            base = "ă" if base == "a" else base
        elif mark == "\u0302":
            base = {"a": "â", "e": "ê", "o": "ô"}.get(base, base)
        elif mark == "\u031b":
            base = {"o": "ơ", "u": "ư"}.get(base, base)
    if char in "đ":
        base = "đ"
    return base, tone


def vietnamese_sort_key(text):
    """A sort key for ``text`` in Vietnamese alphabetical order (case-insensitive)."""
    letters = []
    tones = []
    for char in fold(text):
        base, tone = _split(char)
        rank = _RANK.get(base)
        # Characters outside the alphabet keep their code point, after the letters.
        letters.append(rank if rank is not None else 100 + ord(base))
        tones.append(tone)
    return (letters, tones, normalize_text(text))
