"""State secrets never enter the system (QĐ 595/QĐ-UBND): the one secrecy check.

Used by the exchange inbox (received packages), the registration of incoming
paper documents and the drafting of outgoing documents.  Texts are compared
in their normal form (:func:`~dongthap.qlvb.utils.text.normalize_text`), so
a marking typed with combining marks (NFD) is found as well.

* a **declared** secrecy level (a field meant for it: ``secrecy`` on input,
  ``SphereOfPromulgation`` in edXML) counts in any letter case:
  "Mật", "mật", "TỐI MẬT" are all markings;
* in **free text** (subject, notation…) only the capitalised markings of
  NĐ 30 (MẬT, TỐI MẬT, TUYỆT MẬT) count, and "BÍ MẬT" / "BẢO MẬT" are a topic
  ("V/v bảo vệ BÍ MẬT nhà nước"), not a marking.
"""

from __future__ import annotations

import re

from .text import fold, normalize_text

MARKINGS = ("TUYỆT MẬT", "TỐI MẬT", "MẬT")
_MARKING_RE = re.compile(r"(?<![\w])(TUYỆT MẬT|TỐI MẬT|MẬT)(?![\w])")
_TOPIC_WORDS = ("BÍ ", "BẢO ")
#: declared values that mean "not secret"
_NOT_SECRET = {"", "không", "không mật", "thường", "0", "none", "no"}


def marking_in_text(text) -> str:
    """The capitalised marking found in free ``text`` ("" when none)."""
    text = normalize_text(text)
    for match in _MARKING_RE.finditer(text):
        before = text[max(0, match.start() - 4):match.start()]
        if any(before.endswith(word) for word in _TOPIC_WORDS):
            continue
        return match.group(1)
    return ""


def declared_marking(value) -> str:
    """The marking a secrecy field declares ("" when the value means "not secret")."""
    if fold(value) in _NOT_SECRET:
        return ""
    match = _MARKING_RE.search(normalize_text(value).upper())
    return match.group(1) if match else ""


def secret_marking(*, declared=(), texts=()) -> str:
    """The first marking among ``declared`` secrecy values and free ``texts`` ("" when none)."""
    for value in declared:
        found = declared_marking(value)
        if found:
            return found
    for text in texts:
        found = marking_in_text(text)
        if found:
            return found
    return ""


#: the key of the secrecy declaration in the input of incoming and outgoing documents
SECRECY_FIELD = "secrecy"


def secrecy_errors(data, text_fields=("title",)) -> list[dict]:
    """``[{field, message}]`` refusing a secret document (empty when it is not secret).

    ``data`` is the raw input of a form or REST body: its declared secrecy
    (``secrecy``) and its free ``text_fields`` are checked.
    """
    from dongthap.qlvb.i18n import _

    declared = data.get(SECRECY_FIELD)
    marking = secret_marking(declared=[declared] if isinstance(declared, str) else [],
                             texts=[data.get(name) for name in text_fields
                                    if isinstance(data.get(name), str)])
    if not marking:
        return []
    field = SECRECY_FIELD if declared_marking(declared if isinstance(declared, str) else "") else next(
        (name for name in text_fields if isinstance(data.get(name), str) and marking_in_text(data[name])),
        SECRECY_FIELD)
    return [{"field": field, "message": _(
        "error_secret_document",
        default="The document is marked \"${marking}\": documents classified as state secrets "
                "(MẬT, TỐI MẬT, TUYỆT MẬT) are never sent, received or stored in this system "
                "(Quyết định 595/QĐ-UBND). Handle it on paper according to the rules on state secrets.",
        mapping={"marking": marking})}]
