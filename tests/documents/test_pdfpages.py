"""Page counting of PDFs (one helper for every document path); no Plone needed."""

from dongthap.qlvb.demo.incoming import make_pdf
from dongthap.qlvb.documents.pdfpages import count_pages
from io import BytesIO
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

import pytest


def _rewrite_first_page(data, times):
    """Incremental updates writing the page object again, as every signature does."""
    for index in range(times):
        writer = IncrementalPdfFileWriter(BytesIO(data))
        page_ref = writer.root["/Pages"].raw_get("/Kids").raw_get(0)
        page = page_ref.get_object()
        page[generic.NameObject(f"/QlvbMark{index}")] = generic.NumberObject(index)
        writer.update_container(page)
        out = BytesIO()
        writer.write(out)
        data = out.getvalue()
    return data


@pytest.mark.parametrize("pages", [1, 2, 5])
def test_pages_of_a_plain_pdf(pages):
    assert count_pages(make_pdf(["Trang"], pages=pages)) == pages


@pytest.mark.parametrize("pages", [1, 3])
def test_incremental_updates_do_not_add_pages(pages):
    data = _rewrite_first_page(make_pdf(["Văn bản đã ký"], pages=pages), times=2)
    assert data.count(b"%%EOF") == 3  # the original and two updates
    assert count_pages(data) == pages


class _Named:
    def __init__(self, data):
        self.data = data


def test_named_files_and_garbage():
    assert count_pages(_Named(make_pdf(["x"], pages=2))) == 2
    assert count_pages(b"%PDF-1.7\n<html>not a pdf</html>") is None
    assert count_pages(b"") is None and count_pages(None) is None


def test_page_tree_without_a_usable_count_is_walked():
    data = make_pdf(["Trang"], pages=3)
    reader_count = count_pages(data)
    broken = data.replace(b"/Count 3", b"/Count 0")
    assert broken != data and reader_count == 3
    assert count_pages(broken) == 3
