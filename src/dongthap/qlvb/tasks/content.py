"""Tasks (công việc) of an agency.

Storage::

    <agency>/cong-viec/          TaskFolder (the agency's tasks, BTree, created with the first task)
    <agency>/cong-viec/cv-…      Task

Sub-tasks are tasks of the same folder with ``parent`` (the UID of the task they belong to).
Who may see a task follows its people (local roles set by :func:`dongthap.qlvb.tasks.api.sync_local_roles`)
and the agency's leaders; the workflow is ``qlvb_task_workflow`` (``tasks/workflow.py``).
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dongthap.qlvb.content.documents import DocumentFolder
from dongthap.qlvb.i18n import _
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

ROOT_ID = "cong-viec"
ID_PREFIX = "cv-"


class ITaskFolder(model.Schema):
    """The tasks of an agency."""

    title = schema.TextLine(title=_("label_title", default="Title"), required=True)


@implementer(ITaskFolder)
class TaskFolder(DocumentFolder):
    """Unordered BTree folder of the tasks of an agency."""


class ITask(model.Schema):
    """A task (công việc) given by a leader or department head."""

    title = schema.TextLine(title=_("label_task_title", default="Task"), required=True, max_length=500)
    text = schema.Text(title=_("label_task_text", default="Content"), required=False, max_length=20000)
    deadline = schema.Date(title=_("label_task_deadline", default="Deadline"), required=True)
    attachments = schema.List(
        title=_("label_task_attachments", default="Attached files"),
        value_type=NamedBlobFile(), required=False, default=[])


@implementer(ITask)
class Task(Item):
    """A task; the people are user ids (departments: their ids in the agency)."""

    security = ClassSecurityInfo()

    text = ""
    deadline = None
    attachments = ()
    assigner = None          # user id of who gave the task
    lead_user = None         # user id leading it, or
    lead_department = None   # the id of the department leading it
    coordinators = ()        # user ids
    informed = ()            # user ids
    parent = None            # UID of the task this one belongs to
    related = ()             # UIDs of documents and dossiers of the agency
    progress = ()            # ({"at", "by", "percent", "text"}, …) oldest first; replaced, never mutated
    log = ()                 # ({"action", "by", "at", "comment"}, …)
    extension = None         # {"deadline", "reason", "by", "at"} while one is requested
    evaluation = None        # {"result": "dat"|"khong_dat", "comment", "by", "at"}
    completed_on = None      # date (Vietnam time) the lead completed it
    late = None              # completed after its deadline (bool), None before completion
    percent = 0              # the last progress reported
    _v_qlvb_transition = None

    @security.public
    def qlvb_guard(self, transition):
        """Workflow guard: only the transition :mod:`dongthap.qlvb.tasks.api` runs now."""
        return self._v_qlvb_transition == transition


InitializeClass(Task)
