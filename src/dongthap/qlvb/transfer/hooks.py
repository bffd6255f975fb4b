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
* local roles are *replaced* (the importing user's Owner role is not kept).
"""

from collective.exportimport.export_content import ExportContent
from collective.exportimport.import_content import ImportContent
from collective.exportimport.import_other import ImportLocalRoles
from dongthap.qlvb.transfer import state
from plone import api
from plone.namedfile.interfaces import INamedField
from plone.restapi.interfaces import ISerializeToJson

import logging

logger = logging.getLogger("dongthap.qlvb.transfer")

STATE_KEY = "qlvb_state"
#: Keys collective.exportimport itself needs in an item (``id``: the IShortName field of plain types).
KEEP_FOR_IMPORT = frozenset({"id", "title"})


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


class QlvbImportLocalRoles(ImportLocalRoles):
    """``@@import_localroles`` that replaces the local roles of each object listed."""

    def import_localroles(self, data):
        from collective.exportimport.export_other import PORTAL_PLACEHOLDER

        for item in data:
            if item["uuid"] == PORTAL_PLACEHOLDER:
                obj = api.portal.get()
            else:
                obj = api.content.get(UID=item["uuid"])
            if obj is not None and item.get("localroles"):
                obj.__ac_local_roles__ = {}
        return super().import_localroles(data)
