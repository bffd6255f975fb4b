"""Vietnamese search: a corpus of documents and the queries that must find exactly them.

Every query is run as typed, without diacritics, in capitals and (where it has one) in the
other tone placement; each must find exactly the documents the table names (among the corpus;
the demo documents of the agency are checked to really hold the words they were found by).
"""

from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import handling
from dongthap.qlvb.search import api as search
from dongthap.qlvb.search import lexicon
from dongthap.qlvb.utils.text import search_key
from dongthap.qlvb.utils.text import search_words
from plone import api
from tests.incoming.helpers import payload
from tests.incoming.helpers import TINY_PDF

import datetime
import pytest
import unicodedata

#: key → (trích yếu, số, ký hiệu, cơ quan ban hành, người ký)
CORPUS = {
    "ubnd": ("Ủy ban nhân dân tỉnh triển khai ứng dụng chuyển đổi số", "12", "UBND-VP",
             "Văn phòng UBND tỉnh", "Trần Văn Bình"),
    "mttq": ("Uỷ ban Mặt trận Tổ quốc hướng dẫn công tác ở địa phương", "7", "MTTQ-BTT",
             "Uỷ ban MTTQ Việt Nam tỉnh", "Lê Thị Hoà"),
    "ubkt": ("UY BAN KIỂM TRA báo cáo kết quả hoà giải", "305", "UBKT",
             "Đảng uỷ Khối cơ quan", "Phạm Quốc Dũng"),
    "hoagiai": ("Hòa giải cơ sở ở Đồng Tháp năm 2026", "045", "STP-PBGDPL",
                "Sở Tư pháp", "Nguyễn Thị Hòa"),
    "ungpho": ("Ứng phó thiên tai mùa lũ", "120", "BCH-PCTT",
               "Ban Chỉ huy Phòng chống thiên tai", "Võ Minh Châu"),
    "daotao": ("ĐỀ ÁN ĐÀO TẠO công chức cấp xã", "8", "SNV-CCVC",
               "Sở Nội vụ", "Đặng Hữu Lộc"),
}

#: query → the corpus documents it finds.
QUERIES = {
    "Ủy ban": {"ubnd", "mttq", "ubkt"},
    "Uỷ ban": {"ubnd", "mttq", "ubkt"},
    "uy ban": {"ubnd", "mttq", "ubkt"},
    "UY BAN": {"ubnd", "mttq", "ubkt"},
    "ứng dụng": {"ubnd"},
    "ung dung": {"ubnd"},
    "ở địa phương": {"mttq"},
    "o dia phuong": {"mttq"},
    "hòa giải": {"ubkt", "hoagiai"},
    "hoà giải": {"ubkt", "hoagiai"},
    "hoa giai": {"ubkt", "hoagiai"},
    "Ứng phó": {"ungpho"},
    "ung pho": {"ungpho"},
    "đào tạo": {"daotao"},
    "dao tao": {"daotao"},
    "Dao Tao Cong Chuc": {"daotao"},
    "đồng tháp": {"hoagiai"},
    "dong thap 2026": {"hoagiai"},
    '"hòa giải cơ sở"': {"hoagiai"},
    '"hoa giai co so"': {"hoagiai"},
    '"giải hòa"': set(),
    '"uy ban kiem tra"': {"ubkt"},
    '"ủy ban nhân dân"': {"ubnd"},
    "đổi số": {"ubnd"},
    # numbers as staff type them
    "12/UBND-VP": {"ubnd"},
    "12 UBND VP": {"ubnd"},
    "số 12": {"ubnd"},
    "so 12": {"ubnd"},
    "UBND-VP": {"ubnd"},
    "012/ubnd-vp": {"ubnd"},
    "45/STP-PBGDPL": {"hoagiai"},
    "số 45": {"hoagiai"},
    "305/UBKT": {"ubkt"},
    "so 8": {"daotao"},
    "SNV-CCVC": {"daotao"},
    "7/MTTQ-BTT": {"mttq"},
    # people are searchable too
    "le thi hoa": {"mttq"},
    "Nguyễn Thị Hoà": {"hoagiai"},
}

#: issuer filter → documents (with diacritics or not).
ISSUERS = {
    "van phong": {"ubnd"},
    "Văn phòng UBND": {"ubnd"},
    "uy ban": {"mttq"},
    "Ủy ban MTTQ": {"mttq"},
    "đảng ủy": {"ubkt"},
    "DANG UY KHOI": {"ubkt"},
    "so tu phap": {"hoagiai"},
}


def _variants(query):
    """The query as typed, without diacritics, in capitals, decomposed (NFD)."""
    bare = search_key(query) if '"' not in query else '"' + search_key(query.strip('"')) + '"'
    return {query, bare, query.upper(), unicodedata.normalize("NFD", query)}


@pytest.fixture
def corpus(portal):
    agency = portal["so-tttt"]
    docs = {}
    with api.env.adopt_user(username="stttt.vanthu"):
        for key, (title, number, notation, issuer, signer) in CORPUS.items():
            raw = payload(file=None, title=title, code_number=number, code_notation=notation,
                          issuing_agency_name=issuer, signer_name=signer, page_amount="1")
            raw["file"] = (TINY_PDF, "vb.pdf")
            created = incoming.build_document(agency, incoming.clean(raw))
            docs[key] = portal.unrestrictedTraverse(created["path"])
    return docs


def _found(criteria, user="stttt.vanthu"):
    with api.env.adopt_user(username=user):
        page = search.search(criteria, batch=(0, 500))
    return page


def _keys(page, docs):
    by_uid = {doc.UID(): key for key, doc in docs.items()}
    return {by_uid[r["uid"]] for r in page if r["uid"] in by_uid}


def _others_really_match(page, docs, query):
    """Documents outside the corpus found by ``query`` hold every word of it."""
    corpus = {d.UID() for d in docs.values()}
    words = search_words(query.replace('"', " "))
    for row in page:
        if row["uid"] in corpus:
            continue
        catalog = api.portal.get_tool("portal_catalog")
        brain = catalog.unrestrictedSearchResults(UID=row["uid"])[0]
        text = " ".join(search_words(catalog.getIndexDataForRID(brain.getRID())["SearchableText"]))
        assert all(w in text.split() for w in words), (query, row["title"])


def test_text_indexes_use_the_vietnamese_lexicon(portal):
    catalog = api.portal.get_tool("portal_catalog")
    for name in (*lexicon.TEXT_INDEXES, "qlvb_issuer_text", "qlvb_signer_text", "qlvb_recipient_text"):
        assert lexicon.uses_our_lexicon(catalog, name), name


@pytest.mark.parametrize("query", sorted(QUERIES))
def test_every_query_with_and_without_diacritics_finds_exactly_the_expected(corpus, query):
    for variant in _variants(query):
        page = _found({"text": variant})
        assert _keys(page, corpus) == QUERIES[query], variant
        _others_really_match(page, corpus, variant)


@pytest.mark.parametrize("issuer", sorted(ISSUERS))
def test_issuer_filter_ignores_diacritics(corpus, issuer):
    for variant in _variants(issuer):
        page = _found({"issuer": variant, "agency": "so-tttt"})
        assert _keys(page, corpus) == ISSUERS[issuer], variant


def test_signer_filter_and_plone_catalog_query(corpus):
    assert _keys(_found({"signer": "hoa"}), corpus) == {"mttq", "hoagiai"}
    assert _keys(_found({"signer": "Hòa", "text": "so 45"}), corpus) == {"hoagiai"}
    # the catalog itself (Plone's own search, livesearch) folds the same way
    with api.env.adopt_user(username="stttt.vanthu"):
        titles = {b.Title for b in api.content.find(SearchableText="UY BAN", portal_type="IncomingDocument")}
        assert {CORPUS[k][0] for k in ("ubnd", "mttq", "ubkt")} <= titles
        assert {b.Title for b in api.content.find(Title="uy*", portal_type="IncomingDocument")} >= \
            {CORPUS[k][0] for k in ("ubnd", "mttq", "ubkt")}


def test_criteria_dates_kinds_and_errors(corpus):
    today = incoming.now().date()
    issued = today - datetime.timedelta(days=2)  # helpers.payload
    day = issued.strftime("%d/%m/%Y")
    assert _keys(_found({"text": "uy ban", "issued_from": day, "issued_to": day}), corpus) == \
        {"ubnd", "mttq", "ubkt"}
    later = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert not _keys(_found({"text": "uy ban", "issued_from": later}), corpus)
    assert not _keys(_found({"text": "uy ban", "kind": "outgoing"}), corpus)
    assert _keys(_found({"text": "uy ban", "kind": "incoming", "state": "received"}), corpus) == \
        {"ubnd", "mttq", "ubkt"}
    from dongthap.qlvb.errors import QlvbError

    for bad in ({"issued_from": "31/02/2026"}, {"kind": "memo"}, {},
                {"issued_from": "02/01/2026", "issued_to": "01/01/2026"},
                {"text": "x", "agency": "khong-co"}):
        with pytest.raises(QlvbError) as raised:
            _found(bad)
        assert raised.value.status == 400
    # nothing the user types is query syntax: a result or a clear 400, never a parse error
    for odd in ("(", "uy ban)", "NOT", "and or", '"', "*", "-", "12//", "uy (ban", "*ban"):
        try:
            _found({"text": odd})
        except QlvbError as refused:
            assert refused.status == 400
    assert _keys(_found({"text": "uy ban)"}), corpus) == {"ubnd", "mttq", "ubkt"}


def test_duplicate_key_folds_the_issuer():
    from dongthap.qlvb.content.incoming import duplicate_key

    assert duplicate_key("05", "UBND-VP", "Uỷ ban nhân dân tỉnh") == \
        duplicate_key("5", "ubnd-vp", "ỦY BAN NHÂN DÂN TỈNH") == \
        duplicate_key("5", "UBND-VP", "Uy ban nhan dan tinh")


# ---------------------------------------------------------------- never a leak

USERS = ("stttt.vanthu", "stttt.lanhdao", "stttt.truongphong", "stttt.chuyenvien", "stttt.luutru",
         "snv.vanthu", "snv.lanhdao", "snv.chuyenvien")


def _viewable(user, docs):
    with api.env.adopt_user(username=user):
        return {k for k, d in docs.items() if api.user.has_permission("View", obj=d)}


def test_results_follow_the_permissions_of_the_documents(corpus):
    docs = dict(corpus)
    with api.env.adopt_user(username="stttt.vanthu"):
        incoming.transition(docs["ubnd"], "register", "")
        incoming.transition(docs["hoagiai"], "register", "")
    with api.env.adopt_user(username="stttt.lanhdao"):
        handling.assign(docs["ubnd"], {"lead": {
            "user": "stttt.truongphong", "department": "cntt",
            "deadline": (incoming.now().date() + datetime.timedelta(days=5)).isoformat()}})
    everything = {"text": "uy ban OR hoa OR ung OR dao OR so"}
    seen = {}
    for user in USERS:
        for criteria in ({"text": "so"}, {"issuer": "so"}, {"kind": "incoming"}, {"text": "uy ban"}):
            found = _keys(_found(criteria, user), docs)
            assert found <= _viewable(user, docs), (user, criteria)
        seen[user] = _keys(_found({"kind": "incoming"}, user), docs)
        assert seen[user] == _viewable(user, docs), user
    assert not seen["snv.vanthu"] and not seen["snv.lanhdao"] and not seen["snv.chuyenvien"]
    assert seen["stttt.vanthu"] == set(CORPUS)
    assert "ubnd" in seen["stttt.truongphong"]  # assigned to him
    assert seen["stttt.chuyenvien"] != set(CORPUS)  # not assigned: not everything
    del everything
    # another agency cannot even be named
    from dongthap.qlvb.errors import QlvbError

    with pytest.raises(QlvbError):
        _found({"text": "uy ban", "agency": "so-tttt"}, "snv.vanthu")


def test_dashboard_issuer_filter_ignores_diacritics(corpus):
    from dongthap.qlvb.incoming import queries

    agency = corpus["ubnd"].aq_parent.aq_parent.aq_parent
    while agency.portal_type != "Agency":
        agency = agency.aq_parent
    with api.env.adopt_user(username="stttt.vanthu"):
        for typed in ("van phong", "Văn phòng", "VĂN PHÒNG UBND"):
            rows = queries.waiting_registration(agency, filters={"issuer": typed})
            assert {r["uid"] for r in rows} & {d.UID() for d in corpus.values()} == {corpus["ubnd"].UID()}
        rows = queries.waiting_registration(agency, filters={"issuer": "dang uy"})
        assert {r["uid"] for r in rows} & {d.UID() for d in corpus.values()} == {corpus["ubkt"].UID()}


def test_pickers_search_the_vietnamese_way(portal):
    from dongthap.qlvb.outgoing.vocabularies import recipient_agencies
    from dongthap.qlvb.vocabularies.searchable import FoldingVocabulary
    from zope.schema.vocabulary import SimpleTerm

    vocabulary = FoldingVocabulary([SimpleTerm(v, v, t) for v, t in (
        ("a", "Ủy ban nhân dân xã Mỹ Thọ"), ("b", "Sở Nội vụ"), ("c", "Đài Phát thanh"),
        ("d", "UBND phường Cao Lãnh"))])
    for query, expected in (("uy ban", {"a"}), ("Uỷ", {"a"}), ("so noi", {"b"}), ("dai", {"c"}),
                            ("đài phát", {"c"}), ("my tho", {"a"}), ("cao lanh", {"d"}), ("xyz", set())):
        assert {t.value for t in vocabulary.search(query)} == expected, query
    with api.env.adopt_user(username="stttt.vanthu"):
        agencies = recipient_agencies(portal["so-tttt"])
    assert [t.title for t in agencies.search("so noi vu")] == ["Sở Nội vụ"]
    assert [t.title for t in agencies.search("xa my tho")] == ["UBND xã Mỹ Thọ"]


def test_recipient_filter_finds_internal_recipients(portal):
    """"Nơi nhận" finds a document sent to an agency of the system (stored by UID), any spelling."""
    from dongthap.qlvb.outgoing import api as outgoing
    from tests.incoming.helpers import TINY_PDF as pdf

    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.chuyenvien"):
        values = outgoing.clean(agency, {
            "title": "V/v phối hợp kiểm tra công tác văn thư", "document_type": "cong_van",
            "drafting_department": "vp", "signer": "stttt.lanhdao", "signer_position": "GIÁM ĐỐC",
            "internal_recipients": [api.content.get_uuid(portal["so-noi-vu"])],
            "file": (pdf, "du-thao.pdf")})
        uid = outgoing.create(agency, values)["uid"]
        for typed in ("so noi vu", "Sở Nội vụ", "NỘI VỤ"):
            assert uid in {r["uid"] for r in _found({"recipient": typed}, "stttt.chuyenvien")}, typed
        assert uid not in {r["uid"] for r in _found({"recipient": "tai chinh"}, "stttt.chuyenvien")}
