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


# ---------------------------------------------------------------- search: diacritics folded away
#
# Staff type "uy ban", "Uỷ ban" (old tone placement), "UY BAN" or "Ủy ban" for the same
# words, and Plone's own index folds diacritics except on a word's first letter when that
# letter lies in U+1E00–U+1EFF (Ủ, Ứ, Ở, Ấ…).  :func:`search_key` removes *every* mark from
# *every* letter (after NFKD, so precomposed, decomposed and compatibility forms agree), maps
# đ/Đ (and the look-alike ð/Ð of old TCVN3 conversions) to d and case-folds: the old and new
# tone placements ("uỷ"/"ủy", "hoà"/"hòa") differ only by where the mark sits, so they fold to
# the same key.  The catalog's text indexes (:mod:`dongthap.qlvb.search.lexicon`), the list
# filters, duplicate detection and the pickers all compare with it.

_LETTER_D = str.maketrans({"đ": "d", "ð": "d", "Đ": "d", "Ð": "d", "ɖ": "d"})
_WORD = re.compile(r"\w+")
_WORD_GLOB = re.compile(r"[\w*?]+")


def search_key(text) -> str:
    """``text`` without any diacritic, đ → d, case-folded, whitespace collapsed ("" for None).

    ``search_key("  Uỷ ban  NHÂN dân") == search_key("ủy ban nhan dan") == "uy ban nhan dan"``.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).casefold().translate(_LETTER_D))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACE.sub(" ", bare).strip()


def _number(word):
    """Numbers compare without leading zeros ("05" is "5"), as số of documents do."""
    return (word.lstrip("0") or "0") if word.isdigit() else word


def search_words(text, glob=False) -> list:
    """The words of ``text`` as the text indexes store them: :func:`search_key`, split at every
    character that is neither a letter nor a digit ("12/UBND-VP" → ``["12", "ubnd", "vp"]``),
    numbers without leading zeros.  With ``glob``, ``*`` and ``?`` stay in the words (queries)."""
    words = (_WORD_GLOB if glob else _WORD).findall(search_key(text))
    return [_number(w) for w in words if w.strip("*?")]


def search_contains(needle, haystack) -> bool:
    """Whether ``needle`` appears in ``haystack`` once both are folded by :func:`search_key`
    (the list filters: "van phong" finds "Văn phòng UBND tỉnh")."""
    needle = search_key(needle)
    return not needle or needle in search_key(haystack)


#: Characters no typed text needs and an attacker uses: C0/C1 control characters (except tab and
#: line breaks), DEL, and the bidirectional embeddings, overrides and isolates (U+202A–U+202E,
#: U+2066–U+2069) that reverse what a reader sees ("Trojan Source", file names like "cod.exe").
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def has_unsafe_characters(text) -> bool:
    """Whether ``text`` holds a control or direction-override character (see :data:`_UNSAFE`)."""
    return isinstance(text, str) and _UNSAFE.search(text) is not None


def unsafe_text_message():
    """The message of a field refused by :func:`has_unsafe_characters` (Vietnamese in the UI)."""
    from dongthap.qlvb.i18n import _

    return _("error_unsafe_characters",
             default="The text holds control or direction-reversing characters; type it again without them.")
