"""The streamed pieces of the export and import (transfer/streams.py, the relation and local roles
hooks), on the shared integration site: no instance, a second or two."""

from dongthap.qlvb.transfer import api as transfer
from dongthap.qlvb.transfer import hooks
from dongthap.qlvb.transfer import streams
from plone import api
from zope.globalrequest import getRequest

import json


def test_json_arrays_are_written_and_read_item_by_item(tmp_path):
    path = tmp_path / "a.json"
    with streams.JsonArrayWriter(path) as out:
        for n in range(3):
            out.add({"uuid": f"u{n}", "roles": {"ai": ["Người đọc"]}})
    assert json.loads(path.read_text()) == list(streams.iter_json_array(path))  # any JSON reader
    assert [i["uuid"] for i in streams.iter_json_array(path)] == ["u0", "u1", "u2"]
    with streams.JsonArrayWriter(tmp_path / "empty.json"):
        pass
    assert json.loads((tmp_path / "empty.json").read_text()) == []
    (tmp_path / "cei.json").write_text(json.dumps([{"x": 1}, {"x": 2}], indent=4))  # c.ei's layout
    assert list(streams.iter_json_array(tmp_path / "cei.json")) == [{"x": 1}, {"x": 2}]
    by_key = list(streams.batched(["a", "a", "b", "b", "b", "c"], 2, key=lambda x: x))
    assert by_key == [["a", "a"], ["b", "b", "b"], ["c"]]


def test_walk_is_the_whole_site_parents_first(site):
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(site, TEST_USER_ID, ["Manager"])
    folder = api.content.create(container=site, type="Folder", id="f", title="F")
    inner = api.content.create(container=folder, type="Folder", id="g", title="G")
    api.content.create(container=inner, type="Document", id="d", title="D")
    catalog = api.portal.get_tool("portal_catalog")
    root = "/".join(site.getPhysicalPath())
    walked = [b.getPath() for b in transfer.content_paths(site)]
    everything = {b.getPath() for b in catalog.unrestrictedSearchResults(path={"query": root})} - {root}
    assert len(walked) == len(set(walked)) and set(walked) == everything
    for path in walked:
        parent = path.rsplit("/", 1)[0]
        assert parent == root or walked.index(parent) < walked.index(path)


def test_relations_and_local_roles_batches_twice_change_nothing(site):
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.event import notify
    from zope.intid.interfaces import IIntIds
    from zope.lifecycleevent import ObjectModifiedEvent
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID

    setRoles(site, TEST_USER_ID, ["Manager"])
    a = api.content.create(container=site, type="Document", id="a", title="A")
    b = api.content.create(container=site, type="Document", id="b", title="B")
    c = api.content.create(container=site, type="Document", id="c", title="C")
    intids = getUtility(IIntIds)
    a.relatedItems = [RelationValue(intids.getId(b)), RelationValue(intids.getId(c))]
    notify(ObjectModifiedEvent(a))
    request = getRequest()
    exported = list(hooks.QlvbExportRelations(site, request).references_from(a, a.UID()))
    assert sorted(r["to_uuid"] for r in exported) == sorted([b.UID(), c.UID()])
    assert {r["relationship"] for r in exported} == {"relatedItems"}
    a.relatedItems = []
    notify(ObjectModifiedEvent(a))
    importer = hooks.QlvbImportRelations(site, request)
    assert importer.import_relations(exported) == 2
    assert sorted(r.to_object.getId() for r in a.relatedItems) == ["b", "c"]
    assert importer.import_relations(exported) == 0  # already there: untouched

    reindexed = []
    b.reindexObjectSecurity = lambda: reindexed.append(b.getId())  # what is reindexed, only that
    roles = [{"uuid": b.UID(), "localroles": {"someone": ["Owner", "Reader"]}, "block": 1},
             {"uuid": c.UID(), "localroles": hooks.local_roles_of(c)["roles"]}]  # as it is: untouched
    local = hooks.QlvbImportLocalRoles(site, request)
    assert local.import_localroles(roles) == 1 and reindexed == ["b"]
    assert hooks.local_roles_of(b) == {"roles": {"someone": ["Owner", "Reader"]}, "block": True}
    assert local.import_localroles(roles) == 0 and reindexed == ["b"]
    del b.reindexObjectSecurity


def test_import_catalogs_each_new_object_once_complete(site, monkeypatch):
    """c.ei's parent and UID lookups do not catalog the indexing queue first: a new object is
    cataloged once (not just created, then again deserialized), with the exported UID and parent."""
    from Products.CMFCore.indexing import processQueue
    from plone.app.testing import setRoles
    from plone.app.testing import TEST_USER_ID
    from Products.CMFPlone.CatalogTool import CatalogTool

    setRoles(site, TEST_USER_ID, ["Manager"])
    folder = api.content.create(container=site, type="Folder", id="src", title="Nguồn")
    docs = [api.content.create(container=folder, type="Document", id=f"d{n}", title=f"Văn bản {n}")
            for n in range(3)]
    request = getRequest()
    exporter = hooks.QlvbExportContent(site, request)
    exporter.include_blobs, exporter.include_revisions, exporter.migration = 0, False, False
    items = [exporter.serialize(obj) for obj in [folder, *docs]]
    uids = [item["UID"] for item in items]
    api.content.delete(folder)
    processQueue()

    cataloged = []
    catalog_object = CatalogTool.catalog_object

    def counting(self, obj, uid=None, *args, **kwargs):
        cataloged.append(uid)
        return catalog_object(self, obj, uid, *args, **kwargs)

    monkeypatch.setattr(CatalogTool, "catalog_object", counting)
    importer = hooks.QlvbImportContent(site, request)
    importer.limit, importer.commit, importer.import_to_current_folder = None, None, False
    importer.handle_existing_content, importer.import_old_revisions, importer.portal = 2, False, site
    assert len(importer.import_new_content(items)) == 4
    processQueue()
    root = "/".join(site.getPhysicalPath())
    for n in range(3):
        assert cataloged.count(f"{root}/src/d{n}") == 1, cataloged
    assert [api.content.get(UID=uid).absolute_url() for uid in uids] == [
        site.absolute_url() + path for path in ("/src", "/src/d0", "/src/d1", "/src/d2")]
    assert api.content.find(UID=uids[1])[0].Title == "Văn bản 0"  # cataloged complete


def test_batches_forget_the_request_cache_of_behavior_assignables(site):
    """plone.dexterity keeps one assignable per object looked at on the request (oid → assignable,
    which holds the object), ZCatalog's plan a benchmark per UID searched in a new site: the one
    process of a whole import must not keep something per document."""
    from plone.dexterity.content import ASSIGNABLE_CACHE_KEY
    from plone.dexterity.content import get_assignable
    from Products.ZCatalog.plan import PriorityMap

    assert get_assignable(site) is not None
    assert site._p_oid in getattr(getRequest(), ASSIGNABLE_CACHE_KEY)
    PriorityMap.set_entry("portal_catalog", ("UID", "'u1'"), "benchmark")  # the catalog's query plan
    transfer._minimize(site)
    assert not hasattr(getRequest(), ASSIGNABLE_CACHE_KEY)
    assert PriorityMap.get_value() == {}
    transfer._minimize(site)  # nothing to forget: no error


def test_resumable_reading_of_an_export(tmp_path):
    """What the resumable import reads from a position on (:mod:`.checkpoint`): the array files
    and the content folder, skipping what is done without reading it, in c.ei's order; batches
    sized by what the budget still allows."""
    from collective.exportimport.import_content import filesystem_walker

    path = tmp_path / "a.json"
    with streams.JsonArrayWriter(path) as out:
        for n in range(5):
            out.add({"n": n})
    assert [i["n"] for i in streams.iter_json_array(path, 3)] == [3, 4]
    assert list(streams.iter_json_array(path, 9)) == []
    assert streams.count_items(path) == 5
    (tmp_path / "cei.json").write_text(json.dumps([{"x": 1}, {"x": 2}], indent=4))
    assert list(streams.iter_json_array(tmp_path / "cei.json", 1)) == [{"x": 2}]
    assert streams.count_items(tmp_path / "cei.json") == 2

    content = tmp_path / "content"
    for folder, names in (("1", range(1, 11)), ("2", range(11, 13)), ("10", range(13, 14))):
        (content / folder).mkdir(parents=True)
        for n in names:
            (content / folder / f"{n}.json").write_text(json.dumps({"@id": f"/x/{n}", "n": n}))
    (content / "0.json").write_text(json.dumps({"@id": "/x/0", "n": 0}))
    assert list(streams.content_items(content)) == list(filesystem_walker(str(content)))
    assert [i["n"] for i in streams.content_items(content, 10)] == [10, 11, 12, 13]

    budget = [5]

    def size():
        return min(2, budget[0])

    batches = streams.Batches(range(10), size)
    taken = []
    for batch in batches:
        taken.append(batch)
        budget[0] -= len(batch)
    assert taken == [[0, 1], [2, 3], [4]] and not batches.complete
    budget[0] = 5
    batches = streams.Batches(range(5), size)
    assert [len(b) for b in batches if not budget.__setitem__(0, budget[0] - len(b))] == [2, 2, 1]
    assert batches.complete  # the budget ran out exactly with the items: nothing left
    by_key = streams.Batches(["a", "a", "b", "b", "b", "c"], lambda: 2, key=lambda x: x)
    assert list(by_key) == [["a", "a"], ["b", "b", "b"], ["c"]] and by_key.complete


def test_batches_release_the_idle_connections_of_the_pool():
    """A connection opened once and back in the pool (the antivirus incident log's own, Zope's
    start-up one) keeps the oid of every object another connection commits until it is opened
    again: in the one process of a whole import, ≈ 14 per document. Between batches the import
    releases the idle connections, so what they keep does not grow with the batches."""
    from persistent.mapping import PersistentMapping
    from ZODB import DB
    from ZODB.MappingStorage import MappingStorage

    import transaction

    db = DB(MappingStorage(), pool_size=7)
    tm = transaction.TransactionManager()
    conn = db.open(transaction_manager=tm)
    idle = db.open(transaction_manager=transaction.TransactionManager())
    idle.root()  # used once, as the incident log's connection is, then back in the pool
    idle.close()

    def commit_batch(n):
        for i in range(100):
            conn.root()[f"{n}-{i}"] = PersistentMapping()
        tm.commit()

    def kept():  # oids the idle connections hold
        return sum(len(c._storage._invalidations or ()) for c in db.pool.all
                   if c is not conn and c._storage is not None)

    commit_batch(0)
    commit_batch(1)
    assert kept() >= 200  # what the import's batches did before
    transfer._release_idle_connections(db)
    for n in range(2, 5):
        commit_batch(n)
        transfer._release_idle_connections(db)
        assert kept() == 0
    assert db.getPoolSize() == 7
    again = db.open(transaction_manager=transaction.TransactionManager())  # a fresh one, up to date
    assert again.root()["4-99"] == {} and len(again.root()) == 500
    again.close()
    conn.close()
    db.close()
