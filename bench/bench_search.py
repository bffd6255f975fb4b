"""Benchmark: Vietnamese full-text search (qlvb_lexicon) against Plone's default index
(plone_lexicon), same documents, same queries, same run — catalog only (no web server).

Run: ``.venv/bin/python bench/bench_search.py [--docs 100000] [--queries 200] [--ocr-pages 3]``

Builds ``--docs`` synthetic documents (Vietnamese subjects with first-letter diacritics, đ,
old and new tone placement, mixed case, a number "Số 12/UBND-VP", a paragraph of text), indexes
them in two ZCTextIndexes (Okapi BM25) — one with Plone's pipeline ("Unicode Whitespace
splitter" + "Unicode Ignoring Accents Case Normalizer"), one with ours — then times each query
typed with and without diacritics on both, printing p50/p95 (ms), the index sizes, and how many
queries found the document they were written from (recall). With ``--ocr-pages`` it also times
OCR (Tesseract, Vietnamese) of generated 200-dpi pages: pages per minute on this machine.
"""

from pathlib import Path

import argparse
import random
import sys
import time

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import _server  # noqa: E402

SUBJECTS = [
    "Ủy ban nhân dân tỉnh triển khai ứng dụng chuyển đổi số", "Uỷ ban Mặt trận Tổ quốc hướng dẫn công tác",
    "Ứng phó thiên tai mùa lũ ở địa phương", "Đề án đào tạo công chức cấp xã", "Hòa giải cơ sở năm",
    "Hoà nhập cộng đồng người khuyết tật", "Ổn định sản xuất nông nghiệp", "Ấp dụng khoa học kỹ thuật",
    "Ưu đãi đầu tư khu công nghiệp", "Ở trọ sinh viên và an ninh trật tự", "Kế hoạch kiểm tra thuế quý",
    "Quyết định bổ nhiệm cán bộ", "Báo cáo tình hình kinh tế xã hội tháng", "ĐẨY MẠNH CẢI CÁCH HÀNH CHÍNH",
    "Thông báo kết luận của Chủ tịch", "Tờ trình phê duyệt dự toán ngân sách",
]
PLACES = ["Đồng Tháp", "Cao Lãnh", "Sa Đéc", "Hồng Ngự", "Tháp Mười", "Lấp Vò", "Lai Vung", "Châu Thành",
          "Tam Nông", "Thanh Bình", "Mỹ Thọ", "Tân Hồng"]
NOTATIONS = ["UBND-VP", "UBND-KT", "SNV-CCVC", "STC-NS", "STTTT-CNTT", "QĐ-UBND", "BC-UBND", "TTr-STC"]
WORDS = ("thực hiện chỉ đạo của thủ tướng chính phủ về chuyển đổi số quốc gia các cơ quan đơn vị khẩn "
         "trương triển khai ứng dụng chữ ký số chuyên dùng trong việc gửi nhận văn bản điện tử bảo đảm an "
         "toàn thông tin và giá trị pháp lý của văn bản thủ trưởng chịu trách nhiệm báo cáo kết quả đúng "
         "hạn đề nghị phản ánh vướng mắc để được hướng dẫn giải quyết kịp thời").split()


class Doc:
    def __init__(self, text):
        self.SearchableText = text


def corpus(n, seed=16):
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        subject = f"{rnd.choice(SUBJECTS)} {rnd.choice(PLACES)} {2020 + i % 7}"
        if i % 3 == 0:
            subject = subject.upper()
        number = f"{i % 997 + 1}/{rnd.choice(NOTATIONS)}"
        body = " ".join(rnd.choice(WORDS) for _ in range(40))
        docs.append((subject, number, f"{subject} Số {number} {body}"))
    return docs


def make_index(kind):
    from Products.ZCTextIndex.ZCTextIndex import PLexicon
    from Products.ZCTextIndex.ZCTextIndex import ZCTextIndex

    from Products.ZCTextIndex.PipelineFactory import element_factory

    if kind == "plone":  # plone_lexicon of Products.CMFPlone's catalog.xml
        import Products.CMFPlone.UnicodeSplitter.splitter  # noqa: F401 (registers Plone's elements)

        names = [("Word Splitter", "Unicode Whitespace splitter"),
                 ("Case Normalizer", "Unicode Ignoring Accents Case Normalizer")]
    else:
        from dongthap.qlvb.search import lexicon as ours

        names = [(ours.SPLITTER_GROUP, ours.SPLITTER_NAME)]
    elements = [element_factory.instantiate(group, name) for group, name in names]
    lexicon = PLexicon("lexicon", "", *elements)

    class Holder:
        pass

    holder = Holder()
    holder.lexicon = lexicon
    extra = type("Extra", (), {"doc_attr": "SearchableText", "index_type": "Okapi BM25 Rank",
                               "lexicon_id": "lexicon"})()
    return ZCTextIndex("SearchableText", extra=extra, caller=holder)


def queries(docs, n, seed=7):
    """(query, docid it was written from): subjects typed as is, without diacritics, in the old
    tone placement, in capitals; numbers as staff type them."""
    from dongthap.qlvb.search.api import text_query
    from dongthap.qlvb.utils.text import search_key

    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        docid = rnd.randrange(len(docs))
        subject, number, _text = docs[docid]
        words = subject.split()
        start = rnd.randrange(max(1, len(words) - 3))
        phrase = " ".join(words[start:start + 3])
        old_tone = phrase.replace("ủy", "uỷ").replace("Ủy", "Uỷ")
        spaced = number.replace("/", " ").replace("-", " ")
        variants = [phrase, search_key(phrase), old_tone, phrase.upper(), number, spaced,
                    f"số {number.split('/')[0]}"]
        typed = rnd.choice(variants)
        out.append((typed, text_query(typed), docid))
    return out


def run_query(index, parsed):
    """What a search page costs the index: the best 50 by score and the full result set (what a
    paged list counts)."""
    start = time.perf_counter()
    index.query(parsed, nbest=50)
    full = index._apply_index({"SearchableText": parsed})[0]
    return time.perf_counter() - start, full


def time_queries(indexes, qs):
    """Each query on every index in turn (alternating which goes first), so that the load of
    this shared machine weighs on both alike."""
    times = {kind: [] for kind in indexes}
    both = {kind: [] for kind in indexes}
    hits = dict.fromkeys(indexes, 0)
    kinds = list(indexes)
    for number, (_typed, parsed, docid) in enumerate(qs):
        found = {}
        for kind in (kinds if number % 2 else kinds[::-1]):
            elapsed, full = run_query(indexes[kind], parsed)
            times[kind].append(elapsed)
            found[kind] = docid in full
            hits[kind] += found[kind]
        if all(found.values()):
            for kind in kinds:
                both[kind].append(times[kind][-1])
    return ({k: _server.summary(v) for k, v in times.items()},
            {k: _server.summary(v) for k, v in both.items() if v}, hits)


def bench_ocr(pages):
    from dongthap.qlvb.search import fulltext
    from tests.search.scans import scan_pdf

    data = scan_pdf(dpi=200)
    start = time.perf_counter()
    for _ in range(pages):
        fulltext.extract_pdf(data)
    elapsed = time.perf_counter() - start
    return pages / elapsed * 60


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ocr-pages", type=int, default=3)
    args = parser.parse_args(argv)

    docs = corpus(args.docs)
    qs = queries(docs, args.queries)
    print(f"{args.docs} documents, {len(qs)} queries (with and without diacritics, old tone placement, "
          f"capitals, numbers)")
    indexes = {}
    for kind in ("plone", "qlvb"):
        index = indexes[kind] = make_index(kind)
        start = time.perf_counter()
        for docid, (_s, _n, text) in enumerate(docs):
            index.index_object(docid, Doc(text))
        indexing = time.perf_counter() - start
        words = len(index.getLexicon()._wids)
        rate = len(docs) / indexing
        print(f"{kind:6s} lexicon: indexed in {indexing:6.1f} s ({rate:5.0f} docs/s), {words} words")
    stats, both, hits = time_queries(indexes, qs)
    for kind in indexes:
        print(f"{kind:6s} lexicon: all queries p50 {stats[kind]['p50']:7.2f} ms"
              f"  p95 {stats[kind]['p95']:7.2f} ms"
              f"  | queries both found ({both[kind]['n']}): p50 {both[kind]['p50']:7.2f} ms"
              f"  p95 {both[kind]['p95']:7.2f} ms  | found the source document for {hits[kind]}/{len(qs)}")
    if args.ocr_pages:
        print(f"OCR (Tesseract vie, 200-dpi A4 page rendered at 300 dpi, 1 thread): "
              f"{bench_ocr(args.ocr_pages):.1f} pages per minute")


if __name__ == "__main__":
    main()
