"""Suggestions for the registration form, read from the first page of an incoming document.

The first page of a document drawn up by NĐ 30/2020/NĐ-CP (Phụ lục I) says, in fixed places:

* top left, in capitals, the issuing agency, under its parent agency when it has one
  ("UBND TỈNH ĐỒNG THÁP" / "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"), then "Số: 12/UBND-VP";
* top right the national motto, then "Đồng Tháp, ngày 05 tháng 12 năm 2026";
* a công văn: "V/v …" (its trích yếu) under the number; any other type: the type's name
  in capitals in the middle ("QUYẾT ĐỊNH") and the trích yếu on the next lines.

:func:`first_page_text` reads the page's text layer (``pdftotext``) or, for a scan, renders
the page and reads it with Tesseract (one page only: seconds, not minutes).
:func:`suggest` applies the rules to that text. Nothing is saved: the form shows the
suggestions in its empty fields, marked "gợi ý", and the clerk confirms or corrects them.
"""

from dongthap.qlvb.search import fulltext
from dongthap.qlvb.utils.text import search_key
from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES

import datetime
import os
import re
import shutil
import tempfile

FIELDS = ("code_number", "code_notation", "issued_date", "issuing_agency_name", "issuing_agency_code",
          "title", "document_type")

_NUMBER = re.compile(r"\bS[ốo6][\s.]*[:;.]?\s*(\d{1,6})\s*/\s*([0-9A-ZĐa-zđ][\w./\-–]*[\wĐđ])", re.UNICODE)
_DATE = re.compile(r"ng[àa]y\s+(\d{1,2})\s+th[áa]ng\s+(\d{1,2})\s+n[ăa]m\s+(\d{4})", re.IGNORECASE)
_VV = re.compile(r"^\s*V/[vV]\s*[:.]?\s*(.+)$")
_MOTTO = ("cong hoa xa hoi chu nghia", "doc lap tu do hanh phuc")
#: Words that start the name of an agency (the issuing agency is the last line starting so).
_HEADS = ("so ", "phong ", "ban ", "van phong", "trung tam", "chi cuc", "cuc ", "thanh tra", "bo ",
          "hoi dong", "uy ban", "ubnd", "truong ", "benh vien", "dai ", "tinh uy", "huyen uy",
          "thanh uy", "dang uy", "mat tran", "kho bac", "cong an", "bo chi huy", "toa an", "vien kiem sat",
          "doan ", "hoi ", "lien doan", "chi nhanh", "ngan hang", "bao hiem", "quy ", "tong cuc")
_STOP = ("kinh gui", "can cu", "noi nhan", "thuc hien", "xet de nghi")
#: Where the right column starts on a line that OCR read across both columns.
_RIGHT = re.compile(r"C[ỘỐÔO]NG\s+H[ÒOÓÕ]A\s+X|[ĐD][ộốôo]c\s+l[ậấâa]p\s*[-–]"
                    r"|\b[A-ZĐ]\w*(\s+\w+){0,3},\s+ng[àa]y\s+\d", re.IGNORECASE)
#: After these words (administrative units) comes a place name, written with capitals.
_UNITS = ("tỉnh", "huyện", "thành phố", "thị xã", "xã", "phường", "thị trấn", "quận")


def first_page_text(data):
    """``(text, used_ocr)`` of the first page of the PDF bytes ``data``."""
    workdir = tempfile.mkdtemp(prefix="qlvb-suggest-")
    try:
        path = os.path.join(workdir, "in.pdf")
        with open(path, "wb") as handle:
            handle.write(data)
        out = fulltext._run(["pdftotext", "-f", "1", "-l", "1", "-enc", "UTF-8", path, "-"])
        text = out.stdout.decode("utf-8", "replace")
        if not fulltext.is_scan([text]):
            return text, False
        prefix = os.path.join(workdir, "page")
        fulltext._run(["pdftoppm", "-f", "1", "-l", "1", "-r", str(fulltext.OCR_DPI), "-gray", "-png",
                       path, prefix])
        image = next(os.path.join(workdir, f) for f in sorted(os.listdir(workdir)) if f.endswith(".png"))
        out = fulltext._run(["tesseract", image, "-", "-l", fulltext.LANG, "--dpi", str(fulltext.OCR_DPI)],
                            env=dict(os.environ, OMP_THREAD_LIMIT="1"))
        return out.stdout.decode("utf-8", "replace"), True
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _is_upper(line):
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= 0.8 * len(letters)


def _clean(line):
    return " ".join(line.replace("–", "-").split()).strip(" -_.")


def _left(line):
    """The left column of a line (OCR may read the motto or the place-date on the same line)."""
    match = _RIGHT.search(line)
    return line[:match.start()] if match and match.start() > 0 else ("" if match else line)


def _cased(name):
    """"ỦY BAN NHÂN DÂN HUYỆN LAI VUNG" → "Ủy ban nhân dân huyện Lai Vung" (capitals only at the
    start and in the place name after an administrative unit); a name written in mixed case is kept."""
    if not _is_upper(name):
        return name
    words = name.lower().split()
    out, place = [], False
    for i, word in enumerate(words):
        unit = word in _UNITS or " ".join(words[max(i - 1, 0):i + 1]) in _UNITS
        out.append(word[:1].upper() + word[1:] if i == 0 or (place and not unit) else word)
        place = unit or place
    return " ".join(out)


def _agency(lines_before_number):
    """The issuing agency from the capital lines above "Số:" (the last agency's name and its
    continuation lines; a parent agency above it is left out)."""
    lines = [_clean(_left(x)) for x in lines_before_number]
    lines = [x for x in lines if x and _is_upper(x) and not any(m in search_key(x) for m in _MOTTO)]
    if not lines:
        return ""
    start = 0
    for i, line in enumerate(lines):
        if search_key(line).startswith(_HEADS):
            start = i
    return " ".join(lines[start:])


def _type_of(line):
    key = search_key(_clean(line))
    for value, (name, _abbr) in DOCUMENT_TYPES.items():
        if key == search_key(name):
            return value
    return None


def _continuation(lines, start):
    """Lines from ``start`` to the first blank line, stop word, or motto / date line."""
    out = []
    for line in lines[start:]:
        key = search_key(line)
        if not line.strip() or key.startswith(_STOP) or _DATE.search(line) or any(m in key for m in _MOTTO):
            break
        if out and _is_upper(line):
            break  # the authority's line under the title of a decision ("CHỦ TỊCH …")
        out.append(_clean(line))
        if len(out) >= 4:
            break
    return " ".join(out)


def _known_agency(name):
    """``(title, code)`` of the agency of this site whose name folds to ``name``'s, or None."""
    from plone import api

    key = search_key(name)
    try:
        brains = api.content.find(portal_type="Agency", unrestricted=True)
    except Exception:  # noqa: BLE001 - outside a site (unit tests of the rules)
        return None
    for brain in brains:
        if search_key(brain.Title) == key:
            obj = brain._unrestrictedGetObject()
            return brain.Title, getattr(obj, "agency_code", "") or ""
    return None


def suggest(text, *, lookup=True):
    """The suggested values (only those found) of :data:`FIELDS`, from the first page's text."""
    lines = text.replace("\f", "\n").splitlines()
    found = {}
    number_at = None
    for i, line in enumerate(lines):
        match = _NUMBER.search(line)
        if match:
            found["code_number"] = str(int(match.group(1)))
            found["code_notation"] = match.group(2).replace("–", "-")
            number_at = i
            break
    for line in lines:
        match = _DATE.search(line)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                found["issued_date"] = datetime.date(year, month, day).strftime("%d/%m/%Y")
            except ValueError:
                pass
            break
    head = lines[:number_at] if number_at is not None else lines[:6]
    agency = _agency(head)
    if agency:
        known = _known_agency(agency) if lookup else None
        if known:
            found["issuing_agency_name"], code = known
            if code:
                found["issuing_agency_code"] = code
        else:
            found["issuing_agency_name"] = _cased(agency)
    for i, line in enumerate(lines):
        match = _VV.match(line)
        if match:
            rest = _continuation(lines, i + 1)
            found["title"] = _clean(f"Về việc {match.group(1)} {rest}")
            found["document_type"] = "cong_van"
            break
    else:
        for i, line in enumerate(lines[number_at or 0:], start=number_at or 0):
            kind = _type_of(line) if _is_upper(line) else None
            if kind:
                found["document_type"] = kind
                title = _continuation(lines, i + 1)
                if title:
                    found["title"] = title
                break
    return found
