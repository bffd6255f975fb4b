"""Full text of files (text layer and OCR of scans), extracted in the background."""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.search import api as search
from dongthap.qlvb.search import fulltext
from dongthap.qlvb.search import office
from dongthap.qlvb.utils.text import search_words
from plone import api
from tests.incoming.helpers import payload
from tests.search.scans import PAGE
from tests.search.scans import scan_pdf

import collections


def _recovered(expected, got):
    """Share of the words of ``expected`` found in ``got`` (as a multiset, exact words)."""
    want = collections.Counter(expected.split())
    have = collections.Counter(got.split())
    return sum(min(n, have[w]) for w, n in want.items()) / sum(want.values())


def test_ocr_of_a_200_dpi_scan_recovers_95_percent_of_the_words():
    text, dpi, searchable, scanned = fulltext.extract_pdf(scan_pdf(dpi=200), want_ocr_copy=True)
    assert scanned and dpi == 200
    share = _recovered(PAGE, text)
    print(f"OCR recovered {share:.1%} of the words")
    assert share >= 0.95, text
    assert searchable.startswith(b"%PDF")
    # the searchable copy has a text layer now
    import os
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf", delete=False) as handle:
        handle.write(searchable)
    try:
        layer = " ".join(fulltext.page_texts(handle.name))
    finally:
        os.unlink(handle.name)
    assert "Đồng Tháp" in layer or "ĐỒNG THÁP" in layer


def _create(portal, data, title):
    raw = payload(file=None, title=title, page_amount="1")
    raw["file"] = (data, "scan.pdf")
    with api.env.adopt_user(username="stttt.vanthu"):
        created = incoming.build_document(portal["so-tttt"], incoming.clean(raw))
    return portal.unrestrictedTraverse(created["path"])


def _find(text):
    with api.env.adopt_user(username="stttt.vanthu"):
        return {r["uid"] for r in search.search({"text": text}, batch=(0, 100))}


def test_documents_are_queued_then_extracted_by_the_worker(portal):
    scanned = _create(portal, scan_pdf(dpi=200), "Công văn giấy quét")
    typed = _create(portal, make_pdf(["Báo cáo tổng kết phong trào thi đua yêu nước"]), "Báo cáo có lớp chữ")
    low = _create(portal, scan_pdf(dpi=150), "Bản quét độ phân giải thấp")
    original = bytes(scanned.file.data)
    for doc in (scanned, typed, low):
        assert fulltext.status_of(doc)["status"] == "pending"  # never extracted in the request
    assert scanned.UID() not in _find("vuong mac")
    counts = fulltext.process_pending(limit=50)
    assert counts.get("ocr", 0) >= 2 and counts.get("done", 0) >= 1
    assert fulltext.status_of(scanned)["status"] == "ocr"
    assert fulltext.status_of(typed)["status"] == "done"
    assert scanned.UID() in _find("vuong mac") and scanned.UID() in _find("vướng mắc")
    assert scanned.UID() in _find("125/UBND-KT")
    assert typed.UID() in _find("thi dua yeu nuoc")
    # the original is untouched; the searchable copy lies beside it
    assert bytes(scanned.file.data) == original
    assert scanned.qlvb_ocr_file.filename == "scan-ocr.pdf"
    assert not fulltext.status_of(scanned)["low_dpi"]
    assert fulltext.status_of(low)["low_dpi"] and fulltext.status_of(low)["dpi"] == 150
    assert not fulltext.process_pending()  # nothing left
    assert set(search_words("vướng mắc")) == {"vuong", "mac"}


def test_the_clerk_sees_the_status_and_gets_the_ocr_copy(portal):
    from dongthap.qlvb.interfaces import IQlvbLayer
    from dongthap.qlvb.search.viewlets import OcrCopy
    from plone.app.layout.viewlets.interfaces import IAboveContentBody
    from Products.Five.browser import BrowserView
    from zope.component import getMultiAdapter
    from zope.interface import alsoProvides
    from zope.interface import implementer
    from zope.viewlet.interfaces import IViewlet

    doc = _create(portal, scan_pdf(dpi=150), "Bản quét mờ")
    request = portal.REQUEST
    alsoProvides(request, IQlvbLayer)

    @implementer(IAboveContentBody)
    class Manager:
        pass

    def shown():
        with api.env.adopt_user(username="stttt.vanthu"):
            viewlet = getMultiAdapter((doc, request, BrowserView(doc, request), Manager()), IViewlet,
                                      name="dongthap.qlvb.fulltext-status")
            viewlet.update()
            return viewlet.title(), viewlet.low_dpi(), viewlet.render()

    title, low, html = shown()
    assert title == "Đang chờ trích xuất nội dung" and low is None
    fulltext.process_pending(limit=50)
    title, low, html = shown()
    assert title.startswith("Đã nhận dạng bản quét (OCR)")
    assert "Nghị định 30 yêu cầu 200 dpi" in low and "150 dpi" in low and "@@ban-ocr" in html
    with api.env.adopt_user(username="stttt.vanthu"):
        data = OcrCopy(doc, request)()
    assert data.startswith(b"%PDF") and data != bytes(doc.file.data)
    assert request.response.getHeader("Content-Type") == "application/pdf"


def test_office_attachments_are_indexed_by_the_worker(portal):
    """A document whose attachments are .docx, .odt and .xlsx (as they arrive through the
    exchange): changing them queues it again, and the worker indexes their text."""
    from plone.namedfile.file import NamedBlobFile
    from tests.search import office_files
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    doc = _create(portal, make_pdf(["Công văn gửi kèm phụ lục"]), "Công văn có phụ lục")
    fulltext.process_pending(limit=50)
    assert fulltext.status_of(doc)["status"] == "done"
    doc.attachments = [
        NamedBlobFile(office_files.docx(["Phương án phòng chống xâm nhập mặn vùng Đồng Tháp Mười"]),
                      filename="phuong-an.docx", contentType=office.DOCX),
        NamedBlobFile(office_files.odt(["Danh sách hộ dân được hỗ trợ khoai lang"]),
                      filename="danh-sach.odt"),
        NamedBlobFile(office_files.xlsx([["Xã Mỹ Hòa", "Kinh phí đối ứng"]]), filename="kinh-phi.xlsx",
                      contentType="application/octet-stream"),
    ]
    notify(ObjectModifiedEvent(doc))
    assert fulltext.status_of(doc)["status"] == "pending"
    assert doc.UID() not in _find("xam nhap man")
    assert fulltext.process_pending(limit=50) == {"done": 1}
    for words in ("xam nhap man", "xâm nhập mặn", "khoai lang", "doi ung", "my hoa", "phu luc"):
        assert doc.UID() in _find(words), words


def test_a_hostile_office_attachment_fails_the_extraction_visibly(portal):
    from plone.namedfile.file import NamedBlobFile
    from tests.search import office_files
    from zope.event import notify
    from zope.lifecycleevent import ObjectModifiedEvent

    doc = _create(portal, make_pdf(["Công văn"]), "Công văn kèm tệp hỏng")
    fulltext.process_pending(limit=50)
    doc.attachments = [NamedBlobFile(office_files.bomb(), filename="bom.docx")]
    notify(ObjectModifiedEvent(doc))
    assert fulltext.process_pending(limit=50) == {"failed": 1}
    assert fulltext.status_of(doc)["status"] == "failed" and "too large" in doc.qlvb_fulltext_error
