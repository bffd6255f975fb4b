"""REST services of tasks (giao việc).

``GET  <agency>/@tasks``                    lists ``mine`` (lead or coordinator, open), ``assigned`` (given by
                                           me), ``overdue``; ``?list=mine|assigned|overdue|all`` answers one
``POST <agency>/@tasks``                    give a task: ``{"title", "text", "deadline": "dd/mm/yyyy", "lead":
                                           {"user"} | {"department"}, "coordinators": [user], "informed":
                                           [user], "attachments": [{data, encoding, filename}], "parent": uid,
                                           "related": [uid of documents and dossiers]}``
``GET  <agency>/@tasks/<id>``               the task: people, progress history, sub-tasks, links, actions
``POST <agency>/@tasks/<id>/<action>``      ``progress`` {percent, text}, ``start``, ``extension`` {deadline,
                                           reason}, ``extension-decision`` {decision: grant|refuse, comment},
                                           ``complete`` {comment}, ``evaluate`` {result: dat|khong_dat,
                                           comment}, ``reopen`` {comment}, ``cancel`` {comment}, ``edit``
                                           (who gave it or a leader, open tasks): any of {title, text,
                                           deadline, lead, coordinators, informed} and new attachments

A field a body does not know is refused (400, naming it), never ignored.

Refusals: ``{"error": {"type", "message" (Vietnamese), "errors": [{"field", "message"}]}}``; nothing stored.
"""

from dongthap.qlvb.errors import QlvbError
from dongthap.qlvb.i18n import _
from dongthap.qlvb.restapi import body
from dongthap.qlvb.restapi.errors import guarded
from dongthap.qlvb.restapi.errors import translate_tree
from dongthap.qlvb.restapi.traverse import PathSegments
from dongthap.qlvb.tasks import api as tasks
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.serializer.converters import json_compatible
from plone.restapi.services import Service
from zope.interface import alsoProvides


def _answer(request, value):
    return json_compatible(translate_tree(value, request))


def _not_found():
    raise QlvbError(_("error_task_not_found", default="No such task."), status=404)


class TasksGet(PathSegments, Service):
    @guarded
    def reply(self):
        if len(self.segments) > 1:
            _not_found()
        if self.segments:
            return _answer(self.request, tasks.info(tasks.find(self.context, self.segments[0])))
        which = self.request.form.get("list")
        keys = [which] if which else ["mine", "assigned", "overdue"]
        found = {"@id": f"{self.context.absolute_url()}/@tasks"}
        names = {}
        for key in keys:
            found[key] = [tasks.row(b, names, self.context) for b in tasks.query(self.context, key)]
        return _answer(self.request, found)


def _decoded(data):
    """``attachments`` as ``(bytes, filename)`` (anything else is left for the validation to refuse)."""
    files = data.get("attachments")
    if isinstance(files, list):
        data = dict(data, attachments=[body.decode_file(f, "tep-dinh-kem") for f in files])
    return data


#: The fields of each action's body (``edit`` refuses the others itself, naming them).
ACTION_FIELDS = {"progress": ("percent", "text"), "start": (), "extension": ("deadline", "reason"),
                 "extension-decision": ("decision", "comment"), "complete": ("comment",),
                 "evaluate": ("result", "comment"), "reopen": ("comment",), "cancel": ("comment",)}


class TasksPost(PathSegments, Service):
    @guarded
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        data = body.json_object(self.request)
        if not self.segments:
            body.refuse_unknown(data, tasks.INPUT_FIELDS)
            values = tasks.clean(self.context, _decoded(data))
            result = tasks.create(self.context, values)
            self.request.response.setStatus(201)
            self.request.response.setHeader("Location", result["url"])
            return _answer(self.request, result)
        if len(self.segments) != 2 or self.segments[1] not in tasks.ACTIONS:
            _not_found()
        task = tasks.find(self.context, self.segments[0])
        if self.segments[1] in ACTION_FIELDS:
            body.refuse_unknown(data, ACTION_FIELDS[self.segments[1]])
        if self.segments[1] == "edit":
            data = _decoded(data)
        return _answer(self.request, tasks.act(task, self.segments[1], data))
