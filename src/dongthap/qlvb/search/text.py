"""What the text index reads of a document: its fields, its number as staff type it, its files.

:func:`document_text` is the ``SearchableText`` of incoming and outgoing documents: the
given fields, then ``"Số 12/UBND-VP"`` (so that "12/UBND-VP", "12 UBND VP", "số 12" and
"UBND-VP" all find it: the lexicon splits at "/" and "-", and a query word that splits into
several is a phrase), then the text extracted from its files in the background
(:mod:`dongthap.qlvb.search.fulltext`), stored on the document as ``qlvb_fulltext``.
"""

from dongthap.qlvb.utils.text import normalize_text

#: How much extracted text of one document the index reads (characters).
FULLTEXT_LIMIT = 200_000


def number_phrase(code_number, code_notation):
    """``"Số 12/UBND-VP"`` ("" without a number)."""
    number = normalize_text(code_number)
    if not number:
        return ""
    notation = normalize_text(code_notation)
    return f"Số {number}/{notation}" if notation else f"Số {number}"


def document_text(obj, parts):
    texts = [normalize_text(p) for p in parts if p]
    texts.append(number_phrase(getattr(obj, "code_number", None), getattr(obj, "code_notation", None)))
    extracted = getattr(obj, "qlvb_fulltext", None)
    if extracted:
        texts.append(str(extracted)[:FULLTEXT_LIMIT])
    return " ".join(t for t in texts if t)
