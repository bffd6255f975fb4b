"""How many pages a PDF has, as a PDF reader sees it (the one place pages are counted).

A signed PDF carries every signature as an incremental update that writes the
page objects again: counting ``/Type /Page`` in the bytes gave 3 for a
one-page document signed twice. Here the file is read with pyHanko's reader
(already our signing library): the ``/Count`` of the page tree of the latest
revision, as readers show it; when it is missing or implausible, the tree is
walked from the catalog and each leaf counted once. Plone-free.
"""

from __future__ import annotations

from io import BytesIO

import logging

logger = logging.getLogger("dongthap.qlvb.documents")

#: More leaves than this is not a document we store (``page_amount`` allows up to 100000).
MAX_PAGES = 100000


def _bytes(value):
    if value is None:
        return b""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    data = getattr(value, "data", None)  # a NamedBlobFile / NamedFile
    return bytes(data) if data else b""


def count_pages(value) -> int | None:
    """Pages of the PDF in ``value`` (bytes or a named file); ``None`` when it cannot be read."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        data = _bytes(value)
    except Exception:  # noqa: BLE001 - any storage problem just means "unknown"
        return None
    if not data:
        return None
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        pages = reader.root["/Pages"]
        declared = pages.get("/Count") if isinstance(pages, generic.DictionaryObject) else None
        if isinstance(declared, int) and 0 < declared <= MAX_PAGES:
            return int(declared)  # what PDF readers show (the root's /Count, ISO 32000 7.7.3.2)
        stack = [reader.root.raw_get("/Pages")]
        seen = set()
        count = 0
        while stack:
            ref = stack.pop()
            if isinstance(ref, generic.IndirectObject):
                key = (ref.idnum, ref.generation)
                if key in seen:  # a loop in a broken or hostile page tree
                    continue
                seen.add(key)
            node = ref.get_object() if hasattr(ref, "get_object") else ref
            if not isinstance(node, generic.DictionaryObject):
                continue
            kids = node.raw_get("/Kids") if "/Kids" in node else None
            if kids is None or node.get("/Type") == "/Page":
                count += 1
                if count > MAX_PAGES:
                    return None
                continue
            kids = kids.get_object() if hasattr(kids, "get_object") else kids
            stack.extend(reversed([kids.raw_get(i) for i in range(len(kids))]))
        return count or None
    except Exception as problem:  # noqa: BLE001 - an unreadable PDF has an unknown page count
        logger.info("pages of a PDF could not be counted: %s", type(problem).__name__)
        return None
