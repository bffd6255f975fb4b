"""What the work lists and registers of incoming and outgoing documents share."""

from dongthap.qlvb.vocabularies.documents import DOCUMENT_TYPES

#: At most this many documents in one work list.
LIST_LIMIT = 500


def date_range(start, end):
    """The catalog range of a date index between ``start`` and ``end`` (either may be None):
    a query value, or None when neither is given."""
    if start and end:
        return {"query": (start, end), "range": "min:max"}
    if start:
        return {"query": start, "range": "min"}
    if end:
        return {"query": end, "range": "max"}
    return None


def base_row(brain, state_title):
    """The keys every row of a work list has, from a catalog brain of a document."""
    return {
        "url": brain.getURL(),
        "uid": brain.UID,
        "title": brain.Title,
        "document_type": brain.qlvb_document_type,
        "document_type_title": DOCUMENT_TYPES.get(brain.qlvb_document_type, ("", ""))[0],
        "state": brain.review_state,
        "state_title": state_title(brain.review_state),
        "urgency": brain.qlvb_urgency,
    }


# ---------------------------------------------------------------- paged, sorted lists


def find(**query):
    """``api.content.find(**query)`` for the work lists (``context`` or ``path``, never
    ``unrestricted``): the same results — Plone's filter of what the user may see
    (``allowedRolesAndUsers``, and ``effectiveRange`` unless he may see inactive content there)
    is added exactly as ``portal_catalog.searchResults`` does, but worked out once per request,
    user and path instead of once per query: a desk runs a dozen counts on the same folder, and
    Plone's check of inactive content traverses to the folder and checks a permission each time."""
    from DateTime import DateTime
    from Products.CMFCore.utils import getToolByName
    from zope.component.hooks import getSite

    context = query.pop("context", None)
    if context is not None:
        query["path"] = {"query": "/".join(context.getPhysicalPath())}
    catalog = getToolByName(getSite(), "portal_catalog")
    show_inactive, allowed = _visibility(catalog, query.get("path"))
    query["allowedRolesAndUsers"] = allowed
    if not show_inactive:
        query["effectiveRange"] = DateTime()
    return catalog.unrestrictedSearchResults(**query)  # processes the indexing queue first


def _visibility(catalog, path):
    """``(show inactive content, allowedRolesAndUsers)`` of the current user for ``path``,
    remembered on the request (keyed by the user object and the path)."""
    from AccessControl import getSecurityManager
    from zope.globalrequest import getRequest

    user = getSecurityManager().getUser()
    paths = path.get("query") if isinstance(path, dict) else path
    key = (id(user), user.getId(), repr(paths))
    request = getRequest()
    cache = request.other.setdefault("qlvb.catalog.visibility", {}) if request is not None else {}
    if key not in cache:
        # the user object is kept with the answer: its id() is not reused while it is cached
        cache[key] = (user, catalog.allow_inactive({"path": path} if path else {}),
                      catalog._listAllowedRolesAndUsers(user))
    return cache[key][1:]

#: Rows per page of a work list on a page (``b_size`` changes it, up to :data:`LIST_LIMIT`).
PAGE_SIZE = 25


class Page(list):
    """The rows of one page of a work list; ``total`` rows in the whole list from ``b_start``.

    A list, so code that only wants the rows keeps working."""

    def __init__(self, rows=(), total=0, b_start=0, b_size=PAGE_SIZE):
        super().__init__(rows)
        self.total = total
        self.b_start = b_start
        self.b_size = b_size

    def batching(self):
        """``{"total", "b_start", "b_size", "next", "previous"}`` (start of the next/previous page
        or None): what a page or a REST answer needs to reach the rest of the list."""
        nxt = self.b_start + self.b_size
        return {"total": self.total, "b_start": self.b_start, "b_size": self.b_size,
                "next": nxt if nxt < self.total else None,
                "previous": max(0, self.b_start - self.b_size) if self.b_start else None}


def batch_numbers(b_start, b_size, default_size=PAGE_SIZE):
    """``(b_start, b_size)`` from request texts: integers, ``b_size`` within 1 … LIST_LIMIT.
    Raises ValueError on anything else."""
    start = int(b_start or 0)
    size = int(b_size) if b_size not in (None, "") else default_size
    if start < 0 or size < 1:
        raise ValueError("batch")
    return start, min(size, LIST_LIMIT)


def _stable(query):
    """``query`` with the UID as last sort key: rows that tie on every other key (documents
    registered in the same second) keep one order from page to page, so that no row shows on
    two pages and none on neither."""
    sort_on = query.get("sort_on")
    if not sort_on:
        return query
    keys = [sort_on] if isinstance(sort_on, str) else list(sort_on)
    if "UID" in keys:
        return query
    orders = query.get("sort_order") or "ascending"
    orders = [orders] * len(keys) if isinstance(orders, str) else list(orders)
    return dict(query, sort_on=[*keys, "UID"], sort_order=[*orders, "ascending"])


def _unsorted(query):
    return {k: v for k, v in query.items() if k not in ("sort_on", "sort_order", "sort_limit")}


def paged(segments, make_row, b_start=0, b_size=PAGE_SIZE, keep=None, finish=None):
    """One page of a list made of catalog queries run one after the other (``segments``, each
    a dict of ``api.content.find`` arguments with its ``sort_on``): the catalog sorts and cuts
    each segment, so a page costs a page of rows, whatever the length of the list.

    ``keep`` (a predicate on brains) filters what the catalog cannot; the segments are then
    read in full (metadata only) before the page is cut. ``finish(brains, rows)`` completes the
    rows of the page at once (one look-up for the whole page instead of one per row)."""
    rows, total, start, page_brains = [], 0, b_start, []
    segments = [_stable(q) for q in segments]
    for index, query in enumerate(segments):
        if keep is None and len(rows) >= b_size:
            # the page is full: only count the rest of the list (no sorting), the segments that
            # differ by their urgency rank only (disjoint) counted by one query
            total += sum(len(find(**q)) for q in _merged(segments[index:]))
            break
        if keep is not None:
            brains = [b for b in find(**query) if keep(b)]
            count = len(brains)
            chosen = brains[start:start + b_size - len(rows)] if len(rows) < b_size else []
        else:
            want = b_size - len(rows)
            cut = _page_by_first_key(query, start, want)
            if cut is not None:
                chosen, count = cut
            else:
                brains = find(**query, b_start=start, b_size=want)
                count = getattr(brains, "actual_result_count", len(brains))
                chosen = list(brains)[:want]
        rows.extend(make_row(b) for b in chosen)
        page_brains.extend(chosen)
        total += count
        start = max(0, start - count)
    if finish is not None and rows:
        finish(page_brains, rows)
    return Page(rows, total, b_start, b_size)


#: Sort keys every document has (Plone's, and dongthap.qlvb.desk.indexers'): a result sorted on
#: them after a first key loses no document the catalog would keep.
EVERYWHERE = frozenset(("created", "modified", "UID", "sortable_title", "qlvb_deadline", "qlvb_urgency_rank"))
#: A result is cut by its first sort key when it has this many documents per value of the key.
ROWS_PER_VALUE = 4


def _page_by_first_key(query, start, want):
    """``(brains, count)``: rows ``start`` to ``start + want`` of ``query`` sorted on several keys,
    and the length of the whole result — or None when the catalog should sort it.

    ZCatalog sorts a result on several indexes by building a key from every index for every
    document of the result, then sorting them all (most of a page "chờ phân công" sorted by
    deadline at 10,000 documents). When the first key has few values (a deadline, an urgency rank),
    the result is cut into the documents of each value instead, in the order of the index, by
    set intersections; only the values that hold rows of the page are sorted on the other keys
    (``multisort``: the catalog's own ordering). Same rows, same order, same count: the other keys
    are set on every document (:data:`EVERYWHERE`), and documents without the first key are left
    out as the catalog does."""
    from BTrees.IIBTree import intersection
    from BTrees.IIBTree import IISet
    from Products.CMFCore.utils import getToolByName
    from Products.ZCatalog.Catalog import multisort
    from zope.component.hooks import getSite

    keys, orders = query.get("sort_on"), query.get("sort_order")
    if isinstance(keys, str) or not keys or len(keys) < 2 or not set(keys[1:]) <= EVERYWHERE:
        return None
    orders = [orders] * len(keys) if isinstance(orders, str) or orders is None else list(orders)
    reverse = [(o or "").lower() in ("reverse", "descending") for o in orders]
    catalog = getToolByName(getSite(), "portal_catalog")
    index = catalog._catalog.getIndex(keys[0])
    forward = getattr(index, "_index", None)
    if forward is None:
        return None
    values_count = len(forward)
    if values_count * ROWS_PER_VALUE > len(catalog._catalog):
        return None  # more values than any result can hold per value: not worth a search of its own
    results = find(**_unsorted(query))
    if not len(results):
        return [], 0
    rids = getattr(results, "_seq", None)
    if rids is None or values_count * ROWS_PER_VALUE > len(rids):
        return None  # many values of the first key: the catalog's sort costs as much
    try:
        rids = IISet(rids)
    except TypeError:  # not record ids: a LazyCat's parts, or the items of an unfiltered catalog
        return None
    maps = [catalog._catalog.getIndex(k).documentToKeyMap() for k in keys]
    spec = [-1 if r else 1 for r in reverse]
    values = reversed(list(forward.keys())) if reverse[0] else forward.keys()
    count, page, end, seen = 0, [], start + want, 0
    everywhere = keys[0] in EVERYWHERE
    for value in values:
        if everywhere and count >= end:
            # the page is complete and every document has the first key: the rest is counted whole
            count += len(rids) - seen
            break
        bucket = forward[value]
        found = intersection(rids, IISet((bucket,)) if isinstance(bucket, int) else bucket)
        size = len(found)
        seen += size
        if size and count + size > start and count < end:  # rows of the page: sort these
            items = []
            for rid in found:
                try:
                    items.append((tuple(m[rid] for m in maps), rid, None))
                except KeyError:  # a document without one of the keys: the catalog leaves it out
                    size -= 1
            items = multisort(items, spec)
            page.extend(rid for _key, rid, _get in items[max(0, start - count):max(0, end - count)])
        count += size
    return [catalog._catalog[rid] for rid in page], count


#: The index whose values split a list into segments that :func:`_merged` counts together.
RANK_INDEX = "qlvb_urgency_rank"


def _merged(segments):
    """The unsorted queries counting ``segments``: consecutive segments that differ only by their
    urgency rank (one value each, disjoint) become one query for all their ranks."""
    out = []
    for query in map(_unsorted, segments):
        last = out[-1] if out else None
        rank = query.get(RANK_INDEX)
        if last is not None and isinstance(rank, int) and RANK_INDEX in last \
                and {k: v for k, v in last.items() if k != RANK_INDEX} == \
                {k: v for k, v in query.items() if k != RANK_INDEX}:
            ranks = last[RANK_INDEX] if isinstance(last[RANK_INDEX], list) else [last[RANK_INDEX]]
            if rank not in ranks:
                last[RANK_INDEX] = [*ranks, rank]
                continue
        out.append(dict(query))
    return out


#: Rows per page of a REST list when ``b_size`` is not given.
REST_PAGE_SIZE = 100


def rest_list_args(request, keys):
    """``(batch, sort, only)`` from the query string of ``GET @incoming`` / ``@outgoing``
    (``b_start``, ``b_size``, ``sort_on``, ``sort_order``, ``list``); a bad value is a 400."""
    from dongthap.qlvb.errors import QlvbError
    from dongthap.qlvb.i18n import _

    form = request.form
    try:
        batch = batch_numbers(form.get("b_start"), form.get("b_size"), REST_PAGE_SIZE)
    except (TypeError, ValueError):
        raise QlvbError(_("error_bad_batch", default="b_start and b_size must be whole numbers "
                          "(b_size at least 1)."), status=400) from None
    only = form.get("list") or None
    if only is not None and only not in keys:
        raise QlvbError(_("error_unknown_list", default="Unknown list: ${value}.",
                          mapping={"value": str(only)[:50]}), status=400)
    sort = (form["sort_on"], form.get("sort_order") or "ascending") if form.get("sort_on") else None
    return batch, sort, only


def rest_lists(lists):
    """The lists of a REST answer: key → rows, plus ``"batching"``: key → paging of that list."""
    out = {key: list(page) for key, page in lists.items()}
    out["batching"] = {key: page.batching() for key, page in lists.items() if hasattr(page, "batching")}
    return out
