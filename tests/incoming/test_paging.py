"""Work lists are paged and sorted by the catalog over the whole list (more than LIST_LIMIT)."""

from dongthap.qlvb.desk.views import desk_sections
from dongthap.qlvb.documents.queries import LIST_LIMIT
from dongthap.qlvb.incoming import api as incoming
from dongthap.qlvb.incoming import queries
from plone import api
from tests.incoming.helpers import payload
from tests.incoming.helpers import TINY_PDF

import datetime


def _make(agency, count, **fields):
    raw = payload(file=None, page_amount="1", **fields)
    raw["file"] = (TINY_PDF, "vb.pdf")
    values = incoming.clean(raw)
    with api.env.adopt_user(username="stttt.vanthu"):
        return [incoming.build_document(agency, dict(values, code_number=f"{fields.get('title', '')[:3]}{i}"))
                for i in range(count)]


def test_more_than_the_limit_and_urgency_over_the_whole_list(portal):
    agency = portal["so-tttt"]
    with api.env.adopt_user(username="stttt.vanthu"):
        before = queries.waiting_registration(agency, batch=(0, 0)).total
    _make(agency, 1, title="Hỏa tốc cũ", urgency="hoa_toc")
    _make(agency, LIST_LIMIT + 5, title="Văn bản thường")
    with api.env.adopt_user(username="stttt.vanthu"):
        first = queries.waiting_registration(agency, batch=(0, 25))
        assert first.total == before + LIST_LIMIT + 6
        assert len(first) == 25
        # the oldest document, hỏa tốc, heads the list although 505 newer ones follow it
        titles = [r["title"] for r in first]
        assert "Hỏa tốc cũ" in titles
        assert all(r["urgency"] == "hoa_toc" for r in first[:titles.index("Hỏa tốc cũ") + 1])
        # the last page is reachable: past the 500th row
        last = queries.waiting_registration(agency, batch=(first.total - 3, 25))
        assert len(last) == 3 and last.batching()["next"] is None
        seen = {r["uid"] for r in queries.waiting_registration(agency, batch=(LIST_LIMIT, 25))}
        assert seen and not seen & {r["uid"] for r in first}
        # the user's own sort: by subject, descending
        by_title = queries.waiting_registration(agency, batch=(0, 5), sort=("title", "descending"))
        assert by_title.total == first.total and by_title[0]["title"] >= by_title[-1]["title"]
        # the page of the list: first / previous / "Trang x/y" / next / last, the filters kept
        request = portal.REQUEST
        request.form.update({"list": "waiting_registration", "b_start": "50", "urgency": ""})
        request["ACTUAL_URL"] = f"{agency.absolute_url()}/@@van-ban-den"
        view = api.content.get_view("van-ban-den", agency, request)
        pages = (first.total - 1) // 25 + 1
        links = view.page_links("waiting_registration", queries.waiting_registration(agency, batch=(50, 25)))
        assert (links["number"], links["count"], links["first"], links["last"]) == (3, pages, 51, 75)
        assert "b_start=0" in links["first_page"] and "b_start=25" in links["previous"]
        assert "b_start=75" in links["next"] and f"b_start={(pages - 1) * 25}" in links["last_page"]
        html = view()
        assert f"Trang 3/{pages}" in html and "Trang đầu" in html and "Trang cuối" in html
        assert '<td class="qlvb-date">' in html  # a date is never broken in two (qlvb.css)
        last_links = view.page_links("waiting_registration",
                                     queries.waiting_registration(agency, batch=((pages - 1) * 25, 25)))
        assert last_links["next"] is None and last_links["last_page"] is None
        assert last_links["number"] == pages
        assert last_links["last"] == first.total
        # the desk counts the same
        sections = desk_sections(agency, "stttt.vanthu", set(api.user.get_roles(obj=agency)), portal.REQUEST)
        counts = {i["key"]: i["count"] for s in sections for i in s["lists"]}
        assert counts["waiting_registration"] == first.total
        assert "waiting_assignment" not in counts  # a clerk does not assign


def test_overdue_first_in_my_work_and_on_the_desk(portal):
    agency = portal["so-tttt"]
    docs = [portal.unrestrictedTraverse(r["path"]) for r in _make(agency, 2, title="Việc", urgency="thuong")]
    today = incoming.now().date()
    for doc in docs:
        with api.env.adopt_user(username="stttt.vanthu"):
            incoming.transition(doc, "register", "")
    late, later = docs
    for doc, days in ((late, 1), (later, 9)):
        with api.env.adopt_user(username="stttt.lanhdao"):
            from dongthap.qlvb.incoming import handling

            handling.assign(doc, {"lead": {"user": "stttt.chuyenvien",
                                           "deadline": (today + datetime.timedelta(days=days)).isoformat()}})
    # the first deadline passes: stored in the past, as time would have made it
    from dongthap.qlvb.incoming import assignment as A

    entries = A.entries(late)
    entries[-1]["deadline"] = (today - datetime.timedelta(days=2)).isoformat()
    A.store(late, entries)
    late.reindexObject(idxs=["qlvb_deadline"])
    with api.env.adopt_user(username="stttt.chuyenvien"):
        work = queries.my_work(agency, api.user.get_current().getId(), batch=(0, 10))
        assert work[0]["uid"] == late.UID() and work[0]["overdue"]
        roles = set(api.user.get_roles(obj=agency))
        sections = desk_sections(agency, api.user.get_current().getId(), roles, portal.REQUEST)
        items = {i["key"]: i for s in sections for i in s["lists"]}
        assert items["overdue"]["count"] >= 1 and items["overdue"]["tone"] == "danger"
        assert "waiting_registration" not in items and "waiting_assignment" not in items
        assert items["my_work"]["url"].endswith("/@@van-ban-den?list=my_work")


def test_a_page_cut_by_its_first_sort_key_is_the_catalogs_page(portal, monkeypatch):
    """documents/queries._page_by_first_key: the rows, order and count the catalog's sort gives."""
    from dongthap.qlvb.documents import queries as common

    agency = portal["so-tttt"]
    for urgency in ("thuong", "hoa_toc", "khan"):
        _make(agency, 4, title=f"Cắt {urgency}", urgency=urgency)

    def pages():
        out = []
        for sort in (None, ("urgency", "ascending"), ("urgency", "descending"), ("due_date", "ascending"),
                     ("arrival_date", "descending"), ("title", "ascending")):
            for batch in ((0, 5), (3, 7), (9, 25)):
                for make in (queries.waiting_registration, queries.all_documents):
                    page = make(agency, batch=batch, sort=sort)
                    out.append((page.total, [r["uid"] for r in page]))
        return out

    real, used = common._page_by_first_key, []

    def spy(*args):
        used.append(real(*args))
        return used[-1]

    with api.env.adopt_user(username="stttt.vanthu"):
        monkeypatch.setattr(common, "ROWS_PER_VALUE", 0)  # every multi-key sort cut by its first key
        monkeypatch.setattr(common, "_page_by_first_key", spy)
        cut = pages()
        assert any(u is not None for u in used)
        monkeypatch.setattr(common, "_page_by_first_key", lambda *a: None)  # the catalog sorts
        assert cut == pages()
