"""collective.exportimport's export and import views, with the add-on's hooks.

Registered for the add-on's browser layer under collective.exportimport's own
names (``@@export_content``, ``@@import_content``, ``@@import_localroles``), so
its pages, and :mod:`.api` (the command and ``@@xuat-nhap-du-lieu``), both run
through them:

* ``global_dict_hook`` (export) adds ``qlvb_state`` — what the add-on keeps beside
  the schema (:mod:`.state`) — and drops the file fields from plone.restapi's
  data, since ``qlvb_state`` carries them byte for byte;
* ``global_obj_hook_before_deserializing`` (import) puts ``qlvb_state`` back, and
  ``global_dict_hook`` keeps plone.restapi from deserializing those fields again;
* the review state is *not* reached by running transitions (they would number,
  deliver and sign again): the exported workflow history is stored as it was,
  then the role mappings of its state are applied and the object reindexed;
* local roles travel in each item too (``qlvb_localroles``) and are *replaced* before the
  object is indexed (the importing user's Owner role is not kept), so every object is indexed
  once with its final roles, parents before children; ``localroles.json`` (c.ei's file) is then
  applied where it still differs, reindexing only those objects — never c.ei's reindex of the
  whole ``allowedRolesAndUsers`` index after every call;
* the parent and the UID are looked up in the catalog without first cataloging the indexing
  queue (which c.ei's searches do, cataloging every new object twice and its container after
  each child), so an object is cataloged once per batch;
* relations are exported per source object and restored a batch at a time
  (:class:`QlvbImportRelations`), without c.ei's purge and rebuild of every relation of the site.
"""

from collective.exportimport.export_content import ExportContent
from collective.exportimport.export_other import ExportLocalRoles
from collective.exportimport.export_other import ExportRelations
from collective.exportimport.import_content import ImportContent
from collective.exportimport.import_other import ImportLocalRoles
from collective.exportimport.import_other import ImportRelations
from dongthap.qlvb.transfer import state
from plone import api
from plone.namedfile.interfaces import INamedField
from plone.restapi.interfaces import ISerializeToJson
from plone.uuid.interfaces import IUUID

import logging

logger = logging.getLogger("dongthap.qlvb.transfer")

STATE_KEY = "qlvb_state"
LOCALROLES_KEY = "qlvb_localroles"
#: Keys collective.exportimport itself needs in an item (``id``: the IShortName field of plain types).
KEEP_FOR_IMPORT = frozenset({"id", "title"})


def local_roles_of(obj):
    from Acquisition import aq_base

    base = aq_base(obj)
    roles = getattr(base, "__ac_local_roles__", None) or {}
    return {"roles": {k: sorted(v) for k, v in roles.items() if v},
            "block": bool(getattr(base, "__ac_local_roles_block__", False))}


def set_local_roles(obj, roles, block):
    """Replace the local roles of ``obj``; True when they changed."""
    if local_roles_of(obj) == {"roles": {k: sorted(v) for k, v in roles.items() if v}, "block": bool(block)}:
        return False
    obj.__ac_local_roles__ = {}
    for userid, granted in roles.items():
        if granted:
            obj.manage_setLocalRoles(userid, list(granted))
    if block:
        obj.__ac_local_roles_block__ = 1
    elif getattr(obj, "__ac_local_roles_block__", None):
        obj.__ac_local_roles_block__ = None
    return True


def file_field_names(obj):
    from plone.dexterity.utils import iterSchemata
    from zope.schema import List
    from zope.schema import getFieldsInOrder

    names = []
    for schema in iterSchemata(obj):
        for name, field in getFieldsInOrder(schema):
            if INamedField.providedBy(field) or (
                    isinstance(field, List) and INamedField.providedBy(getattr(field, "value_type", None))):
                names.append(name)
    return names


class QlvbExportContent(ExportContent):
    """``@@export_content`` with the add-on's state in every item."""

    #: the site root is not content to import; the rest is exported by path.
    def global_obj_hook(self, obj):
        from plone.base.interfaces import IPloneSiteRoot

        if IPloneSiteRoot.providedBy(obj):
            return None
        return obj

    def global_dict_hook(self, item, obj):
        item[STATE_KEY] = state.dump(obj)
        item[LOCALROLES_KEY] = local_roles_of(obj)
        for name in file_field_names(obj):
            item.pop(name, None)
        return item

    def export_workflow_history(self, item, obj):
        """The history exactly (times to the microsecond, with their zone; :mod:`.state`'s tags)."""
        history = getattr(obj.aq_base, "workflow_history", None)
        if history:
            item["workflow_history"] = {"~qlvb": state.encode(dict(history))}
        return item

    def serialize(self, obj):
        """plone.restapi's data of one object, through the hooks (for :mod:`.api`)."""
        from Acquisition import aq_base
        from collective.exportimport.export_content import fix_portal_type
        from zope.component import getMultiAdapter

        obj = self.global_obj_hook(obj)
        if obj is None:
            return None
        self.safe_portal_type = fix_portal_type(obj.portal_type)
        serializer = getMultiAdapter((obj, self.request), ISerializeToJson)
        if getattr(aq_base(obj), "isPrincipiaFolderish", False):
            item = serializer(include_items=False)
        else:
            item = serializer()
        return self.update_export_data(item, obj)


class QlvbImportContent(ImportContent):
    """``@@import_content`` that restores the add-on's state and the workflow state as exported."""

    # collective.exportimport looks the parent up and checks the UID through catalog searches, and
    # every search first catalogs the whole indexing queue: each new object would be cataloged
    # just created (still empty), again once deserialized, and its container after every child.
    # Searched without the queue, each object is cataloged once, complete, at the batch's commit.

    def _unqueued(self, uid):
        """The object with this UID the catalog already has (the indexing queue left pending)."""
        catalog = api.portal.get_tool("portal_catalog")
        for brain in catalog._catalog.searchResults(UID=uid):
            return brain._unrestrictedGetObject()
        return None

    def get_parent_as_container(self, item):
        """The parent by its UID from the catalog as it is; only a parent not yet cataloged (made
        earlier in this batch) goes through collective.exportimport's own lookup."""
        uid = (item.get("parent") or {}).get("UID")
        parent = self._unqueued(uid) if uid else None
        return parent if parent is not None else super().get_parent_as_container(item)

    def set_uuid(self, item, obj):
        """The exported UID, checked against the catalog as it is (the objects of this batch that
        are not yet cataloged carry UIDs of the export, unique in it)."""
        uid = item.get("UID")
        if not uid or self.update_existing or self._unqueued(uid) is not None:
            return super().set_uuid(item, obj)
        setattr(obj, "_plone.uuid", uid)
        obj.reindexObject(idxs=["UID"])
        return uid

    def global_dict_hook(self, item):
        """plone.restapi does not deserialize what ``qlvb_state`` restores raw: its validators
        (vocabularies of departments, staff…) would judge values against a site not yet restored."""
        for name in (item.get(STATE_KEY) or {}).get("attributes", {}):
            if name not in KEEP_FOR_IMPORT:
                item.pop(name, None)
        return item

    def global_obj_hook_before_deserializing(self, obj, item):
        """The state first: whatever indexes the object next sees it complete."""
        data = item.get(STATE_KEY)
        if data:
            state.load(obj, data)
        if LOCALROLES_KEY in item:
            set_local_roles(obj, item[LOCALROLES_KEY]["roles"], item[LOCALROLES_KEY]["block"])
        return obj, item

    def global_obj_hook(self, obj, item):
        """Schema fields the source object never stored (it read their defaults) are not stored
        here either: creation and deserialization set some to their default."""
        from Acquisition import aq_base

        data = item.get(STATE_KEY)
        if data is None:
            return obj
        base = aq_base(obj)
        kept = data.get("attributes", {})
        for name in state.schema_names(obj):
            if name not in kept and name in base.__dict__ and name not in KEEP_FOR_IMPORT:
                delattr(base, name)
        return obj

    def import_review_state(self, obj, item):
        """No transition: the history stored next is the state (see the module doc)."""

    def import_workflow_history(self, obj, item):
        history = item.get("workflow_history") or {}
        if "~qlvb" in history:
            from persistent.mapping import PersistentMapping

            obj.workflow_history = PersistentMapping(state.decode(history["~qlvb"]))
        else:  # an export of plain collective.exportimport
            super().import_workflow_history(obj, item)
        workflow_tool = api.portal.get_tool("portal_workflow")
        for workflow in workflow_tool.getWorkflowsFor(obj):
            workflow.updateRoleMappingsFor(obj)
        obj.reindexObject()


class QlvbExportLocalRoles(ExportLocalRoles):
    """c.ei's local roles export; :mod:`.api` calls ``_get_localroles`` object by object."""


class QlvbExportRelations(ExportRelations):
    """c.ei's relations export, one source object at a time (streamed by :mod:`.api`)."""

    def references_from(self, obj, uid):
        from zc.relation.interfaces import ICatalog
        from zope.component import queryUtility
        from zope.intid.interfaces import IIntIds

        relations = queryUtility(ICatalog)
        intids = queryUtility(IIntIds)
        if relations is None or intids is None:
            return
        from_id = intids.queryId(obj)
        if from_id is None:
            return
        for rel in relations.findRelations({"from_id": from_id}):
            if rel.from_attribute == "isReferencing":  # link integrity: Plone rebuilds it
                continue
            to_uid = IUUID(rel.to_object, None) if rel.to_id is not None else None
            if not to_uid:
                continue
            item = self.reference_hook({"from_uuid": uid, "to_uuid": to_uid,
                                        "relationship": rel.from_attribute})
            if item is not None:
                yield item


class QlvbImportRelations(ImportRelations):
    """``import_relations`` for one batch (every relation of a source object in the same batch):
    restores them with Plone's relation helper, without purging the site's other relations; a
    source whose relations are all already there is left alone (importing twice changes nothing)."""

    def import_relations(self, data):
        from collections import defaultdict
        from Products.CMFPlone import relationhelper

        groups = defaultdict(list)
        for rel in data:
            rel = dict(rel, from_attribute=self.get_from_attribute(rel))
            groups[(rel["from_uuid"], rel["from_attribute"])].append(rel)
        todo = []
        for (from_uuid, attribute), rels in groups.items():
            if _existing_relations(from_uuid, attribute) != {r["to_uuid"] for r in rels}:
                todo.extend(rels)
        if todo:
            relationhelper.restore_relations(all_relations=todo)
        return len(todo)


def _existing_relations(from_uuid, attribute):
    from zc.relation.interfaces import ICatalog
    from zope.component import queryUtility
    from zope.intid.interfaces import IIntIds

    obj = api.content.get(UID=from_uuid)
    relations, intids = queryUtility(ICatalog), queryUtility(IIntIds)
    if obj is None or relations is None or intids is None or intids.queryId(obj) is None:
        return set()
    return {IUUID(r.to_object, None) for r in relations.findRelations(
        {"from_id": intids.queryId(obj), "from_attribute": attribute}) if r.to_id is not None}


class QlvbImportLocalRoles(ImportLocalRoles):
    """``@@import_localroles`` that replaces the local roles of each object listed, where they
    differ, and reindexes the security of those objects only."""

    def import_localroles(self, data):
        from collective.exportimport.export_other import PORTAL_PLACEHOLDER

        changed = 0
        for item in data:
            if item["uuid"] == PORTAL_PLACEHOLDER:
                obj = api.portal.get()
            else:
                obj = api.content.get(UID=item["uuid"])
            if obj is None:
                continue
            if set_local_roles(obj, item.get("localroles") or {}, item.get("block")):
                obj.reindexObjectSecurity()
                changed += 1
        return changed
