"""Scanned originals: the resolution of the images of a PDF (NĐ 30 Phụ lục I: ≥ 200 dpi).

A paper original scanned in (a paper-signed outgoing document at its issue, a paper
document copied into an electronic copy) must be a PDF whose pages are images of
at least :data:`MIN_DPI` dots per inch. The resolution of a page is read from the
PDF itself, as a reader shows it: every image the page draws (``Do`` of an image
XObject, directly or inside a form XObject) has its pixel size (``/Width``,
``/Height``) and the size it is drawn at, given by the transformation matrix in
force (``cm`` operators, saved and restored by ``q``/``Q``); its resolution is
pixels ÷ inches drawn, the smaller of both directions. A page's resolution is that
of its sharpest image (a scan may add a small logo or a signature at a lower
resolution); a page without any image is not a scan. Plone-free (pyHanko's reader).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

import math
import re

#: NĐ 30/2020 Phụ lục I: scanned originals at 200 dpi at least.
MIN_DPI = 200
#: Pages read at most (a longer file is read up to here: every page is checked up to it).
MAX_PAGES = 2000
_TOKEN = re.compile(rb"/[^\s/\[\]()<>{}%]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z'\"*]+|\(|\)|<<|>>|<|>|\[|\]"
                    rb"|%[^\r\n]*")


@dataclass(frozen=True)
class PageScan:
    page: int  # 1-based
    dpi: float | None  # None: no image on the page


def _matrix_mul(m, n):
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2,
            e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _skip_strings(data):
    """The content stream without string literals and inline images (their bytes are not operators)."""
    out = bytearray()
    i, n = 0, len(data)
    while i < n:
        ch = data[i:i + 1]
        if ch == b"(":
            depth = 0
            while i < n:
                c = data[i:i + 1]
                if c == b"\\":
                    i += 2
                    continue
                if c == b"(":
                    depth += 1
                elif c == b")":
                    depth -= 1
                    if depth == 0:
                        break
                i += 1
            out += b" () "
            i += 1
            continue
        if data.startswith(b"BI", i) and (i == 0 or data[i - 1:i].isspace()) and \
                (i + 2 >= n or data[i + 2:i + 3].isspace()):
            end = data.find(b"EI", i + 2)
            while end != -1 and not ((end + 2 >= n or data[end + 2:end + 3].isspace())
                                     and data[end - 1:end].isspace()):
                end = data.find(b"EI", end + 2)
            i = n if end == -1 else end + 2
            out += b" "
            continue
        out += ch
        i += 1
    return bytes(out)


def _images_drawn(content, resources, ctm, depth=0):
    """``[(width_px, height_px, drawn_w_pt, drawn_h_pt)]`` of the images ``content`` draws."""
    from pyhanko.pdf_utils import generic

    found = []
    if depth > 4:
        return found
    xobjects = resources.get("/XObject") if isinstance(resources, generic.DictionaryObject) else None
    stack, operands = [], []
    for token in _TOKEN.findall(_skip_strings(content)):
        if token.startswith(b"%"):
            continue
        if token[:1] in b"-+.0123456789":
            try:
                operands.append(float(token))
            except ValueError:
                operands = []
            continue
        if token.startswith(b"/"):
            operands.append(token.decode("latin-1"))
            continue
        if token == b"q":
            stack.append(ctm)
        elif token == b"Q":
            ctm = stack.pop() if stack else ctm
        elif token == b"cm" and len(operands) >= 6 and all(isinstance(x, float) for x in operands[-6:]):
            ctm = _matrix_mul(tuple(operands[-6:]), ctm)
        elif token == b"Do" and operands and isinstance(operands[-1], str) and xobjects is not None:
            try:
                xobj = xobjects.get(operands[-1])
                xobj = xobj.get_object() if xobj is not None else None
            except Exception:  # noqa: BLE001 - a broken reference draws nothing
                xobj = None
            if xobj is not None:
                subtype = xobj.get("/Subtype")
                if subtype == "/Image":
                    a, b, c, d, _e, _f = ctm
                    found.append((int(xobj.get("/Width", 0)), int(xobj.get("/Height", 0)),
                                  math.hypot(a, b), math.hypot(c, d)))
                elif subtype == "/Form":
                    matrix = xobj.get("/Matrix")
                    inner = _matrix_mul(tuple(float(x) for x in matrix), ctm) if matrix else ctm
                    found.extend(_images_drawn(xobj.data, xobj.get("/Resources", resources), inner,
                                               depth + 1))
        operands = [] if token not in (b"[", b"]", b"<<", b">>") else operands
    return found


def _page_contents(page):
    from pyhanko.pdf_utils import generic

    contents = page.get("/Contents")
    if contents is None:
        return b""
    contents = contents.get_object() if hasattr(contents, "get_object") else contents
    if isinstance(contents, generic.ArrayObject):
        return b"\n".join(part.get_object().data for part in contents)
    return contents.data


def _pages(reader):
    stack, seen = [reader.root["/Pages"]], set()
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if id(node) in seen:
            continue
        seen.add(id(node))
        if node.get("/Type") == "/Pages" or "/Kids" in node:
            stack.extend(reversed(list(node.get("/Kids", ()))))
        else:
            yield node


def _inherited(page, key):
    node = page
    for _ in range(32):
        if key in node:
            return node[key]
        parent = node.get("/Parent")
        if parent is None:
            return None
        node = parent.get_object()
    return None


def page_resolutions(data) -> list[PageScan]:
    """The resolution of each page of the PDF ``data`` (bytes). Raises when it cannot be read."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(BytesIO(bytes(data)), strict=False)
    result = []
    for number, page in enumerate(_pages(reader), 1):
        if number > MAX_PAGES:
            break
        resources = _inherited(page, "/Resources")
        resources = resources.get_object() if resources is not None else None
        images = _images_drawn(_page_contents(page), resources, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        best = None
        for width, height, drawn_w, drawn_h in images:
            if width <= 0 or height <= 0 or drawn_w <= 0 or drawn_h <= 0:
                continue
            dpi = min(width / (drawn_w / 72.0), height / (drawn_h / 72.0))
            best = dpi if best is None else max(best, dpi)
        result.append(PageScan(number, None if best is None else round(best, 1)))
    return result


def scan_problems(data, minimum=MIN_DPI):
    """``(pages, low)``: the page resolutions and the pages below ``minimum`` (or without an image).

    ``pages`` is empty when the file cannot be read as a PDF.
    """
    try:
        pages = page_resolutions(data)
    except Exception:  # noqa: BLE001 - any reader error: not a readable PDF
        return [], []
    return pages, [p for p in pages if p.dpi is None or p.dpi < minimum]


def check_scan(data, error, *, field="scan", minimum=MIN_DPI):
    """Refuse (raise ``error``, 422) a scanned original below ``minimum`` dpi, in Vietnamese.

    Returns the lowest resolution found (dpi) when the scan is good.
    """
    from dongthap.qlvb.i18n import _

    pages, low = scan_problems(data, minimum)
    if not pages:
        message = _("error_scan_not_pdf", default="The scanned original is not a readable PDF document.")
        raise error(message, [{"field": field, "message": message}], status=400)
    if low:
        first = low[0]
        if first.dpi is None:
            message = _("error_scan_no_image",
                        default="Page ${page} of the scanned original has no scanned image: upload the "
                                "scan of the signed and sealed original (at least ${min} dpi).",
                        mapping={"page": str(first.page), "min": str(minimum)})
        else:
            message = _("error_scan_low_dpi",
                        default="The scanned original is ${dpi} dpi on page ${page}; scan it again at "
                                "${min} dpi or more (NĐ 30/2020, Phụ lục I).",
                        mapping={"dpi": str(int(first.dpi)), "page": str(first.page),
                                 "min": str(minimum)})
        raise error(message, [{"field": field, "message": message}], status=422)
    return min(p.dpi for p in pages)
