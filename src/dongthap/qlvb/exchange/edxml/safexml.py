"""Hardened XML parsing for untrusted packages.

Defences, in order:

1. size limit checked before any parsing (:class:`PackageTooLargeError`);
2. a DOCTYPE is refused outright: edXML never needs one, and refusing it
   stops billion-laughs, external entities (XXE) and external DTDs before the
   parser sees them (a cheap scan of the prolog);
3. lxml runs with entity substitution off, no DTD loading, no network;
   the tree is checked again for a DTD afterwards (covers exotic encodings);
4. parsing is incremental and aborts as soon as the depth or element-count
   limit is exceeded, so deep nesting or millions of tiny elements never
   reach memory.

``huge_tree`` is on only so that large base64 attachments (> 10 MB of text)
are accepted; limits 1, 2 and 4 are ours and do not depend on it.
"""

from __future__ import annotations

import io

from lxml import etree

from .constants import DEFAULT_MAX_DEPTH, DEFAULT_MAX_ELEMENTS, DEFAULT_MAX_SIZE
from .errors import PackageTooLargeError, ParseError, UnsafeXMLError

_PROLOG_SCAN = 64 * 1024


def _prolog_text(data: bytes) -> str:
    """Decode the start of the document well enough to scan its prolog."""
    head = data[:_PROLOG_SCAN]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (len(head) > 1 and b"\x00" in head[:4]):
        for enc in ("utf-16", "utf-16-le", "utf-16-be"):
            try:
                return head[: len(head) // 2 * 2].decode(enc, errors="ignore")
            except (UnicodeError, LookupError):
                continue
    return head.decode("latin-1")


def check_prolog(data: bytes) -> None:
    """Raise :class:`UnsafeXMLError` if a DOCTYPE comes before the root element."""
    text = _prolog_text(data)
    pos = 0
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            return
        if text.startswith("<?", lt):
            end = text.find("?>", lt)
        elif text.startswith("<!--", lt):
            end = text.find("-->", lt)
        elif text.startswith("<!", lt):
            raise UnsafeXMLError("DOCTYPE/DTD declarations are not allowed in edXML packages")
        else:
            return  # the root element starts here
        if end < 0:
            return
        pos = end + 2


def parse_xml(
    data: bytes,
    *,
    max_size: int = DEFAULT_MAX_SIZE,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_elements: int = DEFAULT_MAX_ELEMENTS,
    recover: bool = False,
) -> tuple[etree._Element, list[str]]:
    """Parse untrusted bytes safely.

    Returns ``(root, errors)``; ``errors`` is empty unless ``recover`` is true
    and the document was not well-formed (then it lists what libxml2 said).
    Raises :class:`ParseError` / :class:`UnsafeXMLError` /
    :class:`PackageTooLargeError` on failure.
    """
    if isinstance(data, (bytearray, memoryview)):
        data = bytes(data)
    if not isinstance(data, bytes):
        raise TypeError("edXML packages must be given as bytes")
    if len(data) > max_size:
        raise PackageTooLargeError(
            f"package of {len(data)} bytes exceeds the limit of {max_size} bytes"
        )
    if not data.strip():
        raise ParseError("empty package")
    check_prolog(data)
    context = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        load_dtd=False,
        dtd_validation=False,
        no_network=True,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
        recover=recover,
    )
    depth = count = 0
    root = None
    try:
        for event, elem in context:
            if event == "start":
                depth += 1
                count += 1
                if root is None:
                    root = elem
                if depth > max_depth:
                    raise UnsafeXMLError(f"XML nesting deeper than {max_depth} levels")
                if count > max_elements:
                    raise UnsafeXMLError(f"more than {max_elements} XML elements")
            else:
                depth -= 1
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"not well-formed XML: {exc}") from None
    except (etree.LxmlError, ValueError, LookupError) as exc:
        raise ParseError(f"cannot parse XML: {exc}") from None
    except MemoryError:
        raise ParseError("package too complex to parse") from None
    if root is None:
        raise ParseError("no XML element found")
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.externalDTD is not None or docinfo.doctype:
        raise UnsafeXMLError("DOCTYPE/DTD declarations are not allowed in edXML packages")
    errors = [f"line {e.line}: {e.message}" for e in context.error_log] if recover else []
    return root, errors


def strip_leading_bytes(data: bytes) -> tuple[bytes, str]:
    """Drop a BOM, whitespace or stray bytes before the XML declaration (tolerant mode only).

    Returns ``(data, repair)``; ``repair`` describes what was removed ("" when nothing).

    Only for byte-oriented encodings (UTF-8 and the like): UTF-16 packages,
    recognised by their BOM or NUL bytes, are left as they are.
    """
    head = data[:_PROLOG_SCAN]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" in head[:4] and b"<\x00" in head):
        return data, ""
    start = head.find(b"<?xml")
    if start < 0:
        start = head.find(b"<")
    if start <= 0:
        return data, ""
    return data[start:], f"{start} byte(s) before the XML declaration removed"
