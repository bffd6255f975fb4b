"""Saved searches: per user, a name and the query string of the search page.

Kept in an annotation of the site (user id → list of ``{"name", "query"}``), at most
:data:`LIMIT` per user; saving under an existing name replaces it.
"""

from BTrees.OOBTree import OOBTree
from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.utils.text import normalize_text
from persistent.list import PersistentList
from plone import api
from zope.annotation.interfaces import IAnnotations

KEY = "dongthap.qlvb.saved_searches"
LIMIT = 30


def _store(create=False):
    annotations = IAnnotations(api.portal.get())
    if KEY not in annotations and create:
        annotations[KEY] = OOBTree()
    return annotations.get(KEY)


def saved(userid):
    store = _store()
    return [dict(item) for item in (store.get(userid, ()) if store is not None else ())]


def save(userid, name, query):
    name = normalize_text(name)[:100] if isinstance(name, str) else ""
    if not name:
        raise QlvbError(_("error_saved_search_name", default="Give the search a name."), status=400)
    store = _store(create=True)
    items = store.get(userid)
    if items is None:
        items = store[userid] = PersistentList()
    kept = [i for i in items if i["name"] != name]
    if len(kept) >= LIMIT:
        raise QlvbError(_("error_saved_search_limit", default="At most ${limit} saved searches.",
                          mapping={"limit": LIMIT}), status=409)
    items[:] = [*kept, {"name": name, "query": str(query)[:2000]}]
    return saved(userid)


def delete(userid, name):
    store = _store()
    if store is not None and userid in store:
        store[userid][:] = [i for i in store[userid] if i["name"] != name]
