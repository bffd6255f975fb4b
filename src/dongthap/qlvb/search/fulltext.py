"""The text of the files of documents, extracted in the background, and OCR of scans.

Never in a request: adding a document, or changing its main file, only marks it
``qlvb_fulltext_status = "pending"`` (catalogued, so the worker finds its queue with one
query). The worker (``scripts/fulltext_worker.py``, rounds of :func:`process_pending`) then,
for each pending document, outside any user's request:

* reads the text layer of its PDFs (main file and attachments) with poppler's ``pdftotext``,
  and the text of its .docx, .odt and .xlsx attachments (:mod:`dongthap.qlvb.search.office`);
* a page without a text layer is a scan: its images' resolution is read (``pdfimages
  -list``; under :data:`MIN_DPI` the document is flagged — NĐ 30 requires 200 dpi), the pages
  are rendered at :data:`OCR_DPI` (``pdftoppm``) and read by Tesseract with its Vietnamese
  model (``tesseract -l vie``), which writes the text and a searchable PDF. The searchable
  copy is kept beside the untouched original as ``qlvb_ocr_file`` (the original, which may
  be signed, is never modified);
* stores the text as ``qlvb_fulltext`` (read by the ``SearchableText`` indexer,
  :mod:`dongthap.qlvb.search.text`), the status (:data:`STATUSES`) and re-indexes.

The status is shown to the clerk on the document (viewlet) and in search results.
"""

from dongthap.qlvb.i18n import _
from dongthap.qlvb.search import office
from plone import api

import logging
import os
import re
import shutil
import subprocess
import tempfile

logger = logging.getLogger("dongthap.qlvb.search.fulltext")

MIN_DPI = 200
OCR_DPI = 300
LANG = "vie"
TIMEOUT = 600
#: A page with fewer letters than this in its text layer is taken for a scan.
MIN_LETTERS_PER_PAGE = 20

PENDING, DONE, OCR, EMPTY, FAILED = "pending", "done", "ocr", "empty", "failed"
STATUSES = {
    PENDING: _("fulltext_pending", default="Waiting for text extraction"),
    DONE: _("fulltext_done", default="Text indexed"),
    OCR: _("fulltext_ocr", default="Scan recognised (OCR), text indexed"),
    EMPTY: _("fulltext_empty", default="No text found"),
    FAILED: _("fulltext_failed", default="Text extraction failed"),
}
LOW_DPI = _("fulltext_low_dpi", default="Scanned under ${dpi} dpi (NĐ 30 requires 200 dpi).")


# ---------------------------------------------------------------- the queue


def _one_key(named):
    size = named.getSize() if hasattr(named, "getSize") else getattr(named, "size", 0)
    return (getattr(named, "filename", None), size)


def _file_key(doc):
    """What the extracted text depends on: the main file and the attachments (name, size)."""
    named = getattr(doc, "file", None)
    if named is None:
        return None
    attachments = tuple(_one_key(a) for a in getattr(doc, "attachments", None) or ())
    return _one_key(named) + ((attachments,) if attachments else ())


def mark_pending(doc, event=None):
    """Subscriber (document added or modified): queue the document when its files are new."""
    key = _file_key(doc)
    if key is None or getattr(doc, "qlvb_fulltext_source", None) == key:
        return
    doc.qlvb_fulltext_source = key
    doc.qlvb_fulltext_status = PENDING
    doc.qlvb_fulltext_error = ""
    doc.reindexObject(idxs=["qlvb_fulltext_status"])


def status_of(doc):
    """``{"status", "title", "low_dpi", "dpi", "ocr_url"}`` for the document's page and REST."""
    status = getattr(doc, "qlvb_fulltext_status", None)
    if not status:
        return None
    ocr = getattr(doc, "qlvb_ocr_file", None)
    return {"status": status, "title": STATUSES.get(status, status),
            "dpi": getattr(doc, "qlvb_scan_dpi", None),
            "low_dpi": bool(getattr(doc, "qlvb_scan_dpi", None)) and doc.qlvb_scan_dpi < MIN_DPI,
            "ocr_url": f"{doc.absolute_url()}/@@ban-ocr" if ocr is not None else None,
            "error": getattr(doc, "qlvb_fulltext_error", "")}


# ---------------------------------------------------------------- extraction


def _run(args, **kwargs):
    return subprocess.run(args, capture_output=True, check=True, timeout=TIMEOUT, **kwargs)


def page_texts(pdf_path):
    """The text layer of each page of the PDF at ``pdf_path`` (pdftotext; pages split at \\f)."""
    out = _run(["pdftotext", "-enc", "UTF-8", pdf_path, "-"]).stdout.decode("utf-8", "replace")
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return pages


def image_dpi(pdf_path):
    """The lowest resolution (ppi) of the images of the PDF, or None without images."""
    out = _run(["pdfimages", "-list", pdf_path]).stdout.decode("utf-8", "replace")
    lows = []
    for line in out.splitlines()[2:]:
        cols = line.split()
        if len(cols) >= 14 and cols[12].isdigit() and cols[13].isdigit():
            lows.append(min(int(cols[12]), int(cols[13])))
    return min(lows) if lows else None


def ocr(pdf_path, workdir, lang=LANG, dpi=OCR_DPI):
    """``(text, searchable_pdf_bytes)`` of a scanned PDF: pages rendered at ``dpi`` and read
    by Tesseract (one call for all pages: text and a searchable PDF)."""
    prefix = os.path.join(workdir, "page")
    _run(["pdftoppm", "-r", str(dpi), "-gray", "-png", pdf_path, prefix])
    images = sorted(f for f in os.listdir(workdir) if f.startswith("page") and f.endswith(".png"))
    listing = os.path.join(workdir, "pages.txt")
    with open(listing, "w") as handle:
        handle.write("\n".join(os.path.join(workdir, f) for f in images) + "\n")
    base = os.path.join(workdir, "ocr")
    _run(["tesseract", listing, base, "-l", lang, "--dpi", str(dpi), "txt", "pdf"],
         env=dict(os.environ, OMP_THREAD_LIMIT="1"))
    with open(base + ".txt", encoding="utf-8") as handle:
        text = handle.read()
    with open(base + ".pdf", "rb") as handle:
        return text, handle.read()


def is_scan(pages):
    letters = [len(re.findall(r"\w", p)) for p in pages]
    return not letters or all(n < MIN_LETTERS_PER_PAGE for n in letters)


def extract_pdf(data, want_ocr_copy=False):
    """``(text, dpi, searchable_pdf or None, used_ocr)`` of the PDF bytes ``data``."""
    workdir = tempfile.mkdtemp(prefix="qlvb-fulltext-")
    try:
        path = os.path.join(workdir, "in.pdf")
        with open(path, "wb") as handle:
            handle.write(data)
        pages = page_texts(path)
        if not is_scan(pages):
            return "\n".join(pages), None, None, False
        dpi = image_dpi(path)
        text, searchable = ocr(path, workdir)
        return text, dpi, (searchable if want_ocr_copy else None), True
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _files(doc):
    """``(main, kind, named)`` for each file of ``doc`` whose text we read: "pdf" or an office
    kind ("docx", "odt", "xlsx", :mod:`dongthap.qlvb.search.office`)."""
    named = getattr(doc, "file", None)
    items = ([(True, named)] if named is not None else []) + [
        (False, item) for item in getattr(doc, "attachments", None) or ()]
    for main, item in items:
        content_type = (getattr(item, "contentType", "") or "").lower()
        filename = getattr(item, "filename", "") or ""
        if content_type.startswith("application/pdf") or filename.lower().endswith(".pdf"):
            yield main, "pdf", item
        else:
            kind = office.kind_of(content_type, filename)
            if kind:
                yield main, kind, item


def extract(doc):
    """Extract the text of ``doc``'s PDFs now (the worker's job), store it and re-index."""
    from plone.namedfile.file import NamedBlobFile

    texts, dpis, used_ocr = [], [], False
    try:
        for main, kind, named in _files(doc):
            if kind != "pdf":
                texts.append(office.office_text(named.data, kind))
                continue
            text, dpi, searchable, scanned = extract_pdf(named.data, want_ocr_copy=main)
            texts.append(text)
            used_ocr = used_ocr or scanned
            if dpi:
                dpis.append(dpi)
            if searchable is not None:
                name = (named.filename or "van-ban.pdf").rsplit(".", 1)[0]
                doc.qlvb_ocr_file = NamedBlobFile(searchable, contentType="application/pdf",
                                                  filename=f"{name}-ocr.pdf")
    except (OSError, subprocess.SubprocessError, office.OfficeError) as problem:
        logger.warning("full text of %s failed: %s", "/".join(doc.getPhysicalPath()), problem)
        doc.qlvb_fulltext_status = FAILED
        doc.qlvb_fulltext_error = str(problem)[:500]
        doc.reindexObject(idxs=["qlvb_fulltext_status"])
        return FAILED
    text = " ".join(" ".join(texts).split())
    doc.qlvb_fulltext = text
    doc.qlvb_scan_dpi = min(dpis) if dpis else None
    doc.qlvb_fulltext_status = (OCR if used_ocr else DONE) if text else EMPTY
    doc.reindexObject(idxs=["SearchableText", "qlvb_fulltext_status"])
    return doc.qlvb_fulltext_status


def process_pending(limit=20):
    """One round of the worker: extract up to ``limit`` pending documents; returns counts.

    Runs once across the site's processes (:mod:`dongthap.qlvb.utils.singleton`): while
    another process (or thread) runs a round, this one answers ``{"busy": True}``.
    """
    from dongthap.qlvb.utils.singleton import exclusive

    with exclusive("fulltext-round") as mine:
        if not mine:
            return {"busy": True}
        return _process_pending(limit)


def _process_pending(limit):
    catalog = api.portal.get_tool("portal_catalog")
    counts = {}
    for brain in catalog.unrestrictedSearchResults(qlvb_fulltext_status=PENDING)[:limit]:
        doc = brain._unrestrictedGetObject()
        status = extract(doc)
        counts[status] = counts.get(status, 0) + 1
    return counts
